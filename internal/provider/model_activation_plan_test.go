package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// A new resource that will change the deployment it adopts says so in the
// plan, above all when it will stop a serving deployment; adopting a
// deployment as it is says nothing. The id is known at plan time.
func TestAccModelActivation_adoptionWarnings(t *testing.T) {
	env := newTestEnv(t)
	rpcs := &rpcRecorder{}
	factories := env.wrappedFactories(rpcs.wrap)
	stop := activationConfig("stop", "support-bot-ft", "  active = false")
	start := activationConfig("start", "my-custom-model", "")
	keep := activationConfig("keep", "catalog-writer-ft", "  active = false")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			PreConfig: rpcs.reset,
			Config:    env.config(stop),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("oxen_model_activation.stop", tfjsonpath.New("id"), knownvalue.StringExact("support-bot-ft")),
					plancheck.ExpectKnownValue("oxen_model_activation.stop", tfjsonpath.New("status"), knownvalue.StringExact("inactive")),
				},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				expectDiags(rpcs, "PlanResourceChange", wantWarning(`Apply will stop model "support-bot-ft", which is serving`,
					`Model "support-bot-ft" is "active" in the hub. This new oxen_model_activation sets active = false, `+
						`so apply will send deactivate and wait until the deployment is "inactive". The deployment stops `+
						`serving requests. To keep it running, set active = true; to take it over as it is and change it later, `+
						`import it (an import block with id = "support-bot-ft") so that any change shows in the plan as a change of active.`,
					"active")),
				env.expectSimStatus("support-bot-ft", "inactive"),
			),
		}, {
			PreConfig: rpcs.reset,
			Config:    env.config(stop + start),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue("oxen_model_activation.start", tfjsonpath.New("id"), knownvalue.StringExact("my-custom-model")),
				},
			},
			Check: expectDiags(rpcs, "PlanResourceChange", wantWarning(`Apply will activate model "my-custom-model"`,
				`Model "my-custom-model" is "inactive" in the hub. This new oxen_model_activation sets active = true, `+
					`so apply will send activate and wait until the deployment is "active". `+
					`The deployment is billed for as long as it is up: cost_per_hour = 2.808.`,
				"active")),
		}, {
			// Already on its way to inactive: apply only waits, nothing to warn of.
			PreConfig: func() {
				rpcs.reset()
				env.setStatus("catalog-writer-ft", "deactivating")
			},
			Config: env.config(stop + start + keep),
			Check: resource.ComposeAggregateTestCheckFunc(
				expectDiags(rpcs, "PlanResourceChange"),
				env.expectChangeRequests("catalog-writer-ft", 0, 0),
			),
		}},
	})
}

// cost_per_hour is known in the plan and exact: cost_per_second × 3600
// while the planned status is active, 0 while inactive, null for a model
// not billed by time.
func TestAccModelActivation_costPerHour(t *testing.T) {
	env := newTestEnv(t)
	const model = "my-custom-model"
	addr := "oxen_model_activation.bot"
	perToken := json.RawMessage(`{"id":"per-token-ft","object":"model","created":1767000100,"owned_by":"acme-ml",
		"model_type":"custom","pricing":{"method":"per_token","input_cost_per_token":0.000001,"output_cost_per_token":0.000002},
		"deployments":[{"status":"inactive"}]}`)
	if err := env.sim.AddModel(perToken); err != nil {
		t.Fatal(err)
	}
	costIs := func(addr string, want knownvalue.Check) plancheck.PlanCheck {
		return plancheck.ExpectKnownValue(addr, tfjsonpath.New("cost_per_hour"), want)
	}
	env.test(resource.TestStep{
		Config: env.config(activationConfig("bot", model, "  active = false") + activationConfig("tokens", "per-token-ft", "")),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				costIs(addr, knownvalue.NumberExact(dec(t, "0"))),
				costIs("oxen_model_activation.tokens", knownvalue.Null()),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}, resource.TestStep{
		// Switching it on: the update plan prices the deployment.
		Config: env.config(activationConfig("bot", model, "") + activationConfig("tokens", "per-token-ft", "")),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
				costIs(addr, knownvalue.NumberExact(dec(t, "2.808"))),
			},
			PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("cost_per_hour"), knownvalue.NumberExact(dec(t, "2.808"))),
		},
	}, importByModelID(addr, model))
}

