package provider

// This file is the fast path of the two data sources. catalogServer is the
// framework's protocol server with one RPC answered here: ReadDataSource of
// oxen_model and oxen_models, whose state it writes straight from the API's
// answer in the protocol's msgpack encoding (msgpack_wire.go). The
// framework's own read is the reference, but after Read returns it walks
// the whole state several times (null blocks, semantic equality, type
// checks, conversion, then its encoding), and for a large catalog those
// walks outweigh the read itself.
//
// Everything else is the framework's: schemas, validation (with deprecation
// warnings), configuring the provider, a read by an unconfigured provider
// or one whose configuration was deferred, resources, functions, list
// resources and actions.
//
// The values written here must be the framework's, attribute for attribute
// and number for number: TestFastPathAnswersAsTheFramework compares the
// two servers' answers for every model the simulator serves, and
// FuzzFastPathMatchesFramework compares them on decoded models. This file
// therefore shares no mapping code with models.go.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// ProtocolServer serves the provider as main hands it to Terraform.
func ProtocolServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer { return serve(newProvider(version)) }
}

// configuredProvider is a provider that tells what its Configure handed to
// data sources; nil until then.
type configuredProvider interface {
	provider.Provider
	dataSourceData() *providerData
}

// serve is the framework's server for p with the fast path in front.
func serve(p configuredProvider) *catalogServer {
	server := providerserver.NewProtocol6(p)()
	framework, ok := server.(frameworkServer)
	if !ok {
		// Only a framework version without lists or actions gets here.
		panic(fmt.Sprintf("the framework's server %T serves no list resources or actions", server))
	}
	return &catalogServer{frameworkServer: framework, provider: p}
}

// frameworkServer is what the framework's server serves. terraform-plugin-go
// finds list resources and actions by asserting interfaces beyond
// tfprotov6.ProviderServer, so catalogServer embeds them all: embedded as a
// plain ProviderServer, the framework's server would answer "not
// implemented" to every list and action RPC.
type frameworkServer interface {
	tfprotov6.ProviderServer
	tfprotov6.ListResourceServer
	tfprotov6.ActionServer
}

type catalogServer struct {
	frameworkServer
	provider configuredProvider
}

// The data sources' type names.
const (
	modelTypeName  = "oxen_model"
	modelsTypeName = "oxen_models"
)

// schemaOf is a data source's schema, built once.
func schemaOf(ds datasource.DataSource) func() schema.Schema {
	return sync.OnceValue(func() schema.Schema {
		var resp datasource.SchemaResponse
		ds.Schema(context.Background(), datasource.SchemaRequest{}, &resp)
		return resp.Schema
	})
}

// schemaType is the wire type of a data source's configuration and state.
func schemaType(s func() schema.Schema) func() tftypes.Type {
	return sync.OnceValue(func() tftypes.Type { return s().Type().TerraformType(context.Background()) })
}

var (
	modelSchema      = schemaOf(&ModelDataSource{})
	modelSchemaType  = schemaType(modelSchema)
	modelsSchema     = schemaOf(&ModelsDataSource{})
	modelsSchemaType = schemaType(modelsSchema)
)

// ReadDataSource answers a read of a configured provider whose
// configuration is wholly known; anything else is left to the framework,
// which knows what to say about it.
func (s *catalogServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	var typ tftypes.Type
	var read func(context.Context, *providerData, tftypes.Value) ([]byte, diag.Diagnostics)
	switch req.TypeName {
	case modelTypeName:
		typ, read = modelSchemaType(), fastModelRead
	case modelsTypeName:
		typ, read = modelsSchemaType(), fastCatalogRead
	}
	data := s.provider.dataSourceData()
	if read == nil || data == nil || req.Config == nil {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	config, err := req.Config.Unmarshal(typ)
	if err != nil || !config.IsFullyKnown() {
		return s.frameworkServer.ReadDataSource(ctx, req)
	}
	state, diags := read(ctx, data, config)
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(ctx, diags)}
	if !diags.HasError() {
		resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	}
	return resp, nil
}

