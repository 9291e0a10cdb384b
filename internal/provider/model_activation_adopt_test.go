package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
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
			Config:           env.config(activationConfig("draft", model, "  active = false")),
			ResourceName:     "oxen_model_activation.draft",
			ImportState:      true,
			ImportStateId:    model,
			ImportStateCheck: importedAs(map[string]string{"status": "inactive", "active": "false", "deployments.#": "0"}),
		}},
	})
}

// deactivateFailed is the plan warning for a deployment in error that
// apply will stop.
func deactivateFailed(model string) *tfprotov6.Diagnostic {
	return wantWarning(fmt.Sprintf(`Apply will deactivate model %q, whose deployment failed`, model),
		fmt.Sprintf(`Model %q is "error" in the hub: its deployment failed. With active = false, apply sends `, model)+
			`deactivate and waits until the deployment is "inactive"; it does not try to deploy the model again. `+
			`To try again instead, set active = true.`,
		"active")
}

// terraform import of a deployment in error records active = false: what
// was imported never asks for the failed deployment to be retried.
func TestAccModelActivation_importCommandOfErrorReadsInactive(t *testing.T) {
	env := newTestEnv(t)
	const model = "broken-ft"
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.config(""),
		}, {
			Config:           env.config(activationConfig("broken", model, "  active = false")),
			ResourceName:     "oxen_model_activation.broken",
			ImportState:      true,
			ImportStateId:    model,
			ImportStateCheck: importedAs(map[string]string{"status": "error", "active": "false", "deactivate_on_destroy": "true"}),
		}},
		CheckDestroy: env.expectChangeRequests(model, 0, 0),
	})
}

// What the user did: a custom model's deployment is in error; an import
// block (by id, or by identity) and `plan -generate-config-out` write its
// configuration, and apply runs it. The generated configuration says
// active = false, its plan warns that apply deactivates the failed
// deployment, and apply sends deactivate, never activate.
func TestAccModelActivation_generatedConfigOfErrorSendsNoActivate(t *testing.T) {
	kinds := []struct {
		name  string
		kind  resource.ImportStateKind
		block string // how the import block names the model
	}{
		// Import blocks and -generate-config-out arrived in Terraform 1.5,
		// resource identity in 1.12.
		{"by_id", resource.ImportBlockWithID, `id = %q`},
		{"by_identity", resource.ImportBlockWithResourceIdentity, `identity = { model_id = %q }`},
	}
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			checks := []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_5_0)}
			if k.kind == resource.ImportBlockWithResourceIdentity {
				checks = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_12_0)}
			}
			env := newTestEnv(t)
			rpcs := &rpcRecorder{}
			factories := env.wrappedFactories(rpcs.wrap)
			const model = "acc-custom-4"
			workDir := t.TempDir()
			var generated string
			// Written once the configuration is generated; the test's
			// validation wants the file to exist from the start.
			applied := filepath.Join(t.TempDir(), "main.tf")
			if err := os.WriteFile(applied, nil, 0o600); err != nil {
				t.Fatal(err)
			}
			resource.ParallelTest(t, resource.TestCase{
				TerraformVersionChecks:   checks,
				ProtoV6ProviderFactories: factories,
				WorkingDir:               workDir,
				Steps: []resource.TestStep{{
					// Managed once, then forgotten: an import by identity
					// takes the identity from the state this step records.
					Config: env.config(activationConfig("earlier", model, "  active = false\n  deactivate_on_destroy = false")),
				}, {
					// The deployment fails in the hub; the model is imported
					// with -generate-config-out into a configuration of its
					// own ("generated"), the earlier resource forgotten.
					PreConfig: func() {
						env.setStatus(model, "error")
						rpcs.reset()
					},
					Config:             env.config(""),
					ResourceName:       "oxen_model_activation.earlier",
					ImportState:        true,
					ImportStateKind:    k.kind,
					ImportStateId:      model,
					GenerateConfig:     true,
					ExpectNonEmptyPlan: true,
					ImportPlanChecks: resource.ImportPlanChecks{
						PreApply: []plancheck.PlanCheck{
							plancheck.ExpectResourceAction("oxen_model_activation.generated", plancheck.ResourceActionUpdate),
							plancheck.ExpectKnownValue("oxen_model_activation.generated", tfjsonpath.New("active"), knownvalue.Bool(false)),
							plancheck.ExpectKnownValue("oxen_model_activation.generated", tfjsonpath.New("status"), knownvalue.StringExact("inactive")),
							keepGenerated{parent: workDir, into: &generated},
						},
					},
				}, {
					// Apply the generated configuration as written, with its
					// import block.
					PreConfig: func() {
						if err := expectDiags(rpcs, "PlanResourceChange", deactivateFailed(model))(nil); err != nil {
							t.Errorf("the plan of the import: %v", err)
						}
						if !regexp.MustCompile(`(?m)^\s*active\s*=\s*false\s*$`).MatchString(generated) {
							t.Errorf("the generated configuration does not say active = false:\n%s", generated)
						}
						body := env.config(generated + "\nimport {\n  to = oxen_model_activation.generated\n  " +
							fmt.Sprintf(k.block, model) + "\n}\n")
						if err := os.WriteFile(applied, []byte(body), 0o600); err != nil {
							t.Fatal(err)
						}
						rpcs.reset()
						env.sim.ResetRequests()
					},
					ConfigFile: config.StaticFile(applied),
					ConfigStateChecks: []statecheck.StateCheck{
						statusIs("oxen_model_activation.generated", "inactive"),
						statecheck.ExpectKnownValue("oxen_model_activation.generated", tfjsonpath.New("active"), knownvalue.Bool(false)),
					},
					Check: resource.ComposeAggregateTestCheckFunc(
						env.expectChangeRequests(model, 0, 1),
						env.expectSimStatus(model, "inactive"),
						expectDiags(rpcs, "PlanResourceChange", deactivateFailed(model)),
					),
				}},
			})
		})
	}
}

// keepGenerated keeps the configuration that -generate-config-out wrote.
// It runs as a plan check because the import step's working directory, a
// "work*" directory under parent, is removed when the step ends.
type keepGenerated struct {
	parent string
	into   *string
}

func (k keepGenerated) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	files, err := filepath.Glob(filepath.Join(k.parent, "work*", "generated.tf"))
	if err != nil || len(files) != 1 {
		resp.Error = fmt.Errorf("want exactly one generated.tf under %s, found %v (%v)", k.parent, files, err)
		return
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		resp.Error = err
		return
	}
	*k.into = string(b)
}
