package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// planHasNo fails when the plan's JSON holds the secret anywhere.
type planHasNo struct{ secret string }

func (p planHasNo) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	raw, err := json.Marshal(req.Plan)
	if err != nil {
		resp.Error = err
		return
	}
	if bytes.Contains(raw, []byte(p.secret)) {
		resp.Error = fmt.Errorf("the plan contains the API key")
	}
}

// Not parallel: it sets the environment (the key, and TRACE logging to a file).
func TestAccSecrets_keyNeverLeaks(t *testing.T) {
	env := newTestEnv(t)
	traceLog := captureTraceLog(t)
	t.Setenv(envAPIKey, testAPIKey)

	factories, leaks := scanningFactories(env, testAPIKey)
	noKeyInState := func(s *terraform.State) error {
		raw, err := json.Marshal(s)
		if err != nil {
			return err
		}
		if bytes.Contains(raw, []byte(testAPIKey)) {
			return fmt.Errorf("the state contains the API key")
		}
		return nil
	}
	providerOnly := fmt.Sprintf("provider \"oxen\" {\n  base_url = %q\n}\n", env.url)
	body := `
data "oxen_model" "bot" {
  id          = "support-bot-ft"
  live_status = true
}
resource "oxen_model_activation" "tagger" {
  model_id = "vision-tagger-ft"
  active   = %s
}
`
	noLeakPlan := resource.ConfigPlanChecks{
		PreApply:             []plancheck.PlanCheck{planHasNo{testAPIKey}},
		PostApplyPostRefresh: []plancheck.PlanCheck{planHasNo{testAPIKey}},
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config:           providerOnly + fmt.Sprintf(body, "true"),
			ConfigPlanChecks: noLeakPlan,
			Check:            noKeyInState,
		}, {
			Config:           providerOnly + fmt.Sprintf(body, "false"),
			ConfigPlanChecks: noLeakPlan,
			Check:            noKeyInState,
		}, {
			ResourceName:  "oxen_model_activation.tagger",
			ImportState:   true,
			ImportStateId: "vision-tagger-ft",
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				raw, _ := json.Marshal(states)
				if bytes.Contains(raw, []byte(testAPIKey)) {
					return fmt.Errorf("the imported state contains the API key")
				}
				return nil
			},
		}, {
			// An error path: the message must not quote the key either.
			Config:      providerOnly + `data "oxen_model" "nope" { id = "no-such-model" }`,
			ExpectError: wrapped(`Model not found: no-such-model`),
		}},
	})

	if l := leaks(); len(l) > 0 {
		t.Fatalf("the API key left the provider: %s", strings.Join(l, "; "))
	}
	// The log must really hold the HTTP exchange, or this test proves nothing.
	expectNoKeyInLog(t, traceLog(), "/api/ai/models/support-bot-ft", "Bearer ****", "/activate")
}

// scanningFactories serves the provider with its RPCs recorded; leaks
// lists every answer that carries secret: in a diagnostic, a state or a
// plan.
func scanningFactories(env *testEnv, secret string) (factories map[string]func() (tfprotov6.ProviderServer, error), leaks func() []string) {
	var rec rpcRecorder
	return env.wrappedFactories(rec.wrap), func() []string {
		var found []string
		for _, c := range rec.of("") {
			for _, d := range c.diags {
				if strings.Contains(d.Summary+d.Detail, secret) {
					found = append(found, c.rpc+" diagnostic: "+d.Summary)
				}
			}
			for _, v := range c.answered() {
				if bytes.Contains(v.MsgPack, []byte(secret)) || bytes.Contains(v.JSON, []byte(secret)) {
					found = append(found, c.rpc+" value")
				}
			}
		}
		return found
	}
}

// captureTraceLog makes the provider log at TRACE into a file of the test's
// own, and returns a reader of it. The caller must not be parallel.
func captureTraceLog(t *testing.T) func() []byte {
	dir := t.TempDir()
	t.Setenv("TF_LOG", "TRACE")
	t.Setenv("TF_LOG_PATH_MASK", filepath.Join(dir, "%s.log"))
	return func() []byte {
		logs, err := os.ReadFile(filepath.Join(dir, t.Name()+".log"))
		if err != nil {
			t.Fatalf("reading the TRACE log: %v", err)
		}
		return logs
	}
}

// expectNoKeyInLog fails when logs hold the test key, or lack one of the
// strings that prove they captured what the test is about.
func expectNoKeyInLog(t *testing.T, logs []byte, mustHold ...string) {
	t.Helper()
	for _, want := range mustHold {
		if !bytes.Contains(logs, []byte(want)) {
			t.Fatalf("the TRACE log (%d bytes) has no %q: it did not capture the HTTP exchange", len(logs), want)
		}
	}
	if i := bytes.Index(logs, []byte(testAPIKey)); i >= 0 {
		lo, hi := max(0, i-200), min(len(logs), i+50)
		t.Fatalf("the TRACE log contains the API key:\n%s", logs[lo:hi])
	}
}

// Not parallel: it logs at TRACE to a file. A server that quotes the key
// back in an error body must not get it into the diagnostic or the log.
func TestAccSecrets_keyEchoedByTheServerIsScrubbed(t *testing.T) {
	env := newTestEnv(t)
	traceLog := captureTraceLog(t)
	// From the environment: Terraform logs the configuration it reads.
	t.Setenv(envAPIKey, testAPIKey)
	factories, leaks := scanningFactories(env, testAPIKey)
	echo := `{"error":{"type":"forbidden","title":"Forbidden","detail":"The key ` + testAPIKey + ` may not read gpt-5"}}`
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.sim.InjectFault(oxensim.Fault{Method: "GET", PathPrefix: "/api/ai/models/gpt-5", Status: 403, Body: echo})
			},
			Config:      fmt.Sprintf("provider \"oxen\" {\n  base_url = %q\n}\n%s", env.url, gpt5Lookup),
			ExpectError: wrapped(`Could not read model "gpt-5" .* 403 Forbidden: The key **** may not read gpt-5 (request id req_`),
		}},
	})
	if l := leaks(); len(l) > 0 {
		t.Fatalf("the echoed API key left the provider: %s", strings.Join(l, "; "))
	}
	if n := env.sim.PendingFaults(); n != 0 {
		t.Fatal("the echoing answer was never sent: the test proves nothing")
	}
	expectNoKeyInLog(t, traceLog(), "may not read gpt-5", "Bearer ****")
}
