package provider

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// adoptQuery is the query of the README's "Adopting existing deployments":
// the settled deployments, which import as they are.
const adoptQuery = `list "oxen_model_activation" "settled" {
  provider = oxen
  config {
    statuses = ["active", "inactive"]
  }
}
`

// skipWithoutQuery skips a binary run on a CLI without `terraform query`,
// before the provider binary is built for it.
func skipWithoutQuery(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		return // newBinaryRun skips it
	}
	cli := accCLI(t)
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		t.Skip("OpenTofu has no list resources")
	}
	out, err := exec.Command(cli, "version", "-json").Output()
	if err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	var v struct {
		Version string `json:"terraform_version"`
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("%s version -json: %v\n%s", cli, err, out)
	}
	var major, minor int
	if _, err := fmt.Sscanf(v.Version, "%d.%d", &major, &minor); err != nil {
		t.Fatalf("%s version -json: %v", cli, err)
	}
	if major == 1 && minor < 14 {
		t.Skipf("Terraform %s has no list resources (1.14+)", v.Version)
	}
}

// A user adopts the deployments made by hand: terraform query writes their
// import and resource blocks, apply imports them all without activating or
// deactivating anything, and the next plan is empty. The CLI runs the
// provider binary, as a user's does: terraform-plugin-testing's query steps
// cannot generate configuration.
func TestAccModelActivationList_generateImportApply(t *testing.T) {
	skipWithoutQuery(t)
	env := newTestEnv(t)
	r := newBinaryRun(t, env.config(""))
	mustWrite(t, filepath.Join(r.work, "adopt.tfquery.hcl"), 0o644, adoptQuery)

	run := func(args ...string) string {
		t.Helper()
		out, stderr, err := r.command(args)
		if err != nil {
			t.Fatalf("%s: %v\n%s\nprovider stderr:\n%s", strings.Join(args, " "), err, out, stderr)
		}
		return out
	}
	out := run("query", "-no-color", "-generate-config-out=adopt.tf")
	for _, want := range []string{"support-bot-ft (active)", "never-deployed-ft (inactive)", "my-custom-model (inactive)"} {
		if !strings.Contains(out, want) {
			t.Errorf("terraform query shows no %q:\n%s", want, out)
		}
	}
	for _, unwanted := range []string{"broken-ft", "catalog-writer-ft", "claude-sonnet-4-6"} {
		if strings.Contains(out, unwanted) {
			t.Errorf("terraform query lists %s, which the statuses exclude:\n%s", unwanted, out)
		}
	}
	generated, err := os.ReadFile(filepath.Join(r.work, "adopt.tf"))
	if err != nil {
		t.Fatal(err)
	}
	const settled = 13 // the seed's custom models less the one in error and the one deactivating
	if n := strings.Count(string(generated), "import {"); n != settled {
		t.Errorf("adopt.tf has %d import blocks, want %d:\n%s", n, settled, generated)
	}
	serving := regexp.MustCompile(`resource "oxen_model_activation" "\w+" {[^}]*model_id\s+= "support-bot-ft"[^}]*}`)
	if block := serving.FindString(string(generated)); !regexp.MustCompile(`active\s+= true`).MatchString(block) {
		t.Errorf("adopt.tf does not keep support-bot-ft active:\n%s", generated)
	}

	applied := run("apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(applied, "Apply complete! Resources: 13 imported, 0 added, 0 changed, 0 destroyed.") {
		t.Errorf("apply did not import the 13 deployments alone:\n%s", applied)
	}
	planned := run("plan", "-input=false", "-no-color", "-detailed-exitcode")
	if !strings.Contains(planned, "No changes.") {
		t.Errorf("the plan after the import is not empty:\n%s", planned)
	}
	if n := env.sim.CountRequests("POST", oxensim.ModelsPath); n != 0 {
		t.Errorf("adopting sent %d activate or deactivate requests, want 0", n)
	}
	t.Logf("terraform query:\n%s\nadopt.tf:\n%s", out, generated)
}
