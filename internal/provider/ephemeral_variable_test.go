package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/config"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// TestAccProvider_apiKeyFromEphemeralVariable is the set-up the provider docs
// recommend on Terraform 1.10+: api_key from an ephemeral variable, which
// Terraform keeps out of saved plans and state. The key must reach the API
// (the activation needs it) and appear in neither.
func TestAccProvider_apiKeyFromEphemeralVariable(t *testing.T) {
	skipUnlessEphemeralVariables(t)
	env := newTestEnv(t)
	const model = "my-custom-model"
	addr := "oxen_model_activation.bot"
	cfg := fmt.Sprintf(`
variable "oxen_api_key" {
  type      = string
  sensitive = true
  ephemeral = true
}

provider "oxen" {
  base_url    = %q
  api_key     = var.oxen_api_key
  max_retries = 2
}
%s`, env.url, activationConfig("bot", model, ""))

	resource.ParallelTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config:          cfg,
			ConfigVariables: config.Variables{"oxen_api_key": config.StringVariable(testAPIKey)},
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectResourceAction(addr, plancheck.ResourceActionCreate),
					planHasNo{testAPIKey},
				},
				PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), planHasNo{testAPIKey}},
			},
			ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "active"), stateOmits(testAPIKey)},
			// The activation is authenticated: the key did reach the API.
			Check: env.expectSimStatus(model, "active"),
		}},
	})
}

// skipUnlessEphemeralVariables skips on a CLI whose language has no
// `ephemeral` argument in variable blocks, asking the CLI itself: version
// numbers alone cannot tell, since Terraform has the feature from 1.10 and
// OpenTofu from 1.11, while OpenTofu 1.10 reports a version above 1.10.0.
func skipUnlessEphemeralVariables(t *testing.T) {
	t.Helper()
	if os.Getenv(resource.EnvTfAcc) == "" {
		return // resource.Test skips with its own message
	}
	cli := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if cli == "" {
		var err error
		if cli, err = exec.LookPath("terraform"); err != nil {
			return // terraform-plugin-testing finds its own CLI; the version check decides
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("variable \"k\" {\n  ephemeral = true\n}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, cli, "validate", "-no-color")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1")
	if out, err := cmd.CombinedOutput(); err != nil {
		if strings.Contains(string(out), "ephemeral") {
			t.Skipf("%s does not accept ephemeral input variables (Terraform 1.10+ and OpenTofu 1.11+ do)", cli)
		}
		t.Fatalf("%s validate: %v\n%s", cli, err, out)
	}
}

type stateOmitsCheck struct{ secret string }

// stateOmits fails when secret appears anywhere in the state.
func stateOmits(secret string) statecheck.StateCheck { return stateOmitsCheck{secret} }

func (c stateOmitsCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	raw, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	if strings.Contains(string(raw), c.secret) {
		resp.Error = fmt.Errorf("the API key is in the state: %s", raw)
	}
}