// fastModelRead is oxen_model's read: the id stays as the user wrote it (a
// UUID stays a UUID), so the configuration and the state always agree.
func fastModelRead(ctx context.Context, data *providerData, config tftypes.Value) ([]byte, diag.Diagnostics) {
	var args map[string]tftypes.Value
	var id string
	var live *bool
	err := config.As(&args)
	if err == nil {
		err = args["id"].As(&id)
	}
	if err == nil {
		err = args["live_status"].As(&live)
	}
	if err != nil {
		var diags diag.Diagnostics
		diags.Append(modelDiag("the configuration", err))
		return nil, diags
	}
	m, raw, diags := getModel(ctx, data, id, live != nil && *live)
	if diags.HasError() {
		return nil, diags
	}
	state, err := modelState(config.Type(), m, map[string]func(w *wire) error{
		"id":          func(w *wire) error { return w.argument("id", args["id"]) },
		"live_status": func(w *wire) error { return w.argument("live_status", args["live_status"]) },
		"raw_json":    func(w *wire) error { w.string(raw); return nil },
	})
	if err != nil {
		diags.Append(modelDiag("the model", err))
		return nil, diags
	}
	return state, diags
}

// fastCatalogRead is oxen_models' read.
func fastCatalogRead(ctx context.Context, data *providerData, config tftypes.Value) ([]byte, diag.Diagnostics) {
	var query modelsDataSourceModel
	diags := tfsdk.Config{Raw: config, Schema: modelsSchema()}.Get(ctx, &query)
	if diags.HasError() {
		return nil, diags
	}
	kept, listDiags := listCatalog(ctx, data, query)
	diags.Append(listDiags...)
	if diags.HasError() {
		return nil, diags
	}
	state, err := catalogState(config, kept)
	if err != nil {
		diags.Append(modelDiag("the models", err))
		return nil, diags
	}
	return state, diags
}

// field writes one attribute of a model.
type field struct {
	// typ is the wire type the field writes, checked against the schema.
	typ   tftypes.Type
	write func(w *wire, m *oxen.Model)
}

func stringField(get func(*oxen.Model) *string) field {
	return field{tftypes.String, func(w *wire, m *oxen.Model) { w.stringPtr(get(m)) }}
}

// numberField names its attribute for the error of a number Terraform
// cannot hold.
func numberField(attribute string, get func(*oxen.Model) json.Number) field {
	return field{tftypes.Number, func(w *wire, m *oxen.Model) { w.number(m.ID, attribute, get(m)) }}
}

// stringListField is never null: an absent list is empty.
func stringListField(get func(*oxen.Model) []string) field {
	return field{tftypes.List{ElementType: tftypes.String}, func(w *wire, m *oxen.Model) {
		items := get(m)
		w.arrayLen(len(items))
		for _, s := range items {
			w.string(s)
		}
	}}
}

func numberTableField(attribute string, get func(*oxen.Model) map[string]json.Number) field {
	return field{tftypes.Map{ElementType: tftypes.Number}, func(w *wire, m *oxen.Model) {
		w.numberTable(m.ID, attribute, get(m))
	}}
}

func numberGridField(attribute string, get func(*oxen.Model) map[string]map[string]json.Number) field {
	return field{tftypes.Map{ElementType: tftypes.Map{ElementType: tftypes.Number}}, func(w *wire, m *oxen.Model) {
		writeMap(w, get(m), func(quality string, row map[string]json.Number) {
			w.numberTable(m.ID, attribute+"."+quality, row)
		})
	}}
}

// objectField is a nested object, null when present says so.
func objectField(present func(*oxen.Model) bool, fields map[string]field) field {
	obj := newObjectFields(fields)
	return field{obj.typ, func(w *wire, m *oxen.Model) {
		if present(m) {
			obj.write(w, m)
		} else {
			w.null()
		}
	}}
}

