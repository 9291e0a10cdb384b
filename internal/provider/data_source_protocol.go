package provider

import (
	"context"
	"maps"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The framework serves every RPC but the data source reads and oxen_model's
// validation: oxen_model and oxen_models are read here, at the plugin
// protocol, with the state their read methods encode. After a data
// source's Read the framework walks the whole state several times
// (null-block reification, semantic equality, validation of every value,
// then its own msgpack encoding); for a 5,000-model catalog those passes
// cost several times the read itself, and two-thirds of a look-up. Schemas,
// oxen_models' validation and every other RPC stay the framework's, and
// each data source's Read runs the same code through the framework, so the
// answers are the same either way.

// The data sources' type names.
const (
	modelTypeName  = "oxen_model"
	modelsTypeName = "oxen_models"
)

// notConfiguredDiag is the error of a read before the provider's Configure.
func notConfiguredDiag(typeName string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider not configured", typeName+" was read before the provider was configured. "+
		"This is a bug in the provider or in Terraform; please report it.")
}

// ProtocolServer serves the provider as main hands it to Terraform.
func ProtocolServer(version string) func() tfprotov6.ProviderServer {
	return func() tfprotov6.ProviderServer {
		p, ok := New(version)().(*OxenProvider)
		if !ok {
			// Without the concrete provider the framework serves every
			// RPC itself: slower catalog reads, same answers.
			return providerserver.NewProtocol6(New(version)())()
		}
		return newCatalogServer(p)
	}
}

// serveProtocol6 is ProtocolServer for a provider built by the caller, as
// tests build theirs.
func serveProtocol6(p *OxenProvider) func() (tfprotov6.ProviderServer, error) {
	return func() (tfprotov6.ProviderServer, error) { return newCatalogServer(p), nil }
}

func newCatalogServer(p *OxenProvider) *catalogServer {
	s := &catalogServer{}
	s.ProviderServer = providerserver.NewProtocol6(configureHook{OxenProvider: p, server: s})()
	return s
}

// catalogServer is the framework's server with the data source reads
// answered directly.
type catalogServer struct {
	tfprotov6.ProviderServer
	// data is what the provider's Configure handed to data sources.
	data atomic.Pointer[providerData]
}

// configureHook is the provider, keeping what Configure hands to data
// sources for the catalogServer.
type configureHook struct {
	*OxenProvider
	server *catalogServer
}

func (h configureHook) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	h.OxenProvider.Configure(ctx, req, resp)
	if data, ok := resp.DataSourceData.(*providerData); ok {
		h.server.data.Store(data)
	}
}

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
	modelsSchemaType = schemaType(schemaOf(&ModelsDataSource{}))
)

// ValidateDataResourceConfig answers oxen_model's validation here as well.
// Its only check is the validator on id, but the framework converts the
// whole configuration, thirty computed attributes included, to run it:
// Terraform validates every data source twice per plan, and that was a
// tenth of the time of a plan of 100 look-ups. The validators are the
// schema's own, run as the framework runs them (see
// TestCatalogServerValidatesAsTheFramework); oxen_models, whose checks span
// several arguments, stays with the framework.
func (s *catalogServer) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	if req.TypeName != modelTypeName || req.Config == nil {
		return s.ProviderServer.ValidateDataResourceConfig(ctx, req)
	}
	config, diags := decode(req.Config, modelSchemaType())
	if !diags.HasError() {
		var done bool
		if diags, done = validateStringArguments(ctx, modelSchema(), config); !done {
			return s.ProviderServer.ValidateDataResourceConfig(ctx, req)
		}
	}
	return &tfprotov6.ValidateDataResourceConfigResponse{Diagnostics: protoDiagnostics(diags)}, nil
}

// validateStringArguments runs the validators of sch's string attributes on
// config, in the order of their names. A required attribute left null
// (which the CLIs refuse before asking the provider) is not its to report:
// it returns done = false, and the framework validates. Validators of other
// attributes, and a data source's own config validators, are not run: a
// data source that has them must be validated by the framework
// (TestProtocolValidatedSchemas).
func validateStringArguments(ctx context.Context, sch schema.Schema, config tftypes.Value) (diags diag.Diagnostics, done bool) {
	var vals map[string]tftypes.Value
	if err := config.As(&vals); err != nil {
		diags.Append(mappingDiag("the configuration", err))
		return diags, true
	}
	for name, a := range sch.Attributes {
		if a.IsRequired() && vals[name].IsNull() {
			return nil, false
		}
	}
	cfg := tfsdk.Config{Raw: config, Schema: sch}
	for _, name := range slices.Sorted(maps.Keys(sch.Attributes)) {
		attr, ok := sch.Attributes[name].(schema.StringAttribute)
		if !ok || len(attr.Validators) == 0 {
			continue
		}
		value := types.StringUnknown()
		if v := vals[name]; v.IsKnown() {
			var s *string
			if err := v.As(&s); err != nil {
				diags.Append(mappingDiag("the configuration", err))
				continue
			}
			value = types.StringPointerValue(s)
		}
		p := path.Root(name)
		req := validator.StringRequest{Path: p, PathExpression: p.Expression(), Config: cfg, ConfigValue: value}
		for _, v := range attr.Validators {
			var resp validator.StringResponse
			v.ValidateString(ctx, req, &resp)
			diags.Append(resp.Diagnostics...)
		}
	}
	return diags, true
}

func (s *catalogServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	var typ tftypes.Type
	var read func(context.Context, tftypes.Value) ([]byte, diag.Diagnostics)
	switch req.TypeName {
	case modelTypeName:
		typ, read = modelSchemaType(), (&ModelDataSource{data: s.data.Load()}).read
	case modelsTypeName:
		typ = modelsSchemaType()
		read = func(ctx context.Context, config tftypes.Value) ([]byte, diag.Diagnostics) {
			return readCatalog(ctx, s.data.Load(), config)
		}
	}
	if read == nil || req.Config == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	config, diags := decode(req.Config, typ)
	if diags.HasError() {
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}, nil
	}
	state, diags := read(ctx, config)
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}
	if !diags.HasError() {
		resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	}
	return resp, nil
}

// decode is a value the protocol carries, or the diagnostic that says why
// it cannot be read.
func decode(v *tfprotov6.DynamicValue, typ tftypes.Type) (tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	val, err := v.Unmarshal(typ)
	if err != nil {
		diags.Append(mappingDiag("the value", err))
	}
	return val, diags
}

// protoDiagnostics converts diagnostics as the framework would.
func protoDiagnostics(diags diag.Diagnostics) []*tfprotov6.Diagnostic {
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
			pd.Attribute = attributePath(dp.Path())
		}
		out = append(out, pd)
	}
	return out
}

// attributePath is p on the wire, as far as its steps can be written.
func attributePath(p path.Path) *tftypes.AttributePath {
	ap := tftypes.NewAttributePath()
	for _, step := range p.Steps() {
		switch s := step.(type) {
		case path.PathStepAttributeName:
			ap = ap.WithAttributeName(string(s))
		case path.PathStepElementKeyInt:
			ap = ap.WithElementKeyInt(int(s))
		case path.PathStepElementKeyString:
			ap = ap.WithElementKeyString(string(s))
		default:
			return ap
		}
	}
	return ap
}