// The budget example of the docs, run as written: the fleet's cost is
// known in the plan, before anything is applied.
func TestAccModelActivation_budgetExample(t *testing.T) {
	env := newTestEnv(t)
	example, err := os.ReadFile("../../examples/resources/oxen_model_activation/budget.tf")
	if err != nil {
		t.Fatal(err)
	}
	resource.ParallelTest(t, resource.TestCase{
		// check blocks arrived in Terraform 1.5.
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.config(string(example)),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					// support-bot-ft is already active: 0.00078 × 3600; vision-tagger-ft: 0.00125 × 3600.
					plancheck.ExpectKnownValue(`oxen_model_activation.fleet["support_bot"]`, tfjsonpath.New("cost_per_hour"), knownvalue.NumberExact(dec(t, "2.808"))),
					plancheck.ExpectKnownValue(`oxen_model_activation.fleet["tagger"]`, tfjsonpath.New("cost_per_hour"), knownvalue.NumberExact(dec(t, "4.5"))),
					plancheck.ExpectKnownOutputValue("fleet_cost_per_hour", knownvalue.NumberExact(dec(t, "7.308"))),
				},
			},
		}, {
			// One deployment planned off: it counts 0.
			Config: env.config(string(example)),
			ConfigVariables: config.Variables{
				"deployments": config.MapVariable(map[string]config.Variable{"tagger": config.StringVariable("vision-tagger-ft")}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`oxen_model_activation.fleet["support_bot"]`, plancheck.ResourceActionDestroy),
					plancheck.ExpectKnownOutputValue("fleet_cost_per_hour", knownvalue.NumberExact(dec(t, "4.5"))),
				},
			},
		}, {
			// An empty fleet costs 0. It also leaves the state empty, which
			// terraform-plugin-testing needs: its end-of-test destroy reads
			// the state through a shim that refuses for_each instances.
			Config: env.config(string(example)),
			ConfigVariables: config.Variables{
				"deployments": config.MapVariable(map[string]config.Variable{}),
			},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownOutputValue("fleet_cost_per_hour", knownvalue.NumberExact(dec(t, "0"))),
				},
			},
		}},
	})
}

// Resource identity { model_id }: recorded in state, and an import block
// with identity = { model_id = ... } adopts the deployment unchanged.
func TestAccModelActivation_identity(t *testing.T) {
	env := newTestEnv(t)
	const model = "support-bot-ft"
	addr := "oxen_model_activation.bot"
	cfg := env.config(activationConfig("bot", model, ""))
	resource.ParallelTest(t, resource.TestCase{
		// Resource identity arrived in Terraform 1.12.
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)},
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectIdentity(addr, map[string]knownvalue.Check{"model_id": knownvalue.StringExact(model)}),
				statecheck.ExpectIdentityValueMatchesState(addr, tfjsonpath.New("model_id")),
			},
		}, {
			Config:          cfg,
			ResourceName:    addr,
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithResourceIdentity,
			ImportPlanChecks: resource.ImportPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("cost_per_hour"), knownvalue.NumberExact(dec(t, "2.808"))),
				},
			},
		}},
	})
}

