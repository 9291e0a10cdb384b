package provider

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
	"github.com/oxen-ai/terraform-provider-oxen/internal/perunit"
)

// configuredServer serves the provider over the plugin protocol, configured
// for a simulator started with opts, as Terraform would find it.
// With frameworkOnly, providerserver serves it alone, without the fast path.
func configuredServer(b testing.TB, opts oxensim.Options, frameworkOnly bool) (tfprotov6.ProviderServer, *tfprotov6.GetProviderSchemaResponse) {
	b.Helper()
	sim := httptest.NewServer(oxensim.New(opts))
	b.Cleanup(sim.Close)
	p := &OxenProvider{version: "bench", clock: clock.Real(), locks: newModelLocks()}
	var server tfprotov6.ProviderServer = serve(p)
	if frameworkOnly {
		server = providerserver.NewProtocol6(p)()
	}
	return configure(b, server, sim.URL, opts.APIKey)
}

// BenchmarkReadDataSourceRPC5000 is an oxen_models read of a 5,000-model
// catalog as Terraform asks for it over the plugin protocol: HTTP, decoding,
// mapping, the framework's own passes and the msgpack answer.
func BenchmarkReadDataSourceRPC5000(b *testing.B) { benchmarkCatalogRead(b, false) }

// BenchmarkReadDataSourceRPC5000Framework is the same read served by the
// framework alone, for comparison.
func BenchmarkReadDataSourceRPC5000Framework(b *testing.B) { benchmarkCatalogRead(b, true) }

func benchmarkCatalogRead(b *testing.B, frameworkOnly bool) {
	ctx := context.Background()
	server, schemas := configuredServer(b, oxensim.Options{APIKey: "bench-key", Models: oxensim.GenerateCatalog(benchCatalogSize)}, frameworkOnly)
	dsType := schemas.DataSourceSchemas["oxen_models"].ValueType()
	dsCfg, err := tfprotov6.NewDynamicValue(dsType, nullObject(dsType, nil))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	p := perunit.Start(b, "model", benchCatalogSize)
	for b.Loop() {
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "oxen_models", Config: &dsCfg})
		if err != nil || len(resp.Diagnostics) > 0 {
			b.Fatal(err, resp.Diagnostics)
		}
	}
	p.Stop()
}

// BenchmarkReadDataSourceRPCOne is one oxen_model look-up as Terraform asks
// for it over the plugin protocol, against the simulator over loopback.
func BenchmarkReadDataSourceRPCOne(b *testing.B) { benchmarkLookUp(b, false) }

// BenchmarkReadDataSourceRPCOneFramework is the same look-up served by the
// framework alone, for comparison.
func BenchmarkReadDataSourceRPCOneFramework(b *testing.B) { benchmarkLookUp(b, true) }

func benchmarkLookUp(b *testing.B, frameworkOnly bool) {
	ctx := context.Background()
	server, schemas := configuredServer(b, oxensim.Options{APIKey: "bench-key"}, frameworkOnly)
	dsType := schemas.DataSourceSchemas["oxen_model"].ValueType()
	dsCfg, err := tfprotov6.NewDynamicValue(dsType, nullObject(dsType, map[string]string{"id": "gpt-image-1"}))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if resp, err := server.ValidateDataResourceConfig(ctx, &tfprotov6.ValidateDataResourceConfigRequest{TypeName: "oxen_model", Config: &dsCfg}); err != nil || len(resp.Diagnostics) > 0 {
			b.Fatal(err, resp.Diagnostics)
		}
		resp, err := server.ReadDataSource(ctx, &tfprotov6.ReadDataSourceRequest{TypeName: "oxen_model", Config: &dsCfg})
		if err != nil || len(resp.Diagnostics) > 0 {
			b.Fatal(err, resp.Diagnostics)
		}
	}
}
