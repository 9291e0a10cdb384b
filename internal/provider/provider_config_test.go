package provider

import (
	"context"
	"encoding/pem"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

const sonnetLookup = `
data "oxen_model" "m" {
  id = "claude-sonnet-4-6"
}
`

func providerBlock(settings string) string {
	return fmt.Sprintf("provider \"oxen\" {\n%s\n}\n%s", settings, sonnetLookup)
}

func TestAccProvider_invalidSettingsFailThePlan(t *testing.T) {
	env := newTestEnv(t)
	cases := []struct {
		settings string
		want     string
	}{
		{`base_url = "hub.oxen.ai"`, `Invalid base_url .* hub.oxen.ai`},
		{`base_url = "ftp://hub.oxen.ai"`, `Invalid base_url`},
		{`base_url = "https://hub.oxen.ai/?x=1"`, `Invalid base_url`},
		{`request_timeout = "soon"`, `Invalid duration .* "soon" is not a duration: write it like "30s"`},
		{`request_timeout = "0s"`, `"0s" is out of range: it must be between 1s and 30m0s`},
		{`poll_interval = "-5s"`, `"-5s" is out of range`},
		{`poll_interval = "3h"`, `"3h" is out of range: it must be between 1s and 10m0s`},
		{`max_retries = 100`, `Invalid max_retries .* max_retries must be a whole number between 0 and 20, got 100`},
		{`max_retries = -1`, `Invalid max_retries .* max_retries must be a whole number between 0 and 20, got -1`},
		// A user's mistake, not a provider bug.
		{`max_retries = 1.5`, `Invalid max_retries .* max_retries must be a whole number between 0 and 20, got 1.5`},
	}
	steps := make([]resource.TestStep, len(cases))
	for i, c := range cases {
		steps[i] = resource.TestStep{
			Config:      providerBlock(c.settings),
			PlanOnly:    true,
			ExpectError: wrapped(c.want),
		}
	}
	resource.ParallelTest(t, resource.TestCase{ProtoV6ProviderFactories: env.factories(), Steps: steps})
	if n := len(env.sim.Requests()); n != 0 {
		t.Fatalf("invalid provider settings still sent %d requests", n)
	}
}

// Not parallel: it sets the process environment the provider reads.
func TestAccProvider_settingsFromEnvironment(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(envBaseURL, env.url+"/") // a trailing slash is fine
	t.Setenv(envAPIKey, testAPIKey)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: `
provider "oxen" {
  request_timeout = "5s"
  poll_interval   = "2s"
}
data "oxen_model" "custom" {
  id = "support-bot-ft"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.oxen_model.custom", tfjsonpath.New("owned_by"), knownvalue.StringExact("acme-ml")),
			},
		}},
	})
	for _, r := range env.sim.Requests() {
		if !r.Authorization {
			t.Fatalf("request %s %s went out without the key from %s", r.Method, r.Path, envAPIKey)
		}
	}
}

func TestAccProvider_activationWithoutKeyNamesTheVariable(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.configWithKey("", activationConfig("x", "my-custom-model", "")),
			ExpectError: wrapped(`Model not found: my-custom-model .* set OXEN_API_KEY`),
		}},
	})
}

func TestAccProvider_brokenAnswersAreClearErrors(t *testing.T) {
	env := newTestEnv(t)
	cfg := env.config(sonnetLookup)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			// A proxy answers with an HTML error page on every attempt.
			PreConfig: func() {
				env.sim.ClearFaults()
				env.sim.InjectFault(oxensim.Fault{Method: "GET", Times: -1, Status: 502, ContentType: "text/html",
					Body: "<html><body><h1>502 Bad Gateway</h1></body></html>"})
			},
			Config:      cfg,
			ExpectError: wrapped(`Could not read model "claude-sonnet-4-6" .* 502 Bad Gateway .* request id req_ .* after 3 attempts`),
		}, {
			// A 200 whose body is HTML is not mistaken for a model.
			PreConfig: func() {
				env.sim.ClearFaults()
				env.sim.InjectFault(oxensim.Fault{Method: "GET", Times: -1, Status: 200, ContentType: "text/html",
					Body: "<html>Sign in to continue</html>"})
			},
			Config:      cfg,
			ExpectError: wrapped(`Could not read model "claude-sonnet-4-6" .* not JSON`),
		}, {
			// Half a body, then the connection drops, on every attempt.
			PreConfig: func() {
				env.sim.ClearFaults()
				env.sim.InjectFault(oxensim.Fault{Method: "GET", Times: -1, Truncate: true})
			},
			Config:      cfg,
			ExpectError: wrapped(`Could not read model "claude-sonnet-4-6" .* reading the body of a 200 OK answer (request id req_ .* unexpected EOF (retries exhausted after 3 attempts)`),
		}, {
			// Once the faults stop, the same configuration reads fine.
			PreConfig: func() { env.sim.ClearFaults() },
			Config:    cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.oxen_model.m", tfjsonpath.New("id"), knownvalue.StringExact("claude-sonnet-4-6")),
			},
		}},
	})
}

// Not parallel: it sets OXEN_API_KEY. A key read with file() ends in a line
// break, and one pasted into the environment may end in a space: both are
// the key, and both must simply work, on the first attempt.
func TestAccProvider_keyWithSurroundingWhitespaceWorks(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(envAPIKey, testAPIKey+" ")
	custom := `
data "oxen_model" "custom" {
  id = "support-bot-ft"
}
`
	ownedByAcme := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.oxen_model.custom", tfjsonpath.New("owned_by"), knownvalue.StringExact("acme-ml")),
	}
	noRetries := func(*terraform.State) error {
		if s := env.clock.Sleeps(); len(s) != 0 {
			return fmt.Errorf("the reads were retried (waits %v): the key was not sent as it should be", s)
		}
		return nil
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			// As api_key = file("key.txt") gives it.
			Config:            fmt.Sprintf("provider \"oxen\" {\n  base_url = %q\n  api_key  = \"%s\\n\"\n}\n%s", env.url, testAPIKey, custom),
			ConfigStateChecks: ownedByAcme,
			Check:             noRetries,
		}, {
			// From OXEN_API_KEY, with a trailing space.
			Config:            fmt.Sprintf("provider \"oxen\" {\n  base_url = %q\n}\n%s", env.url, custom),
			ConfigStateChecks: ownedByAcme,
			Check:             noRetries,
		}},
	})
}

// A line break inside the key cannot be sent in a header: that is said at
// once, naming api_key, and nothing is sent or retried.
func TestAccProvider_keyWithInnerLineBreakFailsAtOnce(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.configWithKey("sk-test\n4f1c9a7e2b", sonnetLookup),
			ExpectError: wrapped(`Invalid api_key .* OXEN_API_KEY environment variable: the API key holds a control character (such as a line break) at byte 8 of 18`),
		}},
	})
	if n, s := len(env.sim.Requests()), env.clock.Sleeps(); n != 0 || len(s) != 0 {
		t.Fatalf("a key that cannot be sent still sent %d requests and waited %v", n, s)
	}
}

// unreachableURL is an address where nothing listens: a port that was just
// free.
func unreachableURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

// A mistyped base_url: a host that does not resolve fails on the first
// attempt, and a refused connection stops retrying within about 10 s (on
// the provider's clock), both naming base_url and the address tried; with
// base_url corrected, as the error advises, the same look-up works.
func TestAccProvider_mistypedBaseURLFailsFast(t *testing.T) {
	cases := []struct {
		name, baseURL, want string
		maxWaits            time.Duration
		retried             bool
	}{
		{"host that does not resolve", "http://oxen-typo.invalid", `http://oxen-typo.invalid does not resolve .* no such host .* Check base_url (http://oxen-typo.invalid, set in the provider block)`, 0, false},
		{"nothing listening", "", `refused the connection .* (gave up after .* refused connections are retried for at most 10s) Check base_url`, 10 * time.Second, true},
	}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			env := newTestEnv(t)
			if c.baseURL == "" {
				c.baseURL = unreachableURL(t)
				c.want = c.baseURL + " " + c.want + " (" + c.baseURL + ", set in the provider block)"
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps: []resource.TestStep{{
					// max_retries keeps its default of 5.
					Config:      fmt.Sprintf("provider \"oxen\" {\n  base_url = %q\n}\n%s", c.baseURL, sonnetLookup),
					ExpectError: wrapped(`Could not read model "claude-sonnet-4-6" .* ` + c.want),
				}, {
					// The advice, followed: base_url corrected, the same
					// look-up reads the model.
					Config: env.config(sonnetLookup),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue("data.oxen_model.m", tfjsonpath.New("owned_by"), knownvalue.StringExact("oxen")),
					},
				}},
			})
			var waited time.Duration
			for _, s := range env.clock.Sleeps() {
				waited += s
			}
			t.Logf("%s: %d retries, %s waited on the provider's clock", c.baseURL, len(env.clock.Sleeps()), waited)
			if waited > c.maxWaits || c.retried != (waited > 0) {
				t.Fatalf("the provider waited %s between attempts (%v), want at most %s (retried: %v)", waited, env.clock.Sleeps(), c.maxWaits, c.retried)
			}
		})
	}
}

