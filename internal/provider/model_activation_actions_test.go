package provider

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// The actions report each status they pass through, timed by the
// provider's clock, and send a request only when the deployment is not
// already where it is asked to be or on its way there.
func TestModelDeploymentActions_progress(t *testing.T) {
	type deploymentCase struct {
		name, action, model, before string
		seen                        string // the statuses reported, each with its second
		activates, deactivates      int
		after                       string
	}
	for _, tc := range []deploymentCase{
		{"activate an inactive model", "oxen_model_activate", "my-custom-model", "", "inactive 0, deploying 0, active 60", 1, 0, "active"},
		// A model never deployed lists no deployment: it reads as inactive.
		{"activate a model never deployed", "oxen_model_activate", "never-deployed-ft", "", "inactive 0, deploying 0, active 60", 1, 0, "active"},
		// On its way already: only waiting.
		{"activate a deploying model", "oxen_model_activate", "my-custom-model", "deploying", "deploying 0, active 60", 0, 0, "active"},
		{"activate an active model", "oxen_model_activate", "support-bot-ft", "", "active 0", 0, 0, "active"},
		// The deactivations take 20 s on this simulator.
		{"deactivate an active model", "oxen_model_deactivate", "support-bot-ft", "", "active 0, deactivating 0, inactive 20", 0, 1, "inactive"},
		{"deactivate an inactive model", "oxen_model_deactivate", "my-custom-model", "", "inactive 0", 0, 0, "inactive"},
		// Stopping a failed deployment is a deactivation like any other.
		{"deactivate a failed deployment", "oxen_model_deactivate", "broken-ft", "", "error 0, deactivating 0, inactive 20", 0, 1, "inactive"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newProtocolEnv(t, testAPIKey)
			if tc.before != "" {
				env.setStatus(tc.model, tc.before)
			}
			var want []string
			for _, seen := range strings.Split(tc.seen, ", ") {
				status, seconds, _ := strings.Cut(seen, " ")
				want = append(want, fmt.Sprintf("%s: %s, %s s", tc.model, status, seconds))
			}
			got := env.invoke(tc.action, tc.model, "")
			if len(got.diags) > 0 {
				t.Fatalf("the action failed:\n%s", diagnosticsText(got.diags))
			}
			if !slices.Equal(got.progress, want) {
				t.Errorf("progress:\n  %s\nwant:\n  %s", strings.Join(got.progress, "\n  "), strings.Join(want, "\n  "))
			}
			if a, d := changeRequests(env.sim, tc.model); a != tc.activates || d != tc.deactivates {
				t.Errorf("sent %d activate and %d deactivate requests, want %d and %d", a, d, tc.activates, tc.deactivates)
			}
			if status, _ := env.sim.Status(tc.model); status != tc.after {
				t.Errorf("the deployment is %q after the action, want %q", status, tc.after)
			}
		})
	}
}

