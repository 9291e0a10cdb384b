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
		// Decoded loosely, as any JSON reader would: a field the
		// generator leaves out reads as absent, one it writes as null as nil.
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		id, modelType := m["id"].(string), m["model_type"].(string)
		pricing, _ := m["pricing"].(map[string]any)
		developer, _ := m["developer"].(map[string]any)
		if seed[id] {
			t.Errorf("generated id %q collides with the seed", id)
		}
		seen["type:"+modelType]++
		seen["endpoint:"+m["endpoint"].(string)]++
		seen["method:"+pricing["method"].(string)]++
		seen["developer:"+developer["name"].(string)]++
		countPresent(seen, map[string]any{
			"grid": pricing["cost_per_image_grid"], "by_resolution": pricing["cost_per_second_by_resolution"],
			"high_res": pricing["cost_per_second_high_res"], "with_audio": pricing["cost_per_second_with_audio"],
			"fine_tuning": m["fine_tuning"], "request_schema": m["request_schema"], "context_length": m["context_length"],
		})
		if m["description"] == nil {
			seen["null description"]++
		}
		if modelType == "custom" {
			deployments, _ := m["deployments"].([]any)
			if len(deployments) != 1 || !strings.HasPrefix(id, "ft-") {
				t.Fatalf("custom %s: deployments %v", id, deployments)
			}
			seen["status:"+deployments[0].(map[string]any)["status"].(string)]++
		}
		if pricing["method"] == "token" && (pricing["input_cost_per_token"] == nil || pricing["output_cost_per_token"] == nil) {
			t.Errorf("%s: token pricing without token prices", id)
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
