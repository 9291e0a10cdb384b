package provider

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// rpcRecorder keeps the RPCs Terraform makes of every provider server a test
// serves through it (one per CLI command): which RPC, its request and the
// provider's answer. The CLI shows warnings to the user, but
// terraform-plugin-testing does not hand them to a test; reading them here
// is how a test checks a warning's words, counts reads or scans answers.
//
//	var rec rpcRecorder
//	factories := env.wrappedFactories(rec.wrap)
type rpcRecorder struct {
	mu      sync.Mutex
	calls   []rpcCall
	before  map[string]func()
	serving tfprotov6.ProviderServer // the last server wrapped
}

// rpcCall is one RPC the provider answered. req and resp are the
// tfprotov6 request and response, such as *tfprotov6.ReadResourceRequest.
type rpcCall struct {
	rpc   string // "ReadResource", "ApplyResourceChange"...
	req   any
	resp  any
	diags []*tfprotov6.Diagnostic
}

// wrap serves s with its RPCs recorded; pass it to env.wrappedFactories.
func (r *rpcRecorder) wrap(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.serving = recordedServer{ProviderServer: s, rec: r}
	return r.serving
}

// pressCtrlC does what Ctrl-C does to the provider serving the current
// command: Terraform sends it StopProvider, which is recorded like any RPC.
func (r *rpcRecorder) pressCtrlC() {
	r.mu.Lock()
	s := r.serving
	r.mu.Unlock()
	if s != nil {
		_, _ = s.StopProvider(context.Background(), &tfprotov6.StopProviderRequest{})
	}
}

// runBefore calls hook as each rpc begins, before the provider sees it:
// to press Ctrl-C, arm a simulator hold for apply's requests alone, or
// start counting a new CLI command.
func (r *rpcRecorder) runBefore(rpc string, hook func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.before == nil {
		r.before = map[string]func(){}
	}
	r.before[rpc] = hook
}

// of returns the recorded calls of rpc, oldest first; with no rpc, all.
func (r *rpcRecorder) of(rpc string) []rpcCall {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []rpcCall
	for _, c := range r.calls {
		if rpc == "" || c.rpc == rpc {
			out = append(out, c)
		}
	}
	return out
}

// destroys reads of r only the plans that destroy a resource (their
// planned state is null): pass it to expectDiags for what a destroy
// warns. `terraform destroy` first plans the configuration as usual to
// refresh the state, and drops that plan's warnings unless it fails.
func (r *rpcRecorder) destroys() recorded { return destroyPlans{r} }

// recorded is what expectDiags reads: an rpcRecorder, or a view of one.
type recorded interface{ of(rpc string) []rpcCall }

type destroyPlans struct{ rec *rpcRecorder }

func (d destroyPlans) of(rpc string) []rpcCall {
	return slices.DeleteFunc(d.rec.of(rpc), func(c rpcCall) bool { return !plansDestroy(c) })
}

// plansDestroy is whether c is a plan whose planned state is null, or a
// plan that failed and answered none: terraform destroy shows the
// diagnostics of a refresh plan that fails.
func plansDestroy(c rpcCall) bool {
	resp, ok := c.resp.(*tfprotov6.PlanResourceChangeResponse)
	if !ok || resp.PlannedState == nil {
		return ok
	}
	null, err := resp.PlannedState.IsNull()
	return err == nil && null
}

// count is how many times rpc was answered.
func (r *rpcRecorder) count(rpc string) int { return len(r.of(rpc)) }

// reset forgets the calls so far, so that a step checks only its own.
func (r *rpcRecorder) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = nil
}

func (r *rpcRecorder) hook(rpc string) func() {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.before[rpc]
}

