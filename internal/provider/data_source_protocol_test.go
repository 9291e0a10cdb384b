package provider

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// edgeModels are models in every shape the mapping has a branch for:
// each pricing method and its tables, nulls where the API allows them,
// fields this provider does not know, and numbers in every form JSON
// allows (integers, exponents, long decimals, negative zero, values no
// float64 holds).
var edgeModels = []string{
	`{"id":"edge-nulls","object":"model","created":1700000000,"owned_by":"oxen","display_name":null,
	  "capabilities":null,"pricing":null,"fine_tuning":null,"deployments":null,"developer":null,
	  "context_length":null,"max_output_tokens":null,"request_schema":null,"future_field":{"x":[1,2]}}`,
	`{"id":"edge-empty","object":"model","created":0,"owned_by":"oxen","capabilities":{},
	  "pricing":{"method":null},"fine_tuning":{"actions":null,"cost_per_second":null},"deployments":[],
	  "developer":{"name":"","logo":null}}`,
	`{"id":"edge-token","object":"model","created":1750000000,"owned_by":"oxen","model_type":"base",
	  "endpoint":"/chat/completions","pricing":{"method":"token","input_cost_per_token":3e-6,
	  "output_cost_per_token":0.000015},"context_length":200000,"max_output_tokens":-1}`,
	`{"id":"edge-grid","object":"model","created":1700000000,"owned_by":"oxen","pricing":{"method":"per_image",
	  "cost_per_image":null,"cost_per_image_grid":{"high":{"4K":1.47,"1K":0.5,"2K":null},"low":{},"none":null}}}`,
	`{"id":"edge-video","object":"model","created":1700000000,"owned_by":"oxen","pricing":{
	  "method":"per_video_output_second","cost_per_second":null,"cost_per_second_high_res":0.2,
	  "cost_per_second_with_audio":-0.0,"cost_per_second_by_resolution":{"480p":0.096,"720p":1E-1,"1080p":null}}}`,
	`{"id":"edge-numbers","object":"model","created":1700000000,"owned_by":"acme",
	  "pricing":{"method":"a-method-to-come","input_cost_per_token":0.1000000000000000055511151231257827,
	  "output_cost_per_token":123456789012345678901234567890.5,"cost_per_second":1e-300,
	  "cost_per_image":-7.25,"cost_per_second_high_res":1e400,"cost_per_second_with_audio":0.30000000000000004},
	  "context_length":9223372036854775807,"max_output_tokens":-9223372036854775808,
	  "fine_tuning":{"actions":["sft"],"cost_per_second":2.5e-4},
	  "deployments":[{"status":"hibernating","extra":1},{"status":"active"}],
	  "developer":{"name":"Acme","logo":"https://example.com/l.png"},
	  "request_schema":{"type":"object","b":1.50,"a":[true,null]}}`,
}

// simulatedCatalog is every model the simulator serves by default and the
// edge models.
func simulatedCatalog(t testing.TB) []json.RawMessage {
	t.Helper()
	models := oxensim.Seed()
	for _, m := range edgeModels {
		models = append(models, json.RawMessage(m))
	}
	return models
}

func testProvider() *OxenProvider {
	return &OxenProvider{version: "test", clock: clock.Real(), locks: newModelLocks()}
}