// What the plan says for each status a new resource can find, without a CLI.
func TestAdoptionWarning(t *testing.T) {
	billed := hourlyRate{perHour: big.NewRat(351, 125)}
	cases := []struct {
		current string
		active  bool
		rate    hourlyRate
		want    string // summary: detail, or "" for no warning
	}{
		{"active", true, billed, ""},
		{"deploying", true, billed, ""},
		{"inactive", false, billed, ""},
		{"deactivating", false, billed, ""},
		{"active", false, billed, `Apply will stop model "m", which is serving: Model "m" is "active" in the hub. This new ` +
			`oxen_model_activation sets active = false, so apply will send deactivate and wait until the deployment is ` +
			`"inactive". The deployment stops serving requests. To keep it running, set active = true; to take it over ` +
			`as it is and change it later, import it (an import block with id = "m") so that any change shows in the ` +
			`plan as a change of active.`},
		{"deploying", false, billed, `Apply will stop model "m", which is deploying: Model "m" is "deploying" in the hub.`},
		{"error", false, billed, `Apply will deactivate model "m", whose deployment failed: Model "m" is "error" in the hub: ` +
			`its deployment failed. With active = false, apply sends deactivate and waits until the deployment is "inactive"; ` +
			`it does not try to deploy the model again. To try again instead, set active = true.`},
		{"error", true, billed, `Apply will try again to activate model "m", whose deployment failed: Model "m" is "error" ` +
			`in the hub: its deployment failed. With active = true, apply sends activate again and waits for the deployment ` +
			`to become "active"; unless the cause of the failure has been fixed, it is likely to fail again. Check the ` +
			`model's deployment in the Oxen hub first. To stop the deployment instead, set active = false. The deployment ` +
			`is billed for as long as it is up: cost_per_hour = 2.808.`},
		{"inactive", true, billed, `Apply will activate model "m": Model "m" is "inactive" in the hub. This new ` +
			`oxen_model_activation sets active = true, so apply will send activate and wait until the deployment is ` +
			`"active". The deployment is billed for as long as it is up: cost_per_hour = 2.808.`},
		{"deactivating", true, billed, `Apply will activate model "m": Model "m" is "deactivating" in the hub.`},
		{"inactive", true, hourlyRate{}, `Apply will activate model "m": Model "m" is "inactive" in the hub. This new ` +
			`oxen_model_activation sets active = true, so apply will send activate and wait until the deployment is "active".`},
	}
	for _, c := range cases {
		d := adoptionWarning("m", c.current, c.active, c.rate)
		switch {
		case c.want == "" && d != nil:
			t.Errorf("%s, active = %t: unexpected warning %q", c.current, c.active, d.Summary())
		case c.want == "":
		case d == nil:
			t.Errorf("%s, active = %t: no warning, want %q", c.current, c.active, c.want)
		case d.Severity() != diag.SeverityWarning || !strings.HasPrefix(d.Summary()+": "+d.Detail(), c.want):
			t.Errorf("%s, active = %t:\ngot  %s: %s\nwant %s", c.current, c.active, d.Summary(), d.Detail(), c.want)
		}
	}
}

// The rate kept in private state reads back exactly, including "not billed
// by time", and a state without it is told apart.
func TestHourlyRateRoundTrip(t *testing.T) {
	for _, h := range []hourlyRate{{perHour: big.NewRat(351, 125)}, {}} {
		got, ok := decodeRate(h.encode())
		if !ok || (got.perHour == nil) != (h.perHour == nil) || (h.perHour != nil && got.perHour.Cmp(h.perHour) != 0) {
			t.Errorf("decodeRate(%s) = %v, %t", h.encode(), got.perHour, ok)
		}
	}
	if _, ok := decodeRate(nil); ok {
		t.Error("decodeRate(nil) reports a stored rate")
	}
}

// A deployment that failed after Terraform started it: every plan that acts
// on it says so, whether apply will try again (active = true) or, as that
// warning advises, stop it (active = false). Stopping it sends no activate.
func TestAccModelActivation_errorDeploymentPlanWarns(t *testing.T) {
	env := newTestEnv(t)
	rpcs := &rpcRecorder{}
	factories := env.wrappedFactories(rpcs.wrap)
	const model = "acc-custom-5"
	addr := "oxen_model_activation.bot"
	fail := func() {
		env.setStatus(model, "error")
		rpcs.reset()
		env.sim.ResetRequests()
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: env.config(activationConfig("bot", model, "")),
		}, {
			PreConfig:        fail,
			Config:           env.config(activationConfig("bot", model, "")),
			ConfigPlanChecks: updatesTo(addr, "active"),
			Check: resource.ComposeAggregateTestCheckFunc(
				expectDiags(rpcs, "PlanResourceChange", wantWarning(`Apply will try again to activate model "acc-custom-5", whose deployment failed`,
					`Model "acc-custom-5" is "error" in the hub: its deployment failed. With active = true, apply sends `+
						`activate again and waits for the deployment to become "active"; unless the cause of the failure has `+
						`been fixed, it is likely to fail again. Check the model's deployment in the Oxen hub first. To stop `+
						`the deployment instead, set active = false. The deployment is billed for as long as it is up: cost_per_hour = 4.5.`,
					"active")),
				env.expectChangeRequests(model, 1, 0),
				env.expectSimStatus(model, "active"),
			),
		}, {
			// It fails again; the advice is followed: active = false.
			PreConfig:        fail,
			Config:           env.config(activationConfig("bot", model, "  active = false")),
			ConfigPlanChecks: updatesTo(addr, "inactive"),
			Check: resource.ComposeAggregateTestCheckFunc(
				expectDiags(rpcs, "PlanResourceChange", deactivateFailed(model)),
				env.expectChangeRequests(model, 0, 1),
				env.expectSimStatus(model, "inactive"),
			),
		}},
	})
}