// A certificate this machine does not trust is final: no retry, and the
// advice is about the certificate, not about an outage.
func TestAccProvider_untrustedCertificateFailsAtOnce(t *testing.T) {
	env := newTestEnv(t)
	tlsSrv := httptest.NewTLSServer(env.sim)
	t.Cleanup(tlsSrv.Close)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      fmt.Sprintf("provider \"oxen\" {\n  base_url = %q\n}\n%s", tlsSrv.URL, sonnetLookup),
			ExpectError: wrapped(`Could not read model "claude-sonnet-4-6" .* TLS certificate of ` + tlsSrv.URL + ` failed verification .* certificate signed by unknown authority .* not trusted by this machine`),
		}},
	})
	if s := env.clock.Sleeps(); len(s) != 0 {
		t.Fatalf("an untrusted certificate was retried (waits %v)", s)
	}
}

// Settings that are unknown at plan time are reported in one order, sorted
// by name, on every run.
func TestProviderConfigure_unknownSettingsInStableOrder(t *testing.T) {
	ctx := context.Background()
	p := &OxenProvider{version: "test", clock: clock.NewFake(time.Now()), locks: newModelLocks()}
	var sr provider.SchemaResponse
	p.Schema(ctx, provider.SchemaRequest{}, &sr)
	typ := sr.Schema.Type().TerraformType(ctx).(tftypes.Object)
	unknown := map[string]tftypes.Value{}
	for name, at := range typ.AttributeTypes {
		unknown[name] = tftypes.NewValue(at, tftypes.UnknownValue)
	}
	want := []string{"api_key", "base_url", "max_retries", "poll_interval", "request_timeout"}
	for run := range 20 {
		var resp provider.ConfigureResponse
		p.Configure(ctx, provider.ConfigureRequest{Config: tfsdk.Config{Schema: sr.Schema, Raw: tftypes.NewValue(typ, unknown)}}, &resp)
		var got []string
		for _, d := range resp.Diagnostics {
			if d.Summary() != "Provider setting not known yet" {
				t.Fatalf("unexpected diagnostic %q: %s", d.Summary(), d.Detail())
			}
			got = append(got, d.(diag.DiagnosticWithPath).Path().String())
		}
		if !slices.Equal(got, want) {
			t.Fatalf("run %d reported %v, want %v", run, got, want)
		}
	}
}