func deploymentsField() field {
	elem := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"status": tftypes.String}}
	return field{tftypes.List{ElementType: elem}, func(w *wire, m *oxen.Model) {
		w.arrayLen(len(m.Deployments))
		for _, d := range m.Deployments {
			w.mapLen(1)
			w.string("status")
			w.string(d.Status)
		}
	}}
}

// modelFields says how each attribute of a model is written. Nested fields
// are only called when their object is present.
var modelFields = map[string]field{
	"id":           stringField(func(m *oxen.Model) *string { return &m.ID }),
	"object":       stringField(func(m *oxen.Model) *string { return &m.Object }),
	"created":      numberField("created", func(m *oxen.Model) json.Number { return m.Created }),
	"owned_by":     stringField(func(m *oxen.Model) *string { return &m.OwnedBy }),
	"display_name": stringField(func(m *oxen.Model) *string { return m.DisplayName }),
	"description":  stringField(func(m *oxen.Model) *string { return m.Description }),
	"summary":      stringField(func(m *oxen.Model) *string { return m.Summary }),
	"model_type":   stringField(func(m *oxen.Model) *string { return m.ModelType }),
	"endpoint":     stringField(func(m *oxen.Model) *string { return m.Endpoint }),
	"capabilities": objectField(func(m *oxen.Model) bool { return m.Capabilities != nil }, map[string]field{
		"input":  stringListField(func(m *oxen.Model) []string { return m.Capabilities.Input }),
		"output": stringListField(func(m *oxen.Model) []string { return m.Capabilities.Output }),
	}),
	"pricing": objectField(func(m *oxen.Model) bool { return m.Pricing != nil }, pricingFields()),
	"fine_tuning": objectField(func(m *oxen.Model) bool { return m.FineTuning != nil }, map[string]field{
		"actions": stringListField(func(m *oxen.Model) []string { return m.FineTuning.Actions }),
		"cost_per_second": numberField("fine_tuning.cost_per_second",
			func(m *oxen.Model) json.Number { return m.FineTuning.CostPerSecond }),
	}),
	"deployments": deploymentsField(),
	"status": stringField(func(m *oxen.Model) *string {
		if len(m.Deployments) == 0 {
			return nil
		}
		s := m.Status()
		return &s
	}),
	"developer": objectField(func(m *oxen.Model) bool { return m.Developer != nil }, map[string]field{
		"name": stringField(func(m *oxen.Model) *string { return &m.Developer.Name }),
		"logo": stringField(func(m *oxen.Model) *string { return m.Developer.Logo }),
	}),
	"source_model":      stringField(func(m *oxen.Model) *string { return m.SourceModel }),
	"image_url":         stringField(func(m *oxen.Model) *string { return m.ImageURL }),
	"released_at":       stringField(func(m *oxen.Model) *string { return m.ReleasedAt }),
	"context_length":    numberField("context_length", func(m *oxen.Model) json.Number { return m.ContextLength }),
	"max_output_tokens": numberField("max_output_tokens", func(m *oxen.Model) json.Number { return m.MaxOutputTok }),
	"request_schema": {tftypes.String, func(w *wire, m *oxen.Model) {
		if len(m.RequestSchema) == 0 {
			w.null()
			return
		}
		s, err := normalizeJSON(m.RequestSchema)
		if err != nil {
			w.fail(unreadableError{model: m.ID, err: err})
			w.null()
			return
		}
		w.string(s)
	}},
}

// pricingPrices are the single prices of pricing.
var pricingPrices = map[string]func(p *oxen.Pricing) json.Number{
	"input_cost_per_token":       func(p *oxen.Pricing) json.Number { return p.InputCostPerToken },
	"output_cost_per_token":      func(p *oxen.Pricing) json.Number { return p.OutputCostPerToken },
	"cost_per_second":            func(p *oxen.Pricing) json.Number { return p.CostPerSecond },
	"cost_per_image":             func(p *oxen.Pricing) json.Number { return p.CostPerImage },
	"cost_per_second_high_res":   func(p *oxen.Pricing) json.Number { return p.CostPerSecondHighRes },
	"cost_per_second_with_audio": func(p *oxen.Pricing) json.Number { return p.CostPerSecondWithAudio },
}