// record serves one RPC through call and keeps it. The RPC's name is its
// request type's, without "Request".
func record[Req, Resp any](ctx context.Context, s recordedServer, req *Req, call func(context.Context, *Req) (*Resp, error)) (*Resp, error) {
	rpc := strings.TrimSuffix(reflect.TypeFor[Req]().Name(), "Request")
	if hook := s.rec.hook(rpc); hook != nil {
		hook()
	}
	resp, err := call(ctx, req)
	if resp != nil {
		c := rpcCall{rpc: rpc, req: req, resp: resp}
		if f := reflect.ValueOf(resp).Elem().FieldByName("Diagnostics"); f.IsValid() {
			c.diags, _ = f.Interface().([]*tfprotov6.Diagnostic)
		}
		s.rec.mu.Lock()
		s.rec.calls = append(s.rec.calls, c)
		s.rec.mu.Unlock()
	}
	return resp, err
}

// answered lists every value in the call's response: states, planned
// states, imported states.
func (c rpcCall) answered() []*tfprotov6.DynamicValue {
	var out []*tfprotov6.DynamicValue
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if dv, ok := v.Interface().(*tfprotov6.DynamicValue); ok && dv != nil {
				out = append(out, dv)
			} else if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := range v.Len() {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(c.resp))
	return out
}

// recordedServer is one provider server whose RPCs rec records: every RPC
// of tfprotov6.ProviderServer, so that a test can read any of them.
type recordedServer struct {
	tfprotov6.ProviderServer
	rec *rpcRecorder
}

func (s recordedServer) GetMetadata(ctx context.Context, req *tfprotov6.GetMetadataRequest) (*tfprotov6.GetMetadataResponse, error) {
	return record(ctx, s, req, s.ProviderServer.GetMetadata)
}

func (s recordedServer) GetProviderSchema(ctx context.Context, req *tfprotov6.GetProviderSchemaRequest) (*tfprotov6.GetProviderSchemaResponse, error) {
	return record(ctx, s, req, s.ProviderServer.GetProviderSchema)
}

func (s recordedServer) GetResourceIdentitySchemas(ctx context.Context, req *tfprotov6.GetResourceIdentitySchemasRequest) (*tfprotov6.GetResourceIdentitySchemasResponse, error) {
	return record(ctx, s, req, s.ProviderServer.GetResourceIdentitySchemas)
}

func (s recordedServer) ValidateProviderConfig(ctx context.Context, req *tfprotov6.ValidateProviderConfigRequest) (*tfprotov6.ValidateProviderConfigResponse, error) {
	return record(ctx, s, req, s.ProviderServer.ValidateProviderConfig)
}

func (s recordedServer) ConfigureProvider(ctx context.Context, req *tfprotov6.ConfigureProviderRequest) (*tfprotov6.ConfigureProviderResponse, error) {
	return record(ctx, s, req, s.ProviderServer.ConfigureProvider)
}

func (s recordedServer) StopProvider(ctx context.Context, req *tfprotov6.StopProviderRequest) (*tfprotov6.StopProviderResponse, error) {
	return record(ctx, s, req, s.ProviderServer.StopProvider)
}

func (s recordedServer) ValidateResourceConfig(ctx context.Context, req *tfprotov6.ValidateResourceConfigRequest) (*tfprotov6.ValidateResourceConfigResponse, error) {
	return record(ctx, s, req, s.ProviderServer.ValidateResourceConfig)
}

func (s recordedServer) UpgradeResourceState(ctx context.Context, req *tfprotov6.UpgradeResourceStateRequest) (*tfprotov6.UpgradeResourceStateResponse, error) {
	return record(ctx, s, req, s.ProviderServer.UpgradeResourceState)
}

func (s recordedServer) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	return record(ctx, s, req, s.ProviderServer.ReadResource)
}

func (s recordedServer) PlanResourceChange(ctx context.Context, req *tfprotov6.PlanResourceChangeRequest) (*tfprotov6.PlanResourceChangeResponse, error) {
	return record(ctx, s, req, s.ProviderServer.PlanResourceChange)
}

func (s recordedServer) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	return record(ctx, s, req, s.ProviderServer.ApplyResourceChange)
}