// The advice of an untrusted certificate, followed: pointing SSL_CERT_FILE
// at the server's CA makes the same configuration work. The trust store is
// read once per process, so this runs the provider binary.
func TestAccProvider_untrustedCertificateAdviceWorks(t *testing.T) {
	env := newTestEnv(t)
	tlsSrv := httptest.NewTLSServer(env.sim)
	t.Cleanup(tlsSrv.Close)
	run := newBinaryRun(t, fmt.Sprintf("provider \"oxen\" {\n  base_url = %q\n  api_key  = %q\n}\n%s\noutput \"owner\" {\n  value = data.oxen_model.m.owned_by\n}\n",
		tlsSrv.URL, testAPIKey, sonnetLookup))

	out, _, err := run.plan()
	if err == nil || !strings.Contains(strings.Join(strings.Fields(out), " "), "point SSL_CERT_FILE at it") {
		t.Fatalf("plan against an untrusted certificate: %v, want the SSL_CERT_FILE advice:\n%s", err, out)
	}
	if n := len(env.sim.Requests()); n != 0 {
		t.Fatalf("the refused server still got %d requests", n)
	}

	ca := filepath.Join(t.TempDir(), "ca.pem")
	mustWrite(t, ca, 0o644, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: tlsSrv.Certificate().Raw})))
	out, _, err = run.plan("SSL_CERT_FILE=" + ca)
	if err != nil || !strings.Contains(out, `owner = "oxen"`) {
		t.Fatalf("plan with SSL_CERT_FILE=%s: %v\n%s", ca, err, out)
	}
}

