package provider

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// The framework serves every RPC but one: oxen_models reads are answered
// here, at the plugin protocol, with the state readCatalog encodes. After a
// data source's Read the framework walks the whole state several times
// (null-block reification, semantic equality, validation of every value,
// then its own msgpack encoding); for a 5,000-model catalog those passes
// cost several times the read itself. Schema, validation and every other
// RPC stay the framework's, so the data source behaves the same either way.

// modelsTypeName is the oxen_models data source's type name.
const modelsTypeName = "oxen_models"

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

// catalogServer is the framework's server with oxen_models reads answered
// directly.
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

// modelsSchemaType is the wire type of oxen_models' configuration and state.
var modelsSchemaType = sync.OnceValue(func() tftypes.Type {
	var resp datasource.SchemaResponse
	(&ModelsDataSource{}).Schema(context.Background(), datasource.SchemaRequest{}, &resp)
	return resp.Schema.Type().TerraformType(context.Background())
})

func (s *catalogServer) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	if req.TypeName != modelsTypeName || req.Config == nil {
		return s.ProviderServer.ReadDataSource(ctx, req)
	}
	config, err := req.Config.Unmarshal(modelsSchemaType())
	if err != nil {
		var diags diag.Diagnostics
		diags.AddError("Could not read the configuration", "This is a bug in the provider; please report it: "+err.Error())
		return &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}, nil
	}
	state, diags := readCatalog(ctx, s.data.Load(), config)
	resp := &tfprotov6.ReadDataSourceResponse{Diagnostics: protoDiagnostics(diags)}
	if !diags.HasError() {
		resp.State = &tfprotov6.DynamicValue{MsgPack: state}
	}
	return resp, nil
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
