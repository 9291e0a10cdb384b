package provider

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// Helpers of the tests of the list resource and the actions: the CLIs
// that have them, and the provider driven over the plugin protocol as
// Terraform drives it, for what the CLI does not show a test (progress
// events, the exact resource object of a list result).

// listAndActionsSkips are the CLIs without list resources and actions:
// Terraform before 1.14, and OpenTofu, which has neither at any version
// (its versions, below 1.14 so far, would not tell it).
var listAndActionsSkips = []tfversion.TerraformVersionCheck{
	tfversion.SkipBelow(tfversion.Version1_14_0),
	skipOnOpenTofu{},
}

// skipOnOpenTofu recognises OpenTofu by the registry the acceptance targets
// point terraform-plugin-testing at for it.
type skipOnOpenTofu struct{}

func (skipOnOpenTofu) CheckTerraformVersion(_ context.Context, _ tfversion.CheckTerraformVersionRequest, resp *tfversion.CheckTerraformVersionResponse) {
	if os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org" {
		resp.Skip = "OpenTofu has neither list resources nor actions"
	}
}

// runOnListsAndActions runs steps on the CLIs that have list resources and
// actions.
func (e *testEnv) runOnListsAndActions(steps ...resource.TestStep) {
	e.t.Helper()
	e.testOn(listAndActionsSkips, steps...)
}

// protocolEnv is the provider served as Terraform finds it, configured for
// a simulator.
type protocolEnv struct {
	*testEnv
	server  tfprotov6.ProviderServer
	schemas *tfprotov6.GetProviderSchemaResponse
}

func newProtocolEnv(t *testing.T, key string, opts ...envOption) *protocolEnv {
	t.Helper()
	env := newTestEnv(t, opts...)
	served, err := env.factories()["oxen"]()
	if err != nil {
		t.Fatal(err)
	}
	server, schemas := configure(t, served, env.url, key)
	return &protocolEnv{testEnv: env, server: server, schemas: schemas}
}

// list runs a ListResource RPC with the given statuses (nil: left out)
// and search ("": left out).
func (e *protocolEnv) list(statuses []string, search string, includeResource bool, limit int64) []tfprotov6.ListResourceResult {
	e.t.Helper()
	lister, ok := e.server.(tfprotov6.ListResourceServer)
	if !ok {
		e.t.Fatalf("the provider's server (%T) serves no list resources", e.server)
	}
	typ := e.schemas.ListResourceSchemas["oxen_model_activation"].ValueType()
	statusesValue := tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, nil)
	if statuses != nil {
		elems := make([]tftypes.Value, len(statuses))
		for i, s := range statuses {
			elems[i] = tftypes.NewValue(tftypes.String, s)
		}
		statusesValue = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
	}
	searchValue := tftypes.NewValue(tftypes.String, nil)
	if search != "" {
		searchValue = tftypes.NewValue(tftypes.String, search)
	}
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, map[string]tftypes.Value{"statuses": statusesValue, "search": searchValue}))
	if err != nil {
		e.t.Fatal(err)
	}
	stream, err := lister.ListResource(context.Background(), &tfprotov6.ListResourceRequest{
		TypeName: "oxen_model_activation", Config: &cfg, IncludeResource: includeResource, Limit: limit,
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return slices.Collect(stream.Results)
}

// importAndRead is what `import` records for modelID: ImportResourceState,
// then the ReadResource that follows it.
func (e *protocolEnv) importAndRead(modelID string) tftypes.Value {
	e.t.Helper()
	ctx := context.Background()
	imported, err := e.server.ImportResourceState(ctx, &tfprotov6.ImportResourceStateRequest{TypeName: "oxen_model_activation", ID: modelID})
	if err != nil || len(imported.Diagnostics) > 0 || len(imported.ImportedResources) != 1 {
		e.t.Fatalf("import %s: %v %v", modelID, err, imported)
	}
	read, err := e.server.ReadResource(ctx, &tfprotov6.ReadResourceRequest{
		TypeName: "oxen_model_activation", CurrentState: imported.ImportedResources[0].State,
		CurrentIdentity: imported.ImportedResources[0].Identity, Private: imported.ImportedResources[0].Private,
	})
	if err != nil || len(read.Diagnostics) > 0 {
		e.t.Fatalf("read %s after import: %v %v", modelID, err, read.Diagnostics)
	}
	return mustUnmarshal(read.NewState, activationTFType())
}

func diagnosticsText(diags []*tfprotov6.Diagnostic) string {
	lines := make([]string, len(diags))
	for i, d := range diags {
		lines[i] = fmt.Sprintf("%s: %s: %s", d.Severity, d.Summary, d.Detail)
	}
	return strings.Join(lines, "\n")
}

// invoked is what an InvokeAction RPC streamed back: the progress messages
// and the diagnostics it completed with.
type invoked struct {
	progress []string
	diags    []*tfprotov6.Diagnostic
}

// invoke runs action (oxen_model_activate or oxen_model_deactivate) on
// modelID over the plugin protocol; timeout "" leaves it out.
func (e *protocolEnv) invoke(action, modelID, timeout string) invoked {
	e.t.Helper()
	invoker, ok := e.server.(tfprotov6.ActionServer)
	if !ok {
		e.t.Fatalf("the provider's server (%T) serves no actions", e.server)
	}
	typ := e.schemas.ActionSchemas[action].Schema.ValueType()
	timeoutValue := tftypes.NewValue(tftypes.String, nil)
	if timeout != "" {
		timeoutValue = tftypes.NewValue(tftypes.String, timeout)
	}
	cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, map[string]tftypes.Value{
		"model_id": tftypes.NewValue(tftypes.String, modelID), "timeout": timeoutValue,
	}))
	if err != nil {
		e.t.Fatal(err)
	}
	stream, err := invoker.InvokeAction(context.Background(), &tfprotov6.InvokeActionRequest{ActionType: action, Config: &cfg})
	if err != nil {
		e.t.Fatal(err)
	}
	var out invoked
	for event := range stream.Events {
		switch ev := event.Type.(type) {
		case tfprotov6.ProgressInvokeActionEventType:
			out.progress = append(out.progress, ev.Message)
		case tfprotov6.CompletedInvokeActionEventType:
			out.diags = ev.Diagnostics
		}
	}
	return out
}

// changeRequests counts the activate and deactivate requests the hub saw
// for model.
func changeRequests(sim *oxensim.Server, model string) (activates, deactivates int) {
	return sim.CountRequests("POST", oxensim.ModelsPath+"/"+model+"/activate"),
		sim.CountRequests("POST", oxensim.ModelsPath+"/"+model+"/deactivate")
}