// The fast path answers every read as the framework's own Read, built on
// models.go, does: the same state, the same diagnostics. The framework
// server here is providerserver's alone, so its state is encoded by
// terraform-plugin-go and not by anything in data_source_protocol.go.
func TestFastPathAnswersAsTheFramework(t *testing.T) {
	catalog := simulatedCatalog(t)
	sim := httptest.NewServer(oxensim.New(oxensim.Options{APIKey: testAPIKey, Models: catalog}))
	t.Cleanup(sim.Close)
	type servers struct{ fast, framework tfprotov6.ProviderServer }
	var schemas *tfprotov6.GetProviderSchemaResponse
	byKey := map[string]servers{}
	for _, key := range []string{testAPIKey, "sk-revoked"} {
		fast := serve(testProvider())
		_, schemas = configure(t, fast, sim.URL, key)
		// Every read must be the fast path's own.
		fast.frameworkServer = frameworkReadsRefused{fast.frameworkServer}
		framework, _ := configure(t, providerserver.NewProtocol6(testProvider())(), sim.URL, key)
		byKey[key] = servers{fast, framework}
	}

	type read struct {
		key, typeName string
		args          map[string]string
		live          bool
	}
	reads := map[string]read{
		"the whole catalog":         {testAPIKey, modelsTypeName, nil, false},
		"filters ignoring case":     {testAPIKey, modelsTypeName, map[string]string{"model_type": "Custom", "endpoint": "images/generate"}, false},
		"a filter matching nothing": {testAPIKey, modelsTypeName, map[string]string{"endpoint": "/image/generate", "input_modality": "txt"}, false},
		"search":                    {testAPIKey, modelsTypeName, map[string]string{"search": "kling", "output_modality": "video"}, false},
		// Judged against the whole catalog, listed by a second request.
		"developer_name and action matching nothing": {testAPIKey, modelsTypeName, map[string]string{"developer_name": "Anthropc", "action": "dance"}, false},
		"a search finding nothing":                   {testAPIKey, modelsTypeName, map[string]string{"search": "klingg"}, false},
		"provider_name matching nothing":             {testAPIKey, modelsTypeName, map[string]string{"provider_name": "fall"}, false},
		"provider_name beside developer_name":        {testAPIKey, modelsTypeName, map[string]string{"provider_name": "fa1", "developer_name": "Anthropic"}, false},
		"the catalog, key refused":                   {"sk-revoked", modelsTypeName, nil, false},
		"a custom model, live":                       {testAPIKey, modelTypeName, map[string]string{"id": "support-bot-ft"}, true},
		"a missing model":                            {testAPIKey, modelTypeName, map[string]string{"id": "no-such-model"}, false},
		"a model, key refused":                       {"sk-revoked", modelTypeName, map[string]string{"id": "support-bot-ft"}, false},
	}
	for _, raw := range catalog {
		var m struct {
			ID string `json:"id"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		reads["model "+m.ID] = read{testAPIKey, modelTypeName, map[string]string{"id": m.ID}, false}
	}
	for name, c := range reads {
		t.Run(name, func(t *testing.T) {
			fast, framework := byKey[c.key].fast, byKey[c.key].framework
			typ := schemas.DataSourceSchemas[c.typeName].ValueType()
			config := nullObject(typ, c.args)
			if c.live {
				config = withAttribute(t, config, "live_status", tftypes.NewValue(tftypes.Bool, true))
			}
			got, want := readBoth(t, fast, framework, c.typeName, config)
			sameAnswer(t, got, want, typ)
		})
	}
}

func withAttribute(t testing.TB, obj tftypes.Value, name string, v tftypes.Value) tftypes.Value {
	t.Helper()
	var vals map[string]tftypes.Value
	if err := obj.As(&vals); err != nil {
		t.Fatal(err)
	}
	vals[name] = v
	return tftypes.NewValue(obj.Type(), vals)
}

func readBoth(t testing.TB, a, b tfprotov6.ProviderServer, typeName string, config tftypes.Value) (got, want *tfprotov6.ReadDataSourceResponse) {
	t.Helper()
	cfg, err := tfprotov6.NewDynamicValue(config.Type(), config)
	if err != nil {
		t.Fatal(err)
	}
	req := &tfprotov6.ReadDataSourceRequest{TypeName: typeName, Config: &cfg}
	if got, err = a.ReadDataSource(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	if want, err = b.ReadDataSource(context.Background(), req); err != nil {
		t.Fatal(err)
	}
	return got, want
}

// sameAnswer compares two answers to one read: diagnostics (each server's
// request has its own id) and the state, decoded.
func sameAnswer(t testing.TB, got, want *tfprotov6.ReadDataSourceResponse, typ tftypes.Type) {
	t.Helper()
	if len(got.Diagnostics) != len(want.Diagnostics) {
		t.Fatalf("diagnostics %v, want %v", got.Diagnostics, want.Diagnostics)
	}
	requestID := regexp.MustCompile(`req_\d+`)
	for i, d := range got.Diagnostics {
		w := want.Diagnostics[i]
		if d.Severity != w.Severity || d.Summary != w.Summary || !d.Attribute.Equal(w.Attribute) ||
			requestID.ReplaceAllString(d.Detail, "req_N") != requestID.ReplaceAllString(w.Detail, "req_N") {
			t.Errorf("diagnostic %d = %+v, want %+v", i, d, w)
		}
	}
	// After an error Terraform reads no state: the framework sends an
	// empty one, the fast path none.
	if slices.ContainsFunc(got.Diagnostics, func(d *tfprotov6.Diagnostic) bool {
		return d.Severity == tfprotov6.DiagnosticSeverityError
	}) {
		if got.State != nil {
			t.Errorf("state %v sent with an error", got.State)
		}
		return
	}
	if got.State == nil || want.State == nil {
		t.Fatalf("state %v, want %v", got.State, want.State)
	}
	gv, err := got.State.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	wv, err := want.State.Unmarshal(typ)
	if err != nil {
		t.Fatal(err)
	}
	if diff, err := gv.Diff(wv); err != nil || len(diff) > 0 {
		t.Errorf("state differs from the framework's: %v %v", diff, err)
	}
}

type frameworkReadsRefused struct{ frameworkServer }

func (frameworkReadsRefused) ReadDataSource(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return nil, errors.New("the read was passed on to the framework")
}

// FuzzFastPathMatchesFramework maps decoded models both ways: the fast
// path's msgpack, decoded, must be the state the framework sets from
// models.go, or both must fail with the same diagnostic.
func FuzzFastPathMatchesFramework(f *testing.F) {
	for _, raw := range simulatedCatalog(f) {
		f.Add([]byte(raw))
	}
	for _, raw := range oxensim.GenerateCatalog(20) {
		f.Add([]byte(raw))
	}
	f.Add([]byte(`{"id":"x","pricing":{"cost_per_second":1e99999999999}}`))
	f.Add([]byte(`{"id":"x","request_schema":"{","pricing":{"cost_per_image":1e-99999999999}}`))
	ctx := context.Background()
	sch := modelsSchema()
	typ := modelsSchemaType()
	config := nullObject(typ, nil)
	f.Fuzz(func(t *testing.T, body []byte) {
		var m oxen.Model
		if json.Unmarshal(body, &m) != nil {
			t.Skip()
		}
		fast, fastErr := catalogState(config, []*oxen.Model{&m})
		mm, refErr := newModelModel(&m)
		if (fastErr != nil) != (refErr != nil) {
			t.Fatalf("fast path error %v, framework's %v", fastErr, refErr)
		}
		if fastErr != nil {
			if a, b := modelDiag("the models", fastErr), modelDiag("the models", refErr); !a.Equal(b) {
				t.Fatalf("fast path says %v, framework %v", a, b)
			}
			return
		}
		state := tfsdk.State{Schema: sch, Raw: tftypes.NewValue(typ, nil)}
		if diags := state.Set(ctx, &modelsDataSourceModel{IDs: []string{m.ID}, Models: []modelModel{mm}}); diags.HasError() {
			t.Fatal(diags)
		}
		got, err := (&tfprotov6.DynamicValue{MsgPack: fast}).Unmarshal(typ)
		if err != nil {
			t.Fatal(err)
		}
		if diff, err := got.Diff(state.Raw); err != nil || len(diff) > 0 {
			t.Fatalf("fast path differs from the framework: %v %v", diff, err)
		}
	})
}

// Numbers go on the wire byte for byte as terraform-plugin-go writes the
// same decimal parsed at Terraform's precision.
func FuzzNumberEncoding(f *testing.F) {
	for _, s := range []string{
		"0", "-0", "0.0", "1", "-1", "127", "128", "-32", "-33", "255", "256", "65535", "65536", "-129",
		"-32769", "4294967295", "4294967296", "-2147483649", "9223372036854775807", "-9223372036854775808",
		"9223372036854775808", "3e-6", "3E-06", "0.000015", "1.47", "0.5", "-0.25", "1e3", "1.5e2",
		"123456789012345678", "1234567890123456789", "0.1000000000000000055511151231257827", "1e-300",
		"1e400", "2.5e-4", "1e-27", "7450580596923828125e-27", "9007199254740993e-1", "12.30", "1e9999",
		"0.30000000000000004",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var n json.Number
		if json.Unmarshal([]byte(s), &n) != nil || n == "" || len(s) > 64 {
			t.Skip()
		}
		parsed, err := parseNumber(string(n))
		if err == nil && (parsed.MantExp(nil) > 1<<14 || parsed.MantExp(nil) < -1<<14) {
			t.Skip() // written out, a number this large or small takes longer than a fuzz run allows
		}
		var w wire
		w.number("m", "a", n)
		if err != nil {
			if w.err == nil {
				t.Fatalf("%s: no error, want %v", s, err)
			}
			return
		}
		want, err := tfprotov6.NewDynamicValue(tftypes.Number, tftypes.NewValue(tftypes.Number, parsed))
		if err != nil {
			t.Fatal(err)
		}
		if w.err != nil || string(w.buf) != string(want.MsgPack) {
			t.Fatalf("%s: wrote % x (%v), terraform-plugin-go writes % x", s, w.buf, w.err, want.MsgPack)
		}
	})
}

// A number no float64 holds goes on the wire as its decimal text, and a
// price as the API wrote it: 3e-6 times 1000000 is 3.
func TestNumberAsWritten(t *testing.T) {
	var w wire
	w.number("m", "a", "3e-6")
	v, err := (&tfprotov6.DynamicValue{MsgPack: w.buf}).Unmarshal(tftypes.Number)
	if err != nil {
		t.Fatal(err)
	}
	if string(w.buf) != "\xa80.000003" {
		t.Errorf("3e-6 written as % x, want the string 0.000003", w.buf)
	}
	var f big.Float
	if err := v.As(&f); err != nil {
		t.Fatal(err)
	}
	million, _, _ := big.ParseFloat("1000000", 10, 512, big.ToNearestEven)
	if got := new(big.Float).Mul(&f, million); got.Text('f', -1) != "3" {
		t.Errorf("3e-6 * 1000000 = %s", got.Text('f', -1))
	}
}

// The model attributes of the schema and the fast path's fields agree, so
// a drift is an error diagnostic, never a malformed answer.
func TestFastPathFieldsMatchSchema(t *testing.T) {
	if _, err := modelWriter(); err != nil {
		t.Fatal(err)
	}
	attrs := modelSchemaAttributes()
	attrs["parameters"] = computedString("An attribute added to the schema only.")
	delete(attrs, "summary")
	err := sameType("", objectTFType(attrTypes(attrs)), newObjectFields(modelFields).typ)
	for _, want := range []string{
		"attribute parameters has no field in the mapping",
		"field summary of the mapping is not in the schema",
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error %v does not say %q", err, want)
		}
	}
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"ids":    tftypes.List{ElementType: tftypes.String},
		"models": tftypes.List{ElementType: objectTFType(attrTypes(attrs))},
	}}
	if _, err := catalogState(tftypes.NewValue(typ, nil), nil); err == nil || !strings.Contains(err.Error(), "parameters") {
		t.Errorf("catalogState with a drifted schema: %v", err)
	}
}

// deprecatedProvider serves oxen_model with a deprecated schema, as a
// later version of this provider might.
type deprecatedProvider struct{ *OxenProvider }

func (p deprecatedProvider) DataSources(ctx context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{func() datasource.DataSource { return deprecatedModelDataSource{&ModelDataSource{}} }}
}

type deprecatedModelDataSource struct{ *ModelDataSource }

func (d deprecatedModelDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	d.ModelDataSource.Schema(ctx, req, resp)
	resp.Schema.DeprecationMessage = "Use oxen_models instead."
}

var _ provider.Provider = deprecatedProvider{}

// Validation is the framework's: a deprecation added to a schema reaches
// Terraform through the server main serves.
func TestServedProviderWarnsOfDeprecation(t *testing.T) {
	server := serve(deprecatedProvider{testProvider()})
	typ := modelSchemaType()
	cfg, err := tfprotov6.NewDynamicValue(typ, nullObject(typ, map[string]string{"id": "gpt-image-1"}))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := server.ValidateDataResourceConfig(context.Background(),
		&tfprotov6.ValidateDataResourceConfigRequest{TypeName: modelTypeName, Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) != 1 || resp.Diagnostics[0].Severity != tfprotov6.DiagnosticSeverityWarning ||
		!strings.Contains(resp.Diagnostics[0].Detail, "Use oxen_models instead.") {
		t.Errorf("diagnostics %+v, want the deprecation warning", resp.Diagnostics)
	}
}

// A read before the provider is configured is the framework's to answer.
func TestFastPathLeavesAnUnconfiguredReadToTheFramework(t *testing.T) {
	fast := serve(testProvider())
	framework := providerserver.NewProtocol6(testProvider())()
	for _, s := range []tfprotov6.ProviderServer{fast, framework} {
		if _, err := s.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	typ := modelSchemaType()
	got, want := readBoth(t, fast, framework, modelTypeName, nullObject(typ, map[string]string{"id": "gpt-image-1"}))
	if len(got.Diagnostics) != 1 || got.Diagnostics[0].Summary != "Provider not configured" ||
		len(want.Diagnostics) != 1 || *got.Diagnostics[0] != *want.Diagnostics[0] {
		t.Errorf("diagnostics %+v, want the framework's %+v", got.Diagnostics, want.Diagnostics)
	}
}

// A diagnostic about a set element keeps its whole path.
func TestAttributePathThroughASet(t *testing.T) {
	elem := types.StringValue("b")
	p := path.Root("tags").AtSetValue(elem).AtName("x")
	got := attributePath(context.Background(), p)
	want := tftypes.NewAttributePath().WithAttributeName("tags").
		WithElementKeyValue(tftypes.NewValue(tftypes.String, "b")).WithAttributeName("x")
	if !got.Equal(want) {
		t.Errorf("path %s, want %s", got, want)
	}
}