func pricingFields() map[string]field {
	fields := map[string]field{
		"method": stringField(func(m *oxen.Model) *string { return m.Pricing.Method }),
		"cost_per_image_grid": numberGridField("pricing.cost_per_image_grid",
			func(m *oxen.Model) map[string]map[string]json.Number { return m.Pricing.CostPerImageGrid }),
		"cost_per_second_by_resolution": numberTableField("pricing.cost_per_second_by_resolution",
			func(m *oxen.Model) map[string]json.Number { return m.Pricing.CostPerSecondByResolution }),
	}
	for name, price := range pricingPrices {
		fields[name] = numberField("pricing."+name, func(m *oxen.Model) json.Number { return price(m.Pricing) })
	}
	return fields
}

// objectFields writes the fields of one object in the order the protocol
// uses, sorted by name, with each name encoded once.
type objectFields struct {
	typ    tftypes.Object
	keys   [][]byte
	fields []field
	byName map[string]field
}

func newObjectFields(fields map[string]field) objectFields {
	obj := objectFields{typ: tftypes.Object{AttributeTypes: make(map[string]tftypes.Type, len(fields))}, byName: fields}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		var key wire
		key.string(name)
		obj.keys = append(obj.keys, key.buf)
		obj.fields = append(obj.fields, fields[name])
		obj.typ.AttributeTypes[name] = fields[name].typ
	}
	return obj
}

func (o objectFields) write(w *wire, m *oxen.Model) {
	w.mapLen(len(o.fields))
	for i, f := range o.fields {
		w.buf = append(w.buf, o.keys[i]...)
		f.write(w, m)
	}
}

// modelWriter writes model objects once modelFields has been checked
// against the schema: an attribute added to one and not the other is an
// error diagnostic naming it, never a malformed answer.
var modelWriter = sync.OnceValues(func() (objectFields, error) {
	obj := newObjectFields(modelFields)
	if err := sameType("", modelTFType(), obj.typ); err != nil {
		return objectFields{}, fmt.Errorf("the model attributes of the schema and of the mapping differ: %w", err)
	}
	return obj, nil
})

