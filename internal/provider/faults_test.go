package provider

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// Transient faults that the retry policy absorbs: the read succeeds, and
// the simulator proves the faults really happened.
func TestAccFaults_transientFaultsAreRetried(t *testing.T) {
	cases := map[string]oxensim.Fault{
		"429 burst with Retry-After":    {Status: 429, RetryAfter: "3", Times: 2},
		"429 burst without Retry-After": {Status: 429, Times: 2},
		"500 with an HTML body":         {Status: 500, ContentType: "text/html", Body: "<html><h1>Internal Server Error</h1></html>", Times: 2},
		"502 with an HTML body":         {Status: 502, ContentType: "text/html", Body: "<html><h1>Bad Gateway</h1></html>", Times: 2},
		"503":                           {Status: 503, RetryAfter: "1", Times: 2},
		"504":                           {Status: 504, Times: 2},
		"connection reset":              {Reset: true, Times: 2},
		"truncated body":                {Truncate: true, Times: 2},
	}
	for name, fault := range cases {
		t.Run(strings.ReplaceAll(name, " ", "_"), func(t *testing.T) {
			env := newTestEnv(t)
			fault.Method, fault.PathPrefix = "GET", "/api/ai/models/gpt-5"
			env.test(resource.TestStep{
				PreConfig: func() { env.sim.InjectFault(fault) },
				Config:    env.config(gpt5Lookup),
				ConfigStateChecks: []statecheck.StateCheck{
					gpt5WasRead,
				},
				Check: func(*terraform.State) error {
					if n := env.sim.PendingFaults(); n != 0 {
						return fmt.Errorf("the fault did not fire twice (%d still pending): the test proves nothing", n)
					}
					return nil
				},
			})
		})
	}
}

func TestAccFaults_persistentRateLimitIsAClearError(t *testing.T) {
	env := newTestEnv(t)
	env.test(resource.TestStep{
		PreConfig:   func() { env.sim.InjectFault(oxensim.Fault{Status: 429, RetryAfter: "2", Times: -1}) },
		Config:      env.config(gpt5Lookup),
		ExpectError: wrapped(`Could not read model "gpt-5" .* 429 Too Many Requests: Rate limit exceeded, retry later (request id req_ .* The API kept rate limiting the requests. Retry later, or raise max_retries`),
	})
}

// The rate-limit advice, followed: a limit that outlasts max_retries = 2
// fails with "raise max_retries"; the same limit with max_retries = 5 is
// waited out (on the fake clock) and the read succeeds.
func TestAccFaults_rateLimitAdviceWorks(t *testing.T) {
	env := newTestEnv(t)
	limited := func() {
		env.sim.ClearFaults()
		env.sim.InjectFault(oxensim.Fault{Method: "GET", Status: 429, RetryAfter: "2", Times: 5})
	}
	config := func(retries int) string {
		return fmt.Sprintf("provider \"oxen\" {\n  base_url    = %q\n  api_key     = %q\n  max_retries = %d\n}\n%s",
			env.url, testAPIKey, retries, gpt5Lookup)
	}
	env.test(resource.TestStep{
		PreConfig:   limited,
		Config:      config(2),
		ExpectError: wrapped(`429 Too Many Requests: .* The API kept rate limiting the requests. Retry later, or raise max_retries`),
	}, resource.TestStep{
		PreConfig:         limited,
		Config:            config(5),
		ConfigStateChecks: []statecheck.StateCheck{gpt5WasRead},
	})
}

// A hub slower than request_timeout: each attempt is cut off, and the
// error says so. This test waits for real (three 1-second attempts).
func TestAccFaults_slowAnswersHitTheRequestTimeout(t *testing.T) {
	env := newTestEnv(t)
	env.test(resource.TestStep{
		PreConfig: func() {
			env.sim.InjectFault(oxensim.Fault{Method: "GET", Latency: 5 * time.Second, Times: -1})
		},
		Config: fmt.Sprintf(`
provider "oxen" {
  base_url        = %q
  api_key         = %q
  request_timeout = "1s"
  max_retries     = 2
}
data "oxen_model" "m" {
  id = "gpt-5"
}
`, env.url, testAPIKey),
		ExpectError: wrapped(`Could not read model "gpt-5" .* timeout .* after 3 attempts`),
	}, resource.TestStep{
		PreConfig: func() { env.sim.ClearFaults() },
		Config:    env.config(gpt5Lookup),
	})
}

