package provider

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/bench/perunit"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
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

// mapModels is the mapping loop of ModelsDataSource.Read: modelValues and
// one object per model, then the two lists.
func mapModels(b *testing.B, models []*oxen.Model) (ids, objs tftypes.Value) {
	idVals := make([]tftypes.Value, len(models))
	objVals := make([]tftypes.Value, len(models))
	for i, m := range models {
		vals, diags := modelValues(m)
		if diags.HasError() {
			b.Fatalf("model %s: %v", m.ID, diags)
		}
		idVals[i] = tftypes.NewValue(tftypes.String, m.ID)
		objVals[i] = tftypes.NewValue(modelTFTypes().object, vals)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, idVals),
		tftypes.NewValue(tftypes.List{ElementType: modelTFTypes().object}, objVals)
}

// BenchmarkMapModels5000 maps 5,000 decoded models into Terraform values.
func BenchmarkMapModels5000(b *testing.B) {
	models := benchModels(b)
	b.ReportAllocs()
	p := perunit.Start(b, "model", len(models))
	for b.Loop() {
		mapModels(b, models)
	}
	p.Stop()
}

// BenchmarkModelsStateEncode5000 is everything Read and the framework do
// with the mapped values before they leave the provider: mapping,
// resp.State.Set (reflection into tftypes) and the msgpack encoding the
// plugin protocol sends. It shows what the framework adds to the mapping.
func BenchmarkModelsStateEncode5000(b *testing.B) {
	ctx := context.Background()
	models := benchModels(b)
	var sresp datasource.SchemaResponse
	(&ModelsDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &sresp)
	if sresp.Diagnostics.HasError() {
		b.Fatal(sresp.Diagnostics)
	}
	typ := sresp.Schema.Type().TerraformType(ctx)
	b.ReportAllocs()
	p := perunit.Start(b, "model", len(models))
	for b.Loop() {
		vals := map[string]tftypes.Value{}
		for name, t := range typ.(tftypes.Object).AttributeTypes {
			vals[name] = tftypes.NewValue(t, nil)
		}
		vals["ids"], vals["models"] = mapModels(b, models)
		state := tfsdk.State{Schema: sresp.Schema}
		setState(ctx, &state, vals)
		if _, err := tfprotov6.NewDynamicValue(typ, state.Raw); err != nil {
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
	typ := sresp.Schema.Type().TerraformType(ctx).(tftypes.Object)
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