// proxiedHub serves env's simulator under /proxy/oxen, as a reverse proxy
// would, and a plain 404 anywhere else. at returns env as seen through it
// with base_url = the proxy's address + prefix; plain counts the 404s
// answered outside the prefix.
func proxiedHub(t *testing.T, env *testEnv) (at func(prefix string) *testEnv, plain *atomic.Int64) {
	t.Helper()
	plain = new(atomic.Int64)
	mux := http.NewServeMux()
	mux.Handle("/proxy/oxen/", http.StripPrefix("/proxy/oxen", env.sim))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		plain.Add(1)
		http.NotFound(w, r)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return func(prefix string) *testEnv {
		e := *env
		e.url = srv.URL + prefix
		return &e
	}, plain
}

const rootAdvice = `base_url should be the hub's root (https://hub.oxen.ai), or the address where a proxy serves that ` +
	`root, without /api: the provider adds /api/ai/models to it.`

// A base_url with the wrong path prefix gets a 404 that is not the API's:
// the error shows the path actually sent and points at base_url, not at
// the model id or the key. A base_url ending in /api is refused before any
// request. With base_url at the root the proxy serves, as advised, the same
// configuration plans fine.
func TestAccProvider_baseURLWithAWrongPathPointsAtTheRoot(t *testing.T) {
	env := newTestEnv(t)
	at, plain := proxiedHub(t, env)
	lookups := sonnetLookup + `
data "oxen_models" "anthropic" {
  developer_name = "Anthropic"
}
`
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: at("/proxy/oxen/api").config(lookups),
			ExpectError: wrapped(`Invalid base_url .* base URL "` + at("/proxy/oxen/api").url + `" ends in /api, which every ` +
				`API path starts with: requests would go to ` + at("/proxy/oxen/api").url + `/api/ai/models, which nothing serves. ` +
				rootAdvice),
		}, {
			PreConfig: func() {
				if n := int64(len(env.sim.Requests())) + plain.Load(); n != 0 {
					t.Errorf("a base_url ending in /api sent %d requests", n)
				}
			},
			Config: at("/proxy").config(lookups),
			ExpectError: wrapped(`Could not read model "claude-sonnet-4-6" .* GET /proxy/api/ai/models/claude-sonnet-4-6: 404 Not Found: ` +
				`404 page not found .* The 404 above is not the Oxen API's answer for a missing model: no endpoint of the API ` +
				`is at the path the request was sent to, and says nothing of model "claude-sonnet-4-6". Check base_url (` +
				at("/proxy").url + `, set in the provider block). ` + rootAdvice),
		}, {
			Config: at("/proxy").config(lookups),
			ExpectError: wrapped(`Could not list models .* GET /proxy/api/ai/models: 404 Not Found: 404 page not found .* ` +
				`The 404 above is not the Oxen API's answer for a missing model: no endpoint of the API is at the path ` +
				`the request was sent to. Check base_url`),
		}, {
			// The hub itself, reached with a path it has no route for,
			// answers 404 in its own envelope: no missing model either.
			Config: at("/proxy/oxen/v1").config(sonnetLookup),
			ExpectError: wrapped(`Could not read model "claude-sonnet-4-6" .* GET /proxy/oxen/v1/api/ai/models/claude-sonnet-4-6: ` +
				`404 Not Found: No route for GET /v1/api/ai/models/claude-sonnet-4-6 .* The 404 above is not the Oxen API's ` +
				`answer for a missing model .* ` + rootAdvice),
		}, {
			Config: at("/proxy/oxen").config(lookups),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.oxen_model.m", tfjsonpath.New("owned_by"), knownvalue.StringExact("oxen")),
				idsAre("data.oxen_models.anthropic", "claude-haiku-4-5", "claude-opus-4-5", "claude-sonnet-4-6"),
			},
		}},
	})
	if plain.Load() == 0 {
		t.Fatal("no request missed the prefix: the test proves nothing")
	}
}

