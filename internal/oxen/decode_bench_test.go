package oxen

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
	"github.com/oxen-ai/terraform-provider-oxen/internal/perunit"
)

// The catalog benchmarks decode what the simulator serves for 5,000
// generated models, the size the end-to-end catalog figure uses too.
const benchCatalogSize = 5000

const benchAPIKey = "bench-key"

// benchSim serves GenerateCatalog(benchCatalogSize); with the key every
// model, custom ones included, is listed.
func benchSim(b *testing.B) *oxensim.Server {
	b.Helper()
	return oxensim.New(oxensim.Options{APIKey: benchAPIKey, Models: oxensim.GenerateCatalog(benchCatalogSize)})
}

// benchListBody is the exact list envelope the simulator answers.
func benchListBody(b *testing.B, sim *oxensim.Server) []byte {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, oxensim.ModelsPath, nil)
	req.Header.Set("Authorization", "Bearer "+benchAPIKey)
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("simulator answered %d: %s", rec.Code, rec.Body.String())
	}
	return rec.Body.Bytes()
}

// BenchmarkDecodeModelList5000 is the pure decode step of ListModels: the
// body already in memory, through decodeModelList.
func BenchmarkDecodeModelList5000(b *testing.B) {
	body := benchListBody(b, benchSim(b))
	b.SetBytes(int64(len(body)))
	loopPerModel(b, func() ([]Model, error) { return decodeModelList(body) })
}

// BenchmarkListModels5000 is the whole client path of an oxen_models read:
// one GET over loopback HTTP to the simulator, reading the body and
// decoding it. It includes the simulator's own rendering of the list.
func BenchmarkListModels5000(b *testing.B) {
	srv := httptest.NewServer(benchSim(b))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL, APIKey: benchAPIKey})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	// One warm-up call opens the keep-alive connection.
	if _, err := c.ListModels(ctx, ListFilter{}); err != nil {
		b.Fatal(err)
	}
	loopPerModel(b, func() ([]Model, error) { return c.ListModels(ctx, ListFilter{}) })
}

// loopPerModel runs list once an iteration, with figures per model of the
// catalog, and fails unless it returns the whole catalog.
func loopPerModel(b *testing.B, list func() ([]Model, error)) {
	b.ReportAllocs()
	p := perunit.Start(b, "model", benchCatalogSize)
	for b.Loop() {
		models, err := list()
		if err != nil {
			b.Fatal(err)
		}
		if len(models) != benchCatalogSize {
			b.Fatalf("got %d models, want %d", len(models), benchCatalogSize)
		}
	}
	p.Stop()
}

// BenchmarkServeList5000 is the simulator's side alone (rendering and
// writing the list over loopback), to subtract from BenchmarkListModels5000.
func BenchmarkServeList5000(b *testing.B) {
	srv := httptest.NewServer(benchSim(b))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodGet, srv.URL+oxensim.ModelsPath, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+benchAPIKey)
	b.ReportAllocs()
	p := perunit.Start(b, "model", benchCatalogSize)
	for b.Loop() {
		resp, err := srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, resp.Body); err != nil {
			b.Fatal(err)
		}
		_ = resp.Body.Close()
	}
	p.Stop()
}