// Each way an action fails says what happened to which model and what to
// do, and a refusal or a model the action cannot act on changes nothing.
func TestModelDeploymentActions_errors(t *testing.T) {
	for _, tc := range []struct {
		name, action, model, timeout string
		arrange                      func(*oxensim.Server) error
		want                         string
		activates                    int
		after                        string
	}{{
		name: "base model", action: "oxen_model_activate", model: "claude-sonnet-4-6",
		want: `ERROR: Base model cannot be activated: "claude-sonnet-4-6" is a base model: base models are always active and have no deployment to activate.`,
	}, {
		name: "missing model", action: "oxen_model_deactivate", model: "no-such-model",
		want: `(?s)ERROR: Could not deactivate model "no-such-model": .*Model not found: no-such-model.*Check the model id.*The deployment was not changed\.$`,
	}, {
		name: "refused", action: "oxen_model_activate", model: "my-custom-model",
		arrange: func(sim *oxensim.Server) error {
			sim.InjectFault(oxensim.Fault{Method: "POST", PathPrefix: oxensim.ModelsPath + "/my-custom-model/activate", Status: 402})
			return nil
		},
		want:      `(?s)ERROR: Could not activate model "my-custom-model": .*402.*add credits to the account that owns model "my-custom-model".*The deployment was not changed\.$`,
		activates: 1, after: "inactive",
	}, {
		name: "deployment fails", action: "oxen_model_activate", model: "my-custom-model",
		arrange:   func(sim *oxensim.Server) error { return sim.FailNextDeploy("my-custom-model") },
		want:      `(?s)ERROR: Model "my-custom-model" deployment failed: While the action waited for "active": deployment of model "my-custom-model" reached "error" after 1m1s \(11 polls\).*Check the model's deployment in the Oxen hub and fix the cause, then invoke the action again\.$`,
		activates: 1, after: "error",
	}, {
		name: "timeout", action: "oxen_model_activate", model: "my-custom-model", timeout: "30s",
		want:      `(?s)ERROR: Timed out waiting for model "my-custom-model": While the action waited for "active": deployment of model "my-custom-model" still "deploying" after 30s.*The action's timeout is 30s.*sends activate only if the deployment is not already on its way to "active".*raise timeout`,
		activates: 1, after: "deploying",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			env := newProtocolEnv(t, testAPIKey)
			if tc.arrange != nil {
				if err := tc.arrange(env.sim); err != nil {
					t.Fatal(err)
				}
			}
			got := env.invoke(tc.action, tc.model, tc.timeout)
			if text := diagnosticsText(got.diags); !regexp.MustCompile(tc.want).MatchString(text) {
				t.Errorf("diagnostics:\n%s\nwant a match for %s", text, tc.want)
			}
			if a, d := changeRequests(env.sim, tc.model); a != tc.activates || d != 0 {
				t.Errorf("sent %d activate and %d deactivate requests, want %d and 0", a, d, tc.activates)
			}
			if status, _ := env.sim.Status(tc.model); status != tc.after {
				t.Errorf("the deployment is %q after the action, want %q", status, tc.after)
			}
		})
	}
}

// actionTriggerConfig is an action on model and a terraform_data whose
// creation and every change of input invoke it.
func (e *testEnv) actionTriggerConfig(action, model, input, more string) string {
	return e.config(fmt.Sprintf(`
action %[1]q "it" {
  config {
    model_id = %[2]q
  }
}

resource "terraform_data" "trigger" {
  input = %[3]q
%[4]s
  lifecycle {
    action_trigger {
      events  = [after_create, after_update]
      actions = [action.%[1]s.it]
    }
  }
}
`, action, model, input, more))
}

// expectDeployment checks the model's status on the hub and the change
// requests sent for it so far.
func (e *testEnv) expectDeployment(model, status string, activates, deactivates int) resource.TestCheckFunc {
	return resource.ComposeAggregateTestCheckFunc(e.expectChangeRequests(model, activates, deactivates), func(*terraform.State) error {
		if got, _ := e.sim.Status(model); got != status {
			return fmt.Errorf("model %q is %q on the hub, want %q", model, got, status)
		}
		return nil
	})
}

// triggered applies the action trigger with input, then checks the model's
// status on the hub and the change requests sent for it so far.
func (e *testEnv) triggered(action, model, input, status string, activates, deactivates int) resource.TestStep {
	return resource.TestStep{
		Config: e.actionTriggerConfig(action, model, input, ""),
		Check:  e.expectDeployment(model, status, activates, deactivates),
	}
}

func TestAccModelActivateAction_afterCreateAndUpdate(t *testing.T) {
	env := newTestEnv(t)
	const model = "my-custom-model"
	deactivatedByHand := env.triggered("oxen_model_activate", model, "v3", "active", 2, 0)
	deactivatedByHand.PreConfig = func() {
		env.setStatus(model, "inactive")
	}
	env.runOnListsAndActions(
		env.triggered("oxen_model_activate", model, "v1", "active", 1, 0),
		// Already active: the action invoked after the update sends nothing.
		env.triggered("oxen_model_activate", model, "v2", "active", 1, 0),
		deactivatedByHand,
	)
}

