package provider

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
	"github.com/oxen-ai/terraform-provider-oxen/internal/perunit"
)

const benchCatalogSize = 5000

// benchModels decodes GenerateCatalog(benchCatalogSize) the way the client
// does, one Model per entry.
func benchModels(b *testing.B) []*oxen.Model {
	b.Helper()
	raws := oxensim.GenerateCatalog(benchCatalogSize)
	models := make([]*oxen.Model, len(raws))
	for i, raw := range raws {
		var m oxen.Model
		if err := json.Unmarshal(raw, &m); err != nil {
			b.Fatalf("model %d: %v", i, err)
		}
		models[i] = &m
	}
	return models
}

// BenchmarkMapModels5000 maps 5,000 decoded models to the encoded state of
// an oxen_models read, as Terraform receives it: everything the provider
// does after decoding the API's answer.
func BenchmarkMapModels5000(b *testing.B) {
	models := benchModels(b)
	config := nullObject(modelsSchemaType(), nil)
	b.ReportAllocs()
	p := perunit.Start(b, "model", len(models))
	for b.Loop() {
		if _, err := catalogState(config, models); err != nil {
			b.Fatal(err)
		}
	}
	p.Stop()
}

// BenchmarkModelDataSourceRead is one oxen_model read as the framework
// calls it, against the simulator over loopback HTTP: what the provider
// spends per look-up of the 100-look-up end-to-end figure.
func BenchmarkModelDataSourceRead(b *testing.B) {
	ctx := context.Background()
	srv := httptest.NewServer(oxensim.New(oxensim.Options{APIKey: "bench-key"}))
	defer srv.Close()
	client, err := oxen.New(oxen.Config{BaseURL: srv.URL, APIKey: "bench-key", Logger: tflogLogger{secret: "bench-key"}})
	if err != nil {
		b.Fatal(err)
	}
	ds := &ModelDataSource{data: &providerData{client: client, hasAPIKey: true}}
	var sresp datasource.SchemaResponse
	ds.Schema(ctx, datasource.SchemaRequest{}, &sresp)
	typ, ok := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
	if !ok {
		b.Fatalf("oxen_model is a %s", sresp.Schema.Type())
	}
	id := oxensim.SeedCustomModels()
	var probe struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(id[0], &probe); err != nil {
		b.Fatal(err)
	}
	vals := map[string]tftypes.Value{}
	for name, t := range typ.AttributeTypes {
		vals[name] = tftypes.NewValue(t, nil)
	}
	vals["id"] = tftypes.NewValue(tftypes.String, probe.ID)
	config := tfsdk.Config{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, vals)}
	b.ReportAllocs()
	for b.Loop() {
		resp := datasource.ReadResponse{State: tfsdk.State{Schema: sresp.Schema, Raw: tftypes.NewValue(typ, nil)}}
		ds.Read(ctx, datasource.ReadRequest{Config: config}, &resp)
		if resp.Diagnostics.HasError() {
			b.Fatal(resp.Diagnostics)
		}
	}
}