func (s recordedServer) ImportResourceState(ctx context.Context, req *tfprotov6.ImportResourceStateRequest) (*tfprotov6.ImportResourceStateResponse, error) {
	return record(ctx, s, req, s.ProviderServer.ImportResourceState)
}

func (s recordedServer) MoveResourceState(ctx context.Context, req *tfprotov6.MoveResourceStateRequest) (*tfprotov6.MoveResourceStateResponse, error) {
	return record(ctx, s, req, s.ProviderServer.MoveResourceState)
}

func (s recordedServer) UpgradeResourceIdentity(ctx context.Context, req *tfprotov6.UpgradeResourceIdentityRequest) (*tfprotov6.UpgradeResourceIdentityResponse, error) {
	return record(ctx, s, req, s.ProviderServer.UpgradeResourceIdentity)
}

func (s recordedServer) GenerateResourceConfig(ctx context.Context, req *tfprotov6.GenerateResourceConfigRequest) (*tfprotov6.GenerateResourceConfigResponse, error) {
	return record(ctx, s, req, s.ProviderServer.GenerateResourceConfig)
}

func (s recordedServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	return record(ctx, s, req, s.ProviderServer.ValidateDataResourceConfig)
}

func (s recordedServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return record(ctx, s, req, s.ProviderServer.ReadDataSource)
}

func (s recordedServer) CallFunction(ctx context.Context, req *tfprotov6.CallFunctionRequest) (*tfprotov6.CallFunctionResponse, error) {
	return record(ctx, s, req, s.ProviderServer.CallFunction)
}

func (s recordedServer) GetFunctions(ctx context.Context, req *tfprotov6.GetFunctionsRequest) (*tfprotov6.GetFunctionsResponse, error) {
	return record(ctx, s, req, s.ProviderServer.GetFunctions)
}

func (s recordedServer) ValidateEphemeralResourceConfig(ctx context.Context, req *tfprotov6.ValidateEphemeralResourceConfigRequest) (*tfprotov6.ValidateEphemeralResourceConfigResponse, error) {
	return record(ctx, s, req, s.ProviderServer.ValidateEphemeralResourceConfig)
}

func (s recordedServer) OpenEphemeralResource(ctx context.Context, req *tfprotov6.OpenEphemeralResourceRequest) (*tfprotov6.OpenEphemeralResourceResponse, error) {
	return record(ctx, s, req, s.ProviderServer.OpenEphemeralResource)
}

func (s recordedServer) RenewEphemeralResource(ctx context.Context, req *tfprotov6.RenewEphemeralResourceRequest) (*tfprotov6.RenewEphemeralResourceResponse, error) {
	return record(ctx, s, req, s.ProviderServer.RenewEphemeralResource)
}

func (s recordedServer) CloseEphemeralResource(ctx context.Context, req *tfprotov6.CloseEphemeralResourceRequest) (*tfprotov6.CloseEphemeralResourceResponse, error) {
	return record(ctx, s, req, s.ProviderServer.CloseEphemeralResource)
}

// expectDiags checks the diagnostics rpc returned since rec was last reset
// (of the calls rec reads: rec.destroys() reads only destroy plans): each
// of want and no other, in any order, comparing severity, summary, detail
// and the argument named. The CLI plans a resource again while applying
// it, so a diagnostic that several calls returned counts once; one call
// returning it twice fails. Request ids differ from run to run: write them
// req_N in want.
func expectDiags(rec recorded, rpc string, want ...*tfprotov6.Diagnostic) func(*terraform.State) error {
	return func(*terraform.State) error {
		seen := map[string]bool{}
		var got, exp []string
		for _, c := range rec.of(rpc) {
			inCall := map[string]bool{}
			for _, d := range c.diags {
				text := requestID.ReplaceAllString(describeDiag(d), "req_N")
				if inCall[text] {
					return fmt.Errorf("one %s returned this diagnostic twice:\n%s", rpc, text)
				}
				inCall[text] = true
				if !seen[text] {
					seen[text] = true
					got = append(got, text)
				}
			}
		}
		for _, d := range want {
			exp = append(exp, describeDiag(d))
		}
		slices.Sort(got)
		slices.Sort(exp)
		if !slices.Equal(got, exp) {
			return fmt.Errorf("%s returned the diagnostics:\n%s\nwant:\n%s", rpc, listOrNone(got), listOrNone(exp))
		}
		return nil
	}
}