func TestAccFaults_modelDeletedBetweenPlanAndApply(t *testing.T) {
	const model = "acc-custom-7"
	var planned atomic.Bool
	var env *testEnv
	env = newTestEnv(t, func(o *oxensim.Options) {
		o.OnRequest = func(r oxensim.Request) {
			// The plan's look-up passed; delete the model before apply.
			if r.Method == "GET" && r.Path == "/api/ai/models/"+model && !planned.Swap(true) {
				go env.sim.DeleteModel(model)
			}
		}
	})
	env.test(resource.TestStep{
		Config: env.config(activationConfig("bot", model, "")),
		// Terraform plans the resource once more at apply time, which is
		// where the missing model is caught, before any request that
		// would change a deployment.
		ExpectError: wrapped(`model "acc-custom-7" .* 404 Not Found: Model not found: acc-custom-7`),
	})
	if n := env.sim.CountRequests("POST", "/"); n != 0 {
		t.Fatalf("%d POST requests for a deleted model, want 0", n)
	}
}

func TestAccFaults_statusStuckInUnknown(t *testing.T) {
	const model = "acc-custom-8"
	env := newTestEnv(t)
	env.test(resource.TestStep{
		PreConfig: func() {
			// Every live status read after the activate request says "unknown".
			body := `{"id":"acc-custom-8","object":"model","created":1760000000,"owned_by":"acme-ml",` +
				`"model_type":"custom","deployments":[{"status":"unknown"}]}`
			env.sim.InjectFault(oxensim.Fault{Method: "GET", PathPrefix: "/api/ai/models/" + model, Status: 200,
				Body: body, Times: -1, Every: 1})
		},
		Config:      env.config(activationConfig("bot", model, "")),
		ExpectError: wrapped(`Model "acc-custom-8" has no clear deployment status .* stayed in "unknown" for 2m0s`),
	}, resource.TestStep{
		// Once the hub knows again, the next apply finishes the job.
		PreConfig: func() { env.sim.ClearFaults() },
		Config:    env.config(activationConfig("bot", model, "")),
		ConfigStateChecks: []statecheck.StateCheck{
			statusIs("oxen_model_activation.bot", "active"),
		},
	})
}

