package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// A custom model that was never deployed lists no deployment at all. It is
// not serving, so it reads as inactive: adopted with active = false it
// needs no request, and refresh keeps it inactive.
func TestAccModelActivation_neverDeployedReadsInactive(t *testing.T) {
	env := newTestEnv(t)
	const model = "never-deployed-ft"
	addr := "oxen_model_activation.draft"
	cfg := env.config(activationConfig("draft", model, "  active = false"))
	inactive := []statecheck.StateCheck{
		statusIs(addr, "inactive"),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("active"), knownvalue.Bool(false)),
		statecheck.ExpectKnownValue(addr, tfjsonpath.New("deployments"), knownvalue.ListSizeExact(0)),
	}
	resource.ParallelTest(t, resource.TestCase{
		// Import blocks and -generate-config-out arrived in Terraform 1.5.
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.expectChangeRequests(model, 0, 0),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("inactive")),
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
			},
			ConfigStateChecks: inactive,
			Check:             env.expectChangeRequests(model, 0, 0),
		}, {
			RefreshState: true,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr(addr, "status", "inactive"),
				resource.TestCheckResourceAttr(addr, "active", "false"),
				resource.TestCheckResourceAttr(addr, "deployments.#", "0"),
			),
		}},
	})
}

// Importing a model that was never deployed records active = false, so the
// configuration that Terraform generates for an import block plans the
// import alone instead of starting a billable deployment, and terraform
// import records the same.
func TestAccModelActivation_neverDeployedImport(t *testing.T) {
	env := newTestEnv(t)
	const model = "never-deployed-ft"
	generated := "oxen_model_activation.generated"
	resource.ParallelTest(t, resource.TestCase{
		// Import blocks and -generate-config-out arrived in Terraform 1.5.
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)},
		ProtoV6ProviderFactories: env.factories(),
		CheckDestroy:             env.expectChangeRequests(model, 0, 0),
		Steps: []resource.TestStep{{
			Config: env.config(""),
		}, {
			// import {} with -generate-config-out (plugin-testing names the
			// generated resource "generated").
			Config:          env.config(""),
			ResourceName:    "oxen_model_activation.draft",
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   model,
			GenerateConfig:  true,
			ImportPlanChecks: resource.ImportPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(generated, plancheck.ResourceActionNoop),
					plancheck.ExpectKnownValue(generated, tfjsonpath.New("active"), knownvalue.Bool(false)),
					plancheck.ExpectKnownValue(generated, tfjsonpath.New("status"), knownvalue.StringExact("inactive")),
				},
			},
		}, {
			Config:        env.config(activationConfig("draft", model, "  active = false")),
			ResourceName:  "oxen_model_activation.draft",
			ImportState:   true,
			ImportStateId: model,
			ImportStateCheck: func(states []*terraform.InstanceState) error {
				if len(states) != 1 {
					return fmt.Errorf("import recorded %d resources, want 1", len(states))
				}
				for attr, want := range map[string]string{"status": "inactive", "active": "false", "deployments.#": "0"} {
					if got := states[0].Attributes[attr]; got != want {
						return fmt.Errorf("imported %s = %q, want %q", attr, got, want)
					}
				}
				return nil
			},
		}},
	})
}