func listOrNone(lines []string) string {
	if len(lines) == 0 {
		return "(none)"
	}
	return strings.Join(lines, "\n")
}

var requestID = regexp.MustCompile(`req_\d+`)

func describeDiag(d *tfprotov6.Diagnostic) string {
	at := ""
	if d.Attribute != nil {
		at = " at " + d.Attribute.String()
	}
	return fmt.Sprintf("%v %q%s: %q", d.Severity, d.Summary, at, d.Detail)
}

// wantWarning is a warning a test expects, about the argument attr names
// or, without attr, the whole resource or data source.
func wantWarning(summary, detail string, attr ...string) *tfprotov6.Diagnostic {
	d := &tfprotov6.Diagnostic{Severity: tfprotov6.DiagnosticSeverityWarning, Summary: summary, Detail: detail}
	if len(attr) > 0 {
		d.Attribute = tftypes.NewAttributePath()
		for _, a := range attr {
			d.Attribute = d.Attribute.WithAttributeName(a)
		}
	}
	return d
}

// nullObject is a config of the given object type with the named string
// attributes set and everything else null.
func nullObject(t tftypes.Type, strings map[string]string) tftypes.Value {
	obj, ok := t.(tftypes.Object)
	if !ok {
		panic(fmt.Sprintf("nullObject of a %s", t))
	}
	vals := map[string]tftypes.Value{}
	for name, at := range obj.AttributeTypes {
		vals[name] = tftypes.NewValue(at, nil)
	}
	for name, s := range strings {
		vals[name] = tftypes.NewValue(tftypes.String, s)
	}
	return tftypes.NewValue(obj, vals)
}

// configure configures server for the simulator at url.
func configure(b testing.TB, server tfprotov6.ProviderServer, url, key string) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	b.Helper()
	ctx := context.Background()
	schemas, err := server.GetProviderSchema(ctx, &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		b.Fatal(err)
	}
	providerType := schemas.Provider.ValueType()
	cfg, err := tfprotov6.NewDynamicValue(providerType, nullObject(providerType, map[string]string{"base_url": url, "api_key": key}))
	if err != nil {
		b.Fatal(err)
	}
	if resp, err := server.ConfigureProvider(ctx, &tfprotov6.ConfigureProviderRequest{Config: &cfg}); err != nil || len(resp.Diagnostics) > 0 {
		b.Fatal(err, resp.Diagnostics)
	}
	return server, schemas
}

// wrapped matches text that Terraform may have wrapped across lines: each
// space of the literal matches any run of white space, " .* " skips ahead.
func wrapped(literal string) *regexp.Regexp {
	parts := strings.Split(literal, " .* ")
	for i, p := range parts {
		words := strings.Fields(p)
		for j, w := range words {
			words[j] = regexp.QuoteMeta(w)
		}
		parts[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(parts, `.*`))
}

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

// importByModelID is the step that imports addr by its model id and checks
// the imported state matches the applied one (timeouts are configuration
// only, never imported).
func importByModelID(addr, model string) resource.TestStep {
	return resource.TestStep{
		ResourceName:                         addr,
		ImportState:                          true,
		ImportStateId:                        model,
		ImportStateVerify:                    true,
		ImportStateVerifyIdentifierAttribute: "model_id",
		ImportStateVerifyIgnore:              []string{"timeouts"},
	}
}

// setStatus moves model's deployment to status in the hub, behind the
// provider's back, as someone in the hub's console would.
func (e *testEnv) setStatus(model, status string) {
	e.t.Helper()
	if err := e.sim.SetStatus(model, status); err != nil {
		e.t.Fatal(err)
	}
}

func statusIs(addr, want string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact(want))
}