// Each documented kind of answer gets advice about its own cause, after the
// API's own words and request id; none gets the advice meant for an outage.
// Where the advice is a change to the configuration, a second step makes
// that change and the same block works.
func TestAccFaults_adviceFitsTheCause(t *testing.T) {
	const model = "my-custom-model"
	activate := activationConfig("bot", model, "")
	lookup := gpt5Lookup
	customLookup := "data \"oxen_model\" \"m\" {\n  id = \"support-bot-ft\"\n}\n"
	cases := []struct {
		name   string
		fault  oxensim.Fault
		key    string // "" is the test key; "none" configures no key
		config string
		want   string
		// fixKey, when set, is the key the advice leads to: a step with
		// it must succeed.
		fixKey string
	}{{
		name:   "custom model read without a key",
		key:    "none",
		config: customLookup,
		want: `Could not read model "support-bot-ft" .* 404 Not Found: .* Custom models are visible only to their owner: if ` +
			`this is one, set OXEN_API_KEY.`,
		fixKey: testAPIKey,
	}, {
		name:   "activation of a custom model without a key",
		key:    "none",
		config: activate,
		want: `Could not plan the activation of model "my-custom-model" .* 404 Not Found: .* Custom models are visible only ` +
			`to their owner: if this is one, set OXEN_API_KEY.`,
		fixKey: testAPIKey,
	}, {
		name:   "401 without a key",
		fault:  oxensim.Fault{Method: "GET", Status: 401},
		key:    "none",
		config: lookup,
		want:   `Could not read model "gpt-5" .* 401 Unauthorized: .* No API key is configured. Set the OXEN_API_KEY environment variable, or api_key in the provider block.`,
	}, {
		name:   "activate refused for lack of credits",
		fault:  oxensim.Fault{Method: "POST", PathPrefix: "/api/ai/models/" + model + "/activate", Status: 402},
		config: activate,
		want: `Could not activate model "my-custom-model" .* 402 Payment Required: Your account does not have enough credits (request id req_ .* ` +
			`The request was refused for lack of credits: add credits to the account that owns model "my-custom-model", or check its billing, in the Oxen hub. Retrying will not help before then.`,
	}, {
		name:   "key not allowed",
		fault:  oxensim.Fault{Method: "GET", Status: 403},
		config: lookup,
		want: `Could not read model "gpt-5" .* 403 Forbidden: You do not have access to this model (request id req_ .* ` +
			`The API key was accepted but is not allowed to do this. .* use a key of the account that owns model "gpt-5" in OXEN_API_KEY`,
	}, {
		name:   "invalid parameters",
		fault:  oxensim.Fault{Method: "GET", Status: 400},
		config: lookup,
		want: `Could not read model "gpt-5" .* 400 Bad Request: The request parameters are not valid (request id req_ .* ` +
			`The API refused the request as invalid; its own explanation is quoted above.`,
	}, {
		name:   "wrong key",
		key:    "sk-wrong",
		config: lookup,
		want:   `Could not read model "gpt-5" .* 401 Unauthorized: Invalid or missing API key (request id req_ .* The API key was rejected.`,
		fixKey: testAPIKey,
	}, {
		name:   "server error on every attempt",
		fault:  oxensim.Fault{Method: "GET", Status: 500, Times: -1},
		config: lookup,
		want: `Could not read model "gpt-5" .* 500 Internal Server Error: Something went wrong, please try again (request id req_ .* (retries exhausted after 3 attempts) ` +
			`The Oxen API failed on its side on every attempt; nothing in the configuration causes this.`,
	}, {
		name:   "connection reset on every attempt",
		fault:  oxensim.Fault{Method: "GET", Reset: true, Times: -1},
		config: lookup,
		want:   `Could not read model "gpt-5" .* (retries exhausted after 3 attempts) No complete answer came from base_url (http://127.0.0.1: .* set in the provider block), even after retries.`,
	}, {
		name:   "HTML where JSON was expected",
		fault:  oxensim.Fault{Method: "GET", Status: 200, ContentType: "text/html", Body: "<html>Sign in</html>", Times: -1},
		config: lookup,
		want:   `Could not read model "gpt-5" .* The answer was not the Oxen API's JSON. Check that base_url (http://127.0.0.1: .* points at the Oxen API`,
	}}
	for _, c := range cases {
		t.Run(strings.ReplaceAll(c.name, " ", "_"), func(t *testing.T) {
			env := newTestEnv(t)
			if c.fault != (oxensim.Fault{}) {
				env.sim.InjectFault(c.fault)
			}
			key := testAPIKey
			switch c.key {
			case "none":
				key = ""
			case "":
			default:
				key = c.key
			}
			steps := []resource.TestStep{{
				Config:      env.configWithKey(key, c.config),
				ExpectError: wrapped(c.want),
			}}
			if c.fixKey != "" {
				// The advice, followed: api_key set to the right key.
				steps = append(steps, resource.TestStep{Config: env.configWithKey(c.fixKey, c.config)})
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(),
				Steps:                    steps,
			})
		})
	}
}

// A 429 that asks for 7 seconds: the provider waits exactly that long (on
// the clock it shares with the simulator), then the read succeeds.
func TestAccFaults_retryAfterIsHonoured(t *testing.T) {
	env := newTestEnv(t)
	const path = "/api/ai/models/gpt-5"
	env.test(resource.TestStep{
		PreConfig: func() {
			env.sim.InjectFault(oxensim.Fault{Method: "GET", PathPrefix: path, Status: 429, RetryAfter: "7"})
		},
		Config: env.config(gpt5Lookup),
		ConfigStateChecks: []statecheck.StateCheck{
			gpt5WasRead,
		},
		Check: func(*terraform.State) error {
			var reads []oxensim.Request
			for _, r := range env.sim.Requests() {
				if r.Path == path {
					reads = append(reads, r)
				}
			}
			if len(reads) < 2 || reads[0].Status != 429 || reads[1].Status != 200 {
				return fmt.Errorf("requests for %s: %+v, want a 429 and then a 200", path, reads)
			}
			gap := reads[1].Time.Sub(reads[0].Time)
			t.Logf("the retry came %s after the 429 (Retry-After: 7), on the shared fake clock", gap)
			if gap != 7*time.Second {
				return fmt.Errorf("the retry came %s after the 429, want the 7s the API asked for", gap)
			}
			return nil
		},
	})
}