func TestAccModelDeactivateAction_afterCreateAndUpdate(t *testing.T) {
	env := newTestEnv(t)
	env.runOnListsAndActions(
		env.triggered("oxen_model_deactivate", "support-bot-ft", "v1", "inactive", 0, 1),
		env.triggered("oxen_model_deactivate", "support-bot-ft", "v2", "inactive", 0, 1),
	)
}

// An action fails the apply that triggers it with its own error; a
// refused request changes nothing.
func TestAccModelActivateAction_errors(t *testing.T) {
	env := newTestEnv(t)
	env.runOnListsAndActions(resource.TestStep{
		Config:      env.actionTriggerConfig("oxen_model_activate", "claude-sonnet-4-6", "base", ""),
		ExpectError: regexp.MustCompile(`Base model cannot be activated`),
	}, resource.TestStep{
		Config:      env.actionTriggerConfig("oxen_model_activate", "no-such-model", "missing", ""),
		ExpectError: regexp.MustCompile(`(?s)Could not activate model "no-such-model".*Model not found: no-such-model`),
	}, resource.TestStep{
		PreConfig: func() {
			env.sim.InjectFault(oxensim.Fault{Method: "POST", PathPrefix: oxensim.ModelsPath + "/my-custom-model/activate", Status: 402})
		},
		Config:      env.actionTriggerConfig("oxen_model_activate", "my-custom-model", "refused", ""),
		ExpectError: regexp.MustCompile(`(?s)Could not activate model "my-custom-model".*402.*add credits.*The deployment was not changed`),
	})
	if err := env.expectDeployment("my-custom-model", "inactive", 1, 0)(nil); err != nil {
		t.Error(err)
	}
}

// An action that cannot succeed fails the plan, so the resource that
// triggers it is not created first: a base model, a model the hub does not
// have. The advice followed (a custom model) plans and applies.
func TestAccModelActivateAction_impossibleModelFailsThePlan(t *testing.T) {
	env := newTestEnv(t)
	env.runOnListsAndActions(resource.TestStep{
		Config:      env.actionTriggerConfig("oxen_model_activate", "claude-sonnet-4-6", "base", ""),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Base model cannot be activated.*oxen_model_activate acts on custom \(fine-tuned\) models only`),
	}, resource.TestStep{
		Config:      env.actionTriggerConfig("oxen_model_deactivate", "no-such-model", "missing", ""),
		PlanOnly:    true,
		ExpectError: regexp.MustCompile(`(?s)Could not deactivate model "no-such-model".*Model not found: no-such-model.*The deployment was not changed`),
	}, resource.TestStep{
		Config: env.actionTriggerConfig("oxen_model_activate", "my-custom-model", "custom", ""),
		ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction("terraform_data.trigger", plancheck.ResourceActionCreate),
		}},
		Check: env.expectDeployment("my-custom-model", "active", 1, 0),
	})
}

// An action changes no resource's state: on a model that an
// oxen_model_activation keeps active, the next plan shows the drift and
// puts the deployment back, as the docs say.
func TestAccModelDeactivateAction_driftOnManagedModel(t *testing.T) {
	env := newTestEnv(t)
	const model = "support-bot-ft"
	cfg := env.actionTriggerConfig("oxen_model_deactivate", model, "v1", "  depends_on = [oxen_model_activation.bot]\n") + `
resource "oxen_model_activation" "bot" {
  model_id = "support-bot-ft"
}
`
	env.runOnListsAndActions(resource.TestStep{
		Config: cfg,
		Check:  env.expectDeployment(model, "inactive", 0, 1),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPostRefresh: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("oxen_model_activation.bot", plancheck.ResourceActionUpdate),
			},
		},
		ExpectNonEmptyPlan: true,
	})
}