// updatesTo is the plan of an in-place change of the deployment to status,
// after which nothing is left to do.
func updatesTo(addr, status string) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(addr, plancheck.ResourceActionUpdate),
			plancheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact(status)),
		},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
}

// endsActive is the step that applies cfg with action planned for addr and
// leaves the deployment active; check then looks at how it got there.
func endsActive(cfg, addr string, action plancheck.ResourceActionType, check resource.TestCheckFunc) resource.TestStep {
	return resource.TestStep{
		Config:            cfg,
		ConfigPlanChecks:  resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(addr, action)}},
		ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "active")},
		Check:             check,
	}
}

// gpt5Lookup reads one base model; gpt5WasRead checks that it was read.
const gpt5Lookup = `
data "oxen_model" "m" {
  id = "gpt-5"
}
`

var gpt5WasRead = statecheck.ExpectKnownValue("data.oxen_model.m", tfjsonpath.New("display_name"), knownvalue.NotNull())

// meeting returns a hook that holds its callers until n of them have come
// (or a few seconds have passed), then runs then once and lets them all go.
func meeting(n int, then func()) func() {
	var (
		mu      sync.Mutex
		arrived int
		once    sync.Once
		all     = make(chan struct{})
	)
	open := func() { once.Do(func() { then(); close(all) }) }
	return func() {
		mu.Lock()
		arrived++
		if arrived == n {
			open()
		}
		mu.Unlock()
		select {
		case <-all:
		case <-time.After(5 * time.Second):
			open()
		}
	}
}

// overlappingLiveReads makes the next two live status reads of a model
// overlap on the hub: the first is held until the second arrives, or for
// at most a few seconds when none does.
func overlappingLiveReads(modelID string) oxensim.Hold {
	return oxensim.Hold{
		Match: func(r oxensim.Request) bool {
			return r.Method == "GET" && r.Path == oxensim.ModelsPath+"/"+modelID && strings.Contains(r.RawQuery, "deployment_status=live")
		},
		Together: 2,
		Max:      3 * time.Second,
	}
}

// test runs steps in parallel with the other tests, against env's
// provider. testOn, testRecorded and testActivation add a version check, a
// recorder or a check after destroy; a test that needs more of
// resource.TestCase runs resource.ParallelTest itself.
func (e *testEnv) test(steps ...resource.TestStep) {
	e.t.Helper()
	e.testOn(nil, steps...)
}

// testRecorded is test with every RPC the provider answers kept in rec.
func (e *testEnv) testRecorded(rec *rpcRecorder, steps ...resource.TestStep) {
	e.t.Helper()
	resource.ParallelTest(e.t, resource.TestCase{ProtoV6ProviderFactories: e.wrappedFactories(rec.wrap), Steps: steps})
}

// testActivation is test for steps that activate model: once they are
// destroyed, the hub must have it inactive again.
func (e *testEnv) testActivation(model string, steps ...resource.TestStep) {
	e.t.Helper()
	resource.ParallelTest(e.t, resource.TestCase{
		ProtoV6ProviderFactories: e.factories(),
		CheckDestroy:             e.expectSimStatus(model, "inactive"),
		Steps:                    steps,
	})
}

// testOn is test on the CLIs that pass versions; the others skip.
func (e *testEnv) testOn(versions []tfversion.TerraformVersionCheck, steps ...resource.TestStep) {
	e.t.Helper()
	resource.ParallelTest(e.t, resource.TestCase{
		TerraformVersionChecks:   versions,
		ProtoV6ProviderFactories: e.factories(),
		Steps:                    steps,
	})
}

// lookup is the configuration of an oxen_model data source, name, that
// reads the model id.
func lookup(name, id string) string {
	return fmt.Sprintf("data \"oxen_model\" %q {\n  id = %q\n}\n", name, id)
}