// A model read through a base_url with the wrong path is not a deleted
// model: the activation stays in state, the refresh fails with the
// base_url advice, and with base_url corrected the plan is empty again.
func TestAccModelActivation_wrongBaseURLIsNotAMissingModel(t *testing.T) {
	env := newTestEnv(t)
	at, _ := proxiedHub(t, env)
	activation := activationConfig("x", "my-custom-model", "")
	right := at("/proxy/oxen").config(activation)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:            right,
			ConfigStateChecks: []statecheck.StateCheck{statusIs("oxen_model_activation.x", "active")},
		}, {
			Config: at("/proxy").config(activation),
			ExpectError: wrapped(`Could not read model "my-custom-model" .* GET /proxy/api/ai/models/my-custom-model: ` +
				`404 Not Found .* Check base_url (` + at("/proxy").url + `, set in the provider block). ` + rootAdvice),
		}, {
			Config: right,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: func(*terraform.State) error {
				if n := env.sim.CountRequests("POST", "/api/ai/models/my-custom-model/activate"); n != 1 {
					return fmt.Errorf("activate was sent %d times, want once", n)
				}
				return nil
			},
		}},
	})
}

// Not parallel: it sets OXEN_BASE_URL. A base_url from the environment that
// ends in /api is refused when the provider is configured, before any
// request; set to the root, as advised, the same look-up works.
func TestAccProvider_baseURLFromEnvironmentEndingInAPI(t *testing.T) {
	env := newTestEnv(t)
	at, plain := proxiedHub(t, env)
	cfg := fmt.Sprintf("provider \"oxen\" {\n  api_key = %q\n}\n%s", testAPIKey, sonnetLookup)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() { t.Setenv(envBaseURL, at("/proxy/oxen/api/").url) },
			Config:    cfg,
			ExpectError: wrapped(`Invalid base_url .* ends in /api, which every API path starts with: requests would go to ` +
				at("/proxy/oxen/api").url + `/api/ai/models, which nothing serves. ` + rootAdvice +
				` The value came from the provider block or the OXEN_BASE_URL environment variable.`),
		}, {
			PreConfig: func() {
				if n := int64(len(env.sim.Requests())) + plain.Load(); n != 0 {
					t.Errorf("a base_url ending in /api sent %d requests", n)
				}
				t.Setenv(envBaseURL, at("/proxy/oxen").url)
			},
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.oxen_model.m", tfjsonpath.New("owned_by"), knownvalue.StringExact("oxen")),
			},
		}},
	})
}