// sameType explains the differences between the schema's type and the
// mapping's, attribute by attribute, or returns nil. at names the value
// compared, empty at the top.
func sameType(at string, schema, mapping tftypes.Type) error {
	if sl, ok := schema.(tftypes.List); ok {
		if ml, ok := mapping.(tftypes.List); ok {
			return sameType(at+"[]", sl.ElementType, ml.ElementType)
		}
	}
	so, sok := schema.(tftypes.Object)
	mo, mok := mapping.(tftypes.Object)
	if !sok || !mok {
		if !schema.Equal(mapping) {
			return fmt.Errorf("%s is %s in the schema but %s in the mapping", at, schema, mapping)
		}
		return nil
	}
	child := func(name string) string {
		if at == "" || strings.HasSuffix(at, "[]") {
			return name
		}
		return at + "." + name
	}
	var errs []string
	for _, name := range slices.Sorted(maps.Keys(so.AttributeTypes)) {
		if _, ok := mo.AttributeTypes[name]; !ok {
			errs = append(errs, fmt.Sprintf("attribute %s has no field in the mapping", child(name)))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(mo.AttributeTypes)) {
		st, ok := so.AttributeTypes[name]
		if !ok {
			errs = append(errs, fmt.Sprintf("field %s of the mapping is not in the schema", child(name)))
			continue
		}
		if err := sameType(child(name), st, mo.AttributeTypes[name]); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// modelState encodes the state of a data source of type typ that is one
// model: each attribute comes from own when it is named there (the
// arguments, raw_json), otherwise from the model's fields.
func modelState(typ tftypes.Type, m *oxen.Model, own map[string]func(w *wire) error) ([]byte, error) {
	obj, err := modelWriter()
	if err != nil {
		return nil, err
	}
	st, ok := typ.(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("the state is a %s, not an object", typ)
	}
	var w wire
	w.mapLen(len(st.AttributeTypes))
	for _, name := range slices.Sorted(maps.Keys(st.AttributeTypes)) {
		w.string(name)
		if write, ok := own[name]; ok {
			if err := write(&w); err != nil {
				return nil, err
			}
			continue
		}
		f, ok := obj.byName[name]
		if !ok {
			return nil, fmt.Errorf("attribute %s has no field in the mapping", name)
		}
		if err := sameType(name, st.AttributeTypes[name], f.typ); err != nil {
			return nil, err
		}
		f.write(&w, m)
	}
	return w.buf, w.err
}

// catalogState encodes the state of an oxen_models data source from its
// configuration: the arguments as configured, then ids and models.
func catalogState(config tftypes.Value, kept []*oxen.Model) ([]byte, error) {
	obj, err := modelWriter()
	if err != nil {
		return nil, err
	}
	st, ok := config.Type().(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("the configuration is a %s, not an object", config.Type())
	}
	if err := sameType("", st.AttributeTypes["models"], tftypes.List{ElementType: obj.typ}); err != nil {
		return nil, fmt.Errorf("models: %w", err)
	}
	var args map[string]tftypes.Value
	if err := config.As(&args); err != nil {
		return nil, err
	}
	// Growing the buffer once for a typical model is cheaper than doubling
	// it again and again for a large catalog.
	w := wire{buf: make([]byte, 0, 64+800*len(kept))}
	w.mapLen(len(st.AttributeTypes))
	for _, name := range slices.Sorted(maps.Keys(st.AttributeTypes)) {
		w.string(name)
		switch name {
		case "ids":
			w.arrayLen(len(kept))
			for _, m := range kept {
				w.string(m.ID)
			}
		case "models":
			w.arrayLen(len(kept))
			for _, m := range kept {
				obj.write(&w, m)
			}
		default:
			if err := w.argument(name, args[name]); err != nil {
				return nil, err
			}
		}
	}
	if w.err != nil {
		return nil, w.err
	}
	return w.buf, nil
}

// protoDiagnostics converts diagnostics as the framework would.
func protoDiagnostics(ctx context.Context, diags diag.Diagnostics) []*tfprotov6.Diagnostic {
	out := make([]*tfprotov6.Diagnostic, 0, len(diags))
	for _, d := range diags {
		pd := &tfprotov6.Diagnostic{
			Severity: tfprotov6.DiagnosticSeverityWarning,
			Summary:  d.Summary(),
			Detail:   d.Detail(),
		}
		if d.Severity() == diag.SeverityError {
			pd.Severity = tfprotov6.DiagnosticSeverityError
		}
		if dp, ok := d.(diag.DiagnosticWithPath); ok {
			pd.Attribute = attributePath(ctx, dp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath is p on the wire. A set element's value that cannot be
// converted ends the path there, as the framework's own conversion would
// fail the whole diagnostic.
func attributePath(ctx context.Context, p path.Path) *tftypes.AttributePath {
	ap := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(s))
		case path.PathStepElementKeyValue:
			v, err := s.ToTerraformValue(ctx)
			if err != nil {
				return ap
			}
			ap = ap.WithElementKeyValue(v)
		default:
			return ap
		}
	}
	return ap
}

// argument writes a configured argument back into the state as written:
// a string, a bool or null, the kinds the data sources' arguments have.
func (w *wire) argument(name string, v tftypes.Value) error {
	switch {
	case v.IsNull():
		w.null()
	case v.Type().Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			return fmt.Errorf("argument %s: %w", name, err)
		}
		w.string(s)
	case v.Type().Is(tftypes.Bool):
		var b bool
		if err := v.As(&b); err != nil {
			return fmt.Errorf("argument %s: %w", name, err)
		}
		w.bool(b)
	default:
		return fmt.Errorf("argument %s is a %s, which the mapping does not write", name, v.Type())
	}
	return nil
}
