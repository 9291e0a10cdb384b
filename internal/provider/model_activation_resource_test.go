package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func activationConfig(name, modelID, extra string) string {
	return fmt.Sprintf(`
resource "oxen_model_activation" %q {
  model_id = %q
%s
}
`, name, modelID, extra)
}

// expectSimStatus checks the simulator's own view of a model's deployment.
func (e *testEnv) expectSimStatus(modelID, want string) func(*terraform.State) error {
	return func(*terraform.State) error {
		got, ok := e.sim.Status(modelID)
		if !ok {
			return fmt.Errorf("model %q is missing from the simulator", modelID)
		}
		if got != want {
			return fmt.Errorf("simulator reports model %q as %q, want %q", modelID, got, want)
		}
		return nil
	}
}

func statusIs(addr, want string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact(want))
}

func TestAccModelActivation_lifecycle(t *testing.T) {
	env := newTestEnv(t)
	const model = "my-custom-model"
	addr := "oxen_model_activation.bot"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.expectSimStatus(model, "inactive"),
		Steps: []resource.TestStep{{
			// Create: the plan already knows the status apply will reach.
			Config: env.config(activationConfig("bot", model, "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("deactivate_on_destroy"), knownvalue.Bool(true)),
					plancheck.ExpectUnknownValue(addr, tfjsonpath.New("deployments")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statusIs(addr, "active"),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("id"), knownvalue.StringExact(model)),
				statecheck.ExpectKnownValue(addr, tfjsonpath.New("deployments"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{"status": knownvalue.StringExact("active")}),
				})),
			},
			Check: env.expectSimStatus(model, "active"),
		}, {
			// Stop billing: an in-place update that waits for inactive.
			Config: env.config(activationConfig("bot", model, "  active = false")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("inactive")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "inactive")},
			Check:             env.expectSimStatus(model, "inactive"),
		}, {
			// Back on, then import it by model id.
			Config:            env.config(activationConfig("bot", model, "")),
			ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "active")},
		}, {
			ResourceName:                         addr,
			ImportState:                          true,
			ImportStateId:                        model,
			ImportStateVerify:                    true,
			ImportStateVerifyIdentifierAttribute: "model_id",
			ImportStateVerifyIgnore:              []string{"timeouts"},
		}},
	})
}

func TestAccModelActivation_driftIsRepaired(t *testing.T) {
	env := newTestEnv(t)
	const model = "vision-tagger-ft"
	addr := "oxen_model_activation.tagger"
	cfg := env.config(activationConfig("tagger", model, ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:            cfg,
			ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "active")},
		}, {
			// Someone stops the deployment in the hub: the plan puts it back.
			PreConfig: func() {
				if err := env.sim.SetStatus(model, "inactive"); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(true)),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "active")},
			Check:             env.expectSimStatus(model, "active"),
		}, {
			// A deployment left in error plans an update that finishes the job.
			PreConfig: func() {
				if err := env.sim.SetStatus(model, "error"); err != nil {
					t.Fatal(err)
				}
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "active")},
		}, {
			// A deployment left half-way ("deploying") is waited for, not restarted.
			PreConfig: func() {
				if err := env.sim.SetStatus(model, "deploying"); err != nil {
					t.Fatal(err)
				}
				env.sim.ResetRequests()
			},
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "active")},
			Check: func(*terraform.State) error {
				if n := env.sim.CountRequests("POST", "/api/ai/models/"+model+"/activate"); n != 0 {
					return fmt.Errorf("a deploying model was sent %d activate requests, want 0", n)
				}
				return nil
			},
		}},
	})
}

func TestAccModelActivation_planTimeErrors(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:      env.config(activationConfig("base", "claude-sonnet-4-6", "")),
			PlanOnly:    true,
			ExpectError: wrapped(`"claude-sonnet-4-6" is a base model: base models are always active and need no activation.`),
		}, {
			Config:      env.config(activationConfig("missing", "no-such-model", "")),
			PlanOnly:    true,
			ExpectError: wrapped(`Could not plan the activation of model "no-such-model" .* Model not found: no-such-model`),
		}},
	})
	if n := env.sim.CountRequests("POST", "/"); n != 0 {
		t.Fatalf("a failed plan sent %d POST requests, want 0", n)
	}
}

