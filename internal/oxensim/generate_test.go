package oxensim

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestGenerateCatalogIsDeterministic(t *testing.T) {
	a, b := GenerateCatalog(300), GenerateCatalog(300)
	if len(a) != 300 || len(b) != 300 {
		t.Fatalf("lengths %d, %d", len(a), len(b))
	}
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("model %d differs between runs:\n%s\n%s", i, a[i], b[i])
		}
	}
	// A smaller catalog is a prefix of a larger one.
	for i, raw := range GenerateCatalog(20) {
		if !bytes.Equal(raw, a[i]) {
			t.Fatalf("GenerateCatalog(20)[%d] differs from GenerateCatalog(300)[%d]", i, i)
		}
	}
	if len(GenerateCatalog(0)) != 0 || len(GenerateCatalog(-1)) != 0 {
		t.Error("empty catalogs are not empty")
	}
	// A pinned value, so that a change of the generator is a visible choice.
	var first struct {
		ID string `json:"id"`
	}
	_ = json.Unmarshal(a[0], &first)
	if first.ID != firstGeneratedID {
		t.Errorf("first generated id = %q, want %q", first.ID, firstGeneratedID)
	}
}

const firstGeneratedID = "deepseek-r1-0000"

func TestGenerateCatalogIsVariedAndServable(t *testing.T) {
	const n = 5000
	cat := GenerateCatalog(n)
	sim := New(Options{Models: cat}) // panics on a duplicate id or an invalid model
	if got := len(sim.ModelIDs()); got != n {
		t.Fatalf("%d models served", got)
	}
	seed := map[string]bool{}
	for _, raw := range Seed() {
		var m struct{ ID string }
		_ = json.Unmarshal(raw, &m)
		seed[m.ID] = true
	}
	seen := map[string]int{}
	for _, raw := range cat[:600] {
		var m struct {
			ID        string `json:"id"`
			ModelType string `json:"model_type"`
			Endpoint  string `json:"endpoint"`
			Developer *struct {
				Name string `json:"name"`
			} `json:"developer"`
			Pricing struct {
				Method    string          `json:"method"`
				Grid      json.RawMessage `json:"cost_per_image_grid"`
				ByRes     json.RawMessage `json:"cost_per_second_by_resolution"`
				HighRes   *float64        `json:"cost_per_second_high_res"`
				WithAudio *float64        `json:"cost_per_second_with_audio"`
				PerToken  *float64        `json:"input_cost_per_token"`
				PerImage  *float64        `json:"cost_per_image"`
				PerSecond *float64        `json:"cost_per_second"`
				PerToken2 *float64        `json:"output_cost_per_token"`
			} `json:"pricing"`
			FineTuning    json.RawMessage `json:"fine_tuning"`
			RequestSchema json.RawMessage `json:"request_schema"`
			Description   *string         `json:"description"`
			ContextLength *int            `json:"context_length"`
			Deployments   []struct{ Status string }
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if seed[m.ID] {
			t.Errorf("generated id %q collides with the seed", m.ID)
		}
		seen["type:"+m.ModelType]++
		seen["endpoint:"+m.Endpoint]++
		seen["method:"+m.Pricing.Method]++
		seen["developer:"+m.Developer.Name]++
		if string(m.Pricing.Grid) != "" && string(m.Pricing.Grid) != "null" {
			seen["grid"]++
		}
		if string(m.Pricing.ByRes) != "" && string(m.Pricing.ByRes) != "null" {
			seen["by_resolution"]++
		}
		if m.Pricing.HighRes != nil {
			seen["high_res"]++
		}
		if m.Pricing.WithAudio != nil {
			seen["with_audio"]++
		}
		if string(m.FineTuning) != "null" {
			seen["fine_tuning"]++
		}
		if string(m.RequestSchema) != "null" {
			seen["request_schema"]++
		}
		if m.Description == nil {
			seen["null description"]++
		}
		if m.ContextLength != nil {
			seen["context_length"]++
		}
		if m.ModelType == "custom" {
			if len(m.Deployments) != 1 || !strings.HasPrefix(m.ID, "ft-") {
				t.Errorf("custom %s: deployments %v", m.ID, m.Deployments)
			}
			seen["status:"+m.Deployments[0].Status]++
		}
		if m.Pricing.Method == "token" && (m.Pricing.PerToken == nil || m.Pricing.PerToken2 == nil) {
			t.Errorf("%s: token pricing without token prices", m.ID)
		}
	}
	for _, k := range []string{
		"type:base", "type:custom", "endpoint:/chat/completions", "endpoint:/images/generate", "endpoint:/videos/generate",
		"method:token", "method:time", "method:per_image", "method:per_video_output_second",
		"grid", "by_resolution", "high_res", "with_audio", "fine_tuning", "request_schema", "null description",
		"context_length", "status:inactive", "status:active", "status:error",
		"developer:Meta", "developer:Black Forest Labs", "developer:Kling", "developer:Alibaba",
	} {
		if seen[k] == 0 {
			t.Errorf("no generated model has %s", k)
		}
	}
	if seen["type:custom"] > 80 || seen["type:custom"] < 30 {
		t.Errorf("%d custom models in 600", seen["type:custom"])
	}
}

func TestTwoDigits(t *testing.T) {
	for in, want := range map[float64]float64{0.0123456: 0.012, 0.022000000000000002: 0.022, 1.4749: 1.5, 3.04e-6: 3e-6, 125: 130} {
		if got := twoDigits(in); got != want {
			t.Errorf("twoDigits(%v) = %v, want %v", in, got, want)
		}
	}
}

func BenchmarkList5000(b *testing.B) {
	sim := New(Options{APIKey: testKey, Models: GenerateCatalog(5000)})
	req := httptest.NewRequest("GET", "/api/ai/models", nil)
	req.Header.Set("Authorization", "Bearer "+testKey)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		sim.ServeHTTP(w, req)
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
		b.SetBytes(int64(w.Body.Len()))
	}
}
