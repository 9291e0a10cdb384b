package provider

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// appliedChange is one ApplyResourceChange: the state before and after.
type appliedChange struct {
	prior, next tftypes.Value
	errored     bool
}

// lastApply returns the last apply of oxen_model_activation, or fails.
func (r *rpcRecorder) lastApply() (appliedChange, error) {
	for _, c := range slices.Backward(r.of("ApplyResourceChange")) {
		req, resp := c.req.(*tfprotov6.ApplyResourceChangeRequest), c.resp.(*tfprotov6.ApplyResourceChangeResponse)
		if req.TypeName != "oxen_model_activation" {
			continue
		}
		typ := activationTFType()
		change := appliedChange{prior: mustUnmarshal(req.PriorState, typ), next: mustUnmarshal(resp.NewState, typ)}
		for _, d := range resp.Diagnostics {
			change.errored = change.errored || d.Severity == tfprotov6.DiagnosticSeverityError
		}
		return change, nil
	}
	return appliedChange{}, fmt.Errorf("no apply of oxen_model_activation was seen")
}

func activationTFType() tftypes.Type {
	var resp resource.SchemaResponse
	NewModelActivationResource().Schema(context.Background(), resource.SchemaRequest{}, &resp)
	return resp.Schema.Type().TerraformType(context.Background())
}

func mustUnmarshal(v *tfprotov6.DynamicValue, typ tftypes.Type) tftypes.Value {
	if v == nil {
		return tftypes.NewValue(typ, nil)
	}
	out, err := v.Unmarshal(typ)
	if err != nil {
		panic(fmt.Sprintf("unmarshal state: %v", err))
	}
	return out
}

// untaint runs the CLI's own `untaint` on address, as the error after a
// failed create tells a user to. terraform-plugin-testing can taint
// (TestStep.Taint) but cannot untaint.
func untaint(t *testing.T, parent, address string) {
	t.Helper()
	runCLI(t, parent, "has been successfully untainted", "untaint", "-no-color", address)
}

// runCLI runs the same CLI binary the steps run, with args, in the test
// case's working directory, and fails unless it succeeds saying want:
// plugin-testing makes that directory as the only "work*" directory under
// TestCase.WorkingDir, which the test sets to parent.
func runCLI(t *testing.T, parent, want string, args ...string) {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(parent, "work*"))
	if err != nil || len(dirs) != 1 {
		t.Fatalf("want exactly one working directory under %s, found %v (%v)", parent, dirs, err)
	}
	bin := accCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dirs[0]
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, out)
	}
}

// importedAs checks that terraform import recorded one resource with these
// attributes.
func importedAs(want map[string]string) func([]*terraform.InstanceState) error {
	return func(states []*terraform.InstanceState) error {
		if len(states) != 1 {
			return fmt.Errorf("import recorded %d resources, want 1", len(states))
		}
		for attr, v := range want {
			if got := states[0].Attributes[attr]; got != v {
				return fmt.Errorf("imported %s = %q, want %q", attr, got, v)
			}
		}
		return nil
	}
}

// expectChangeRequests checks how many activate and deactivate requests
// the hub saw for model.
func (e *testEnv) expectChangeRequests(model string, activates, deactivates int) func(*terraform.State) error {
	return func(*terraform.State) error {
		a := e.sim.CountRequests("POST", "/api/ai/models/"+model+"/activate")
		d := e.sim.CountRequests("POST", "/api/ai/models/"+model+"/deactivate")
		if a != activates || d != deactivates {
			return fmt.Errorf("model %q was sent %d activate and %d deactivate requests, want %d and %d", model, a, d, activates, deactivates)
		}
		return nil
	}
}