func TestAccModelActivation_alreadyActiveSendsNothing(t *testing.T) {
	env := newTestEnv(t)
	const model = "support-bot-ft"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.expectSimStatus(model, "active"),
		Steps: []resource.TestStep{{
			Config:            env.config(activationConfig("bot", model, "  deactivate_on_destroy = false")),
			ConfigStateChecks: []statecheck.StateCheck{statusIs("oxen_model_activation.bot", "active")},
			Check: func(*terraform.State) error {
				if n := env.sim.CountRequests("POST", "/api/ai/models/"+model); n != 0 {
					return fmt.Errorf("an active model was sent %d POST requests, want 0", n)
				}
				return nil
			},
		}},
	})
}

func TestAccModelActivation_deploymentError(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-1"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				if err := env.sim.FailNextDeploy(model); err != nil {
					t.Fatal(err)
				}
			},
			Config:      env.config(activationConfig("bot", model, "")),
			ExpectError: wrapped(`Model "acc-custom-1" deployment failed .* deployment of model "acc-custom-1" reached "error" after .* run apply again to retry`),
		}, {
			// The failed deployment stayed in state (tainted): the next apply
			// replaces it and this time the deployment comes up.
			Config: env.config(activationConfig("bot", model, "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("oxen_model_activation.bot", plancheck.ResourceActionDestroyBeforeCreate),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{statusIs("oxen_model_activation.bot", "active")},
		}},
	})
}

func TestAccModelActivation_timeoutKeepsState(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-2"
	addr := "oxen_model_activation.slow"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.expectSimStatus(model, "inactive"),
		Steps: []resource.TestStep{{
			// The deployment takes 60s; a 30s create timeout runs out first.
			Config: env.config(activationConfig("slow", model, `  timeouts {
    create = "30s"
  }`)),
			ExpectError: wrapped(`Timed out waiting for model "acc-custom-2" .* still "deploying" after 30s .* raise the timeouts block`),
		}, {
			// The deployment was recorded (tainted), so nothing is orphaned:
			// the next apply replaces it and waits for the end.
			Config: env.config(activationConfig("slow", model, "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionDestroyBeforeCreate),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "active")},
		}},
	})
}

func TestAccModelActivation_deletedModel(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-3"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.config(activationConfig("bot", model, "")),
		}, {
			// The model is deleted in the hub: refresh drops it with a warning,
			// and the plan to create it again fails on the missing model.
			PreConfig:   func() { env.sim.DeleteModel(model) },
			Config:      env.config(activationConfig("bot", model, "")),
			ExpectError: wrapped(`Model not found: acc-custom-3`),
		}},
	})
}

func TestAccModelActivation_sameModelTwiceDoesNotRace(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-4"
	cfg := env.config(activationConfig("a", model, "") + activationConfig("b", model, ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statusIs("oxen_model_activation.a", "active"),
				statusIs("oxen_model_activation.b", "active"),
			},
			Check: func(*terraform.State) error {
				if n := env.sim.CountRequests("POST", "/api/ai/models/"+model+"/activate"); n != 1 {
					return fmt.Errorf("two resources on one model sent %d activate requests, want exactly 1", n)
				}
				return nil
			},
		}},
	})
}

// TestAccModelActivation_waitFigures measures what a user pays for waiting
// on a 60-second deployment: requests sent, and how late apply returns.
func TestAccModelActivation_waitFigures(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-5"
	var start time.Time
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			PreConfig: func() {
				env.sim.ResetRequests()
				start = env.clock.Now()
			},
			Config: env.config(activationConfig("bot", model, "")),
			Check: func(*terraform.State) error {
				waited := env.clock.Now().Sub(start)
				late := waited - 60*time.Second
				gets := 0
				for _, r := range env.sim.Requests() {
					if r.Method == "GET" && strings.HasPrefix(r.Path, "/api/ai/models/"+model) {
						gets++
					}
				}
				t.Logf("60s deployment: %d GET requests, %d activate request(s), apply returned %s after it settled",
					gets, env.sim.CountRequests("POST", "/api/ai/models/"+model+"/activate"), late)
				if late < 0 || late > 10*time.Second {
					return fmt.Errorf("apply returned %s after the deployment settled, want within one poll interval (10s)", late)
				}
				if gets > 20 {
					return fmt.Errorf("%d GET requests for one 60s deployment, want at most 20", gets)
				}
				return nil
			},
		}},
	})
}
