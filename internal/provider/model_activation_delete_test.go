package provider

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// Delete is called without a refresh first under `terraform destroy
// -refresh=false`, which the acceptance framework cannot run, so these
// tests call it directly against the simulator.
// The simulator and the provider share a fake clock, as in newTestEnv.
func deleteActivation(t *testing.T, opts oxensim.Options, prepare func(*oxensim.Server), modelID string, deactivate bool) (resource.DeleteResponse, *oxensim.Server) {
	t.Helper()
	ctx := context.Background()
	fake := clock.NewFake(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	opts.APIKey, opts.Clock = testAPIKey, fake
	sim := oxensim.New(opts)
	if prepare != nil {
		prepare(sim)
	}
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	client, err := oxen.New(oxen.Config{BaseURL: srv.URL, APIKey: testAPIKey, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	r := &ModelActivationResource{data: &providerData{
		client: client, hasAPIKey: true, pollInterval: defaultPollInterval, clock: fake, locks: newModelLocks(),
	}}
	var schema resource.SchemaResponse
	r.Schema(ctx, resource.SchemaRequest{}, &schema)
	state := tfsdk.State{Schema: schema.Schema}
	timeoutTypes := map[string]attr.Type{"create": types.StringType, "update": types.StringType, "delete": types.StringType}
	var diags diag.Diagnostics
	deployments := deploymentsValue(ctx, []oxen.Deployment{{Status: "active"}}, &diags)
	diags.Append(state.Set(ctx, &modelActivationModel{
		ID:                  types.StringValue(modelID),
		ModelID:             types.StringValue(modelID),
		Active:              types.BoolValue(true),
		DeactivateOnDestroy: types.BoolValue(deactivate),
		Status:              types.StringValue("active"),
		Deployments:         deployments,
		Timeouts:            timeouts.Value{Object: types.ObjectNull(timeoutTypes)},
	})...)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var resp resource.DeleteResponse
	r.Delete(ctx, resource.DeleteRequest{State: state}, &resp)
	return resp, sim
}

func TestModelActivationDelete_missingModelIsSuccess(t *testing.T) {
	resp, sim := deleteActivation(t, oxensim.Options{}, func(s *oxensim.Server) { s.DeleteModel("support-bot-ft") }, "support-bot-ft", true)
	if resp.Diagnostics.HasError() {
		t.Fatalf("destroying the activation of a deleted model failed: %v", resp.Diagnostics)
	}
	if n := sim.CountRequests("POST", "/"); n != 0 {
		t.Fatalf("%d POST requests for a deleted model, want 0", n)
	}
	if n := sim.CountRequests("GET", "/api/ai/models/support-bot-ft"); n != 1 {
		t.Fatalf("%d look-ups of the deleted model, want 1", n)
	}
}

func TestModelActivationDelete_deactivatesAndWaits(t *testing.T) {
	resp, sim := deleteActivation(t, oxensim.Options{DeactivateDuration: 30 * time.Second}, nil, "support-bot-ft", true)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if st, _ := sim.Status("support-bot-ft"); st != "inactive" {
		t.Fatalf("after destroy the deployment is %q, want inactive", st)
	}
}

func TestModelActivationDelete_keepsDeploymentWhenAsked(t *testing.T) {
	resp, sim := deleteActivation(t, oxensim.Options{}, nil, "support-bot-ft", false)
	if resp.Diagnostics.HasError() {
		t.Fatal(resp.Diagnostics)
	}
	if n := len(sim.Requests()); n != 0 {
		t.Fatalf("deactivate_on_destroy = false still sent %d requests", n)
	}
	if st, _ := sim.Status("support-bot-ft"); st != "active" {
		t.Fatalf("the deployment is %q, want it left active", st)
	}
}