// stopWarning is the plan warning for a serving (or deploying) deployment
// that apply will stop because its resource goes away.
func stopWarning(model, status, serving, cost string) *tfprotov6.Diagnostic {
	return wantWarning(fmt.Sprintf(`Apply will stop model %q, which is %s`, model, serving),
		fmt.Sprintf(`Model %[1]q is %[2]q in the hub. This oxen_model_activation is to be destroyed (removed from `+
			`the configuration, or by a destroy) with deactivate_on_destroy = true, so apply will send deactivate and `+
			`wait until model %[1]q is "inactive". The deployment stops serving requests, and its cost_per_hour = %[3]s `+
			"stops. To leave it running, apply deactivate_on_destroy = false on this resource before removing it, or "+
			"forget the resource without destroying it (`terraform state rm`, `tofu state rm`).", model, status, cost))
}

// A resource removed from the configuration (a model that drops out of a
// for_each) stops its deployment: the plan says so, with the cost that
// stops, also for a deployment that was serving before Terraform adopted
// it. Following the advice (deactivate_on_destroy = false, then remove)
// leaves the deployment running without a warning, and a stopped
// deployment goes without one.
func TestAccModelActivation_removalWarnsOfStop(t *testing.T) {
	env := newTestEnv(t)
	rpcs := &rpcRecorder{}
	factories := env.wrappedFactories(rpcs.wrap)
	fleet := `
variable "fleet" {
  type = map(object({ model = string, active = bool, keep = bool }))
}
resource "oxen_model_activation" "fleet" {
  for_each              = var.fleet
  model_id              = each.value.model
  active                = each.value.active
  deactivate_on_destroy = !each.value.keep
}
`
	member := func(model string, active, keep bool) config.Variable {
		return config.ObjectVariable(map[string]config.Variable{
			"model": config.StringVariable(model), "active": config.BoolVariable(active), "keep": config.BoolVariable(keep),
		})
	}
	// support-bot-ft serves before Terraform adopts it.
	serving := member("support-bot-ft", true, false)
	stopped := member("my-custom-model", false, false)
	reset := func() { rpcs.reset(); env.sim.ResetRequests() }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: env.config(fleet),
			ConfigVariables: config.Variables{"fleet": config.MapVariable(map[string]config.Variable{
				"serving": serving, "stopped": stopped, "tagger": member("vision-tagger-ft", true, false),
			})},
		}, {
			// serving drops out of the map; tagger is set to be kept.
			PreConfig: reset,
			Config:    env.config(fleet),
			ConfigVariables: config.Variables{"fleet": config.MapVariable(map[string]config.Variable{
				"stopped": stopped, "tagger": member("vision-tagger-ft", true, true),
			})},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(`oxen_model_activation.fleet["serving"]`, plancheck.ResourceActionDestroy),
				},
			},
			// Check would read the state through a shim that refuses
			// for_each instances.
			ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(resource.ComposeAggregateTestCheckFunc(
				expectDiags(rpcs, "PlanResourceChange", stopWarning("support-bot-ft", "active", "serving", "2.808")),
				env.expectSimStatus("support-bot-ft", "inactive"),
				env.expectChangeRequests("vision-tagger-ft", 0, 0),
			))},
		}, {
			// The rest go: the kept one keeps running, the stopped one was
			// stopped; neither warns. The empty map also leaves the state
			// empty for the test's own destroy.
			PreConfig:       reset,
			Config:          env.config(fleet),
			ConfigVariables: config.Variables{"fleet": config.MapVariable(map[string]config.Variable{})},
			Check: resource.ComposeAggregateTestCheckFunc(
				expectDiags(rpcs, "PlanResourceChange"),
				env.expectSimStatus("vision-tagger-ft", "active"),
				env.expectSimStatus("my-custom-model", "inactive"),
				func(*terraform.State) error {
					if n := env.sim.CountRequests("POST", "/"); n != 0 {
						return fmt.Errorf("removing a kept and a stopped deployment sent %d POST requests, want 0", n)
					}
					return nil
				},
			),
		}},
	})
}

