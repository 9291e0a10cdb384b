package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

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
		{`max_retries = 100`, `Attribute max_retries value must be between 0 and 20, got: 100`},
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