// The destroy warning's other remedy, followed: a resource forgotten with
// `state rm` leaves its deployment serving, and the configuration without
// it plans nothing and warns of nothing.
func TestAccModelActivation_stateRmLeavesDeploymentRunning(t *testing.T) {
	env := newTestEnv(t)
	rpcs := &rpcRecorder{}
	factories := env.wrappedFactories(rpcs.wrap)
	const model = "support-bot-ft"
	workDir := t.TempDir()
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		WorkingDir:               workDir,
		Steps: []resource.TestStep{{
			Config: env.config(activationConfig("bot", model, "")),
		}, {
			PreConfig: func() {
				runCLI(t, workDir, "Successfully removed 1 resource instance", "state", "rm", "-no-color", "oxen_model_activation.bot")
				rpcs.reset()
				env.sim.ResetRequests()
			},
			Config: env.config(""),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				expectDiags(rpcs, "PlanResourceChange"),
				env.expectChangeRequests(model, 0, 0),
				env.expectSimStatus(model, "active"),
			),
		}},
	})
}

// A new model_id replaces the resource, which destroys the old one: the
// plan warns that the serving deployment stops, and what happens to the
// one the new resource adopts.
func TestAccModelActivation_replacementWarnsOfStop(t *testing.T) {
	env := newTestEnv(t)
	rpcs := &rpcRecorder{}
	factories := env.wrappedFactories(rpcs.wrap)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: env.config(activationConfig("bot", "support-bot-ft", "")),
		}, {
			PreConfig: rpcs.reset,
			Config:    env.config(activationConfig("bot", "my-custom-model", "")),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction("oxen_model_activation.bot", plancheck.ResourceActionDestroyBeforeCreate),
				},
			},
			Check: resource.ComposeAggregateTestCheckFunc(
				expectDiags(rpcs, "PlanResourceChange", stopWarning("support-bot-ft", "active", "serving", "2.808"),
					wantWarning(`Apply will activate model "my-custom-model"`,
						`Model "my-custom-model" is "inactive" in the hub. This new oxen_model_activation sets active = true, `+
							`so apply will send activate and wait until the deployment is "active". `+
							`The deployment is billed for as long as it is up: cost_per_hour = 2.808.`,
						"active")),
				env.expectSimStatus("support-bot-ft", "inactive"),
				env.expectSimStatus("my-custom-model", "active"),
			),
		}},
	})
}

// stateCheckFunc runs a check of the hub or of the plan's warnings where a
// TestStep.Check cannot run.
type stateCheckFunc func(*terraform.State) error

func (f stateCheckFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = f(nil)
}

// terraform destroy stops a serving deployment and one still deploying: the
// plan says so for each, with its status and cost, and that it deactivates
// one in error. A stopped one, or one with deactivate_on_destroy = false,
// goes without a warning.
func TestAccModelActivation_destroyWarnsOfStop(t *testing.T) {
	env := newTestEnv(t)
	rpcs := &rpcRecorder{}
	factories := env.wrappedFactories(rpcs.wrap)
	cfg := env.config(activationConfig("serving", "support-bot-ft", "") +
		activationConfig("starting", "acc-custom-5", "") +
		activationConfig("failed", "acc-custom-4", "") +
		activationConfig("stopped", "my-custom-model", "  active = false") +
		activationConfig("kept", "vision-tagger-ft", "  deactivate_on_destroy = false"))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config: cfg,
		}, {
			PreConfig: func() {
				// A deploy started again outside Terraform, and one failed.
				for model, status := range map[string]string{"acc-custom-5": "deploying", "acc-custom-4": "error"} {
					env.setStatus(model, status)
				}
				rpcs.reset()
			},
			Config:  cfg,
			Destroy: true,
			Check: resource.ComposeAggregateTestCheckFunc(
				expectDiags(rpcs.destroys(), "PlanResourceChange",
					stopWarning("support-bot-ft", "active", "serving", "2.808"),
					stopWarning("acc-custom-5", "deploying", "deploying", "4.5"),
					wantWarning(`Apply will deactivate model "acc-custom-4", whose deployment failed`,
						`Model "acc-custom-4" is "error" in the hub: its deployment failed. This oxen_model_activation is `+
							`to be destroyed (removed from the configuration, or by a destroy) with deactivate_on_destroy = `+
							`true, so apply will send deactivate and wait until model "acc-custom-4" is "inactive".`)),
				env.expectSimStatus("support-bot-ft", "inactive"),
				env.expectSimStatus("acc-custom-5", "inactive"),
				env.expectSimStatus("acc-custom-4", "inactive"),
				env.expectSimStatus("vision-tagger-ft", "active"),
			),
		}},
	})
}
