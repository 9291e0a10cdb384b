package oxensim

import (
	"bytes"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The hub's OpenAPI 3.0 document, models subset, copied verbatim from
// shared/oxen-api/openapi-models.json.
const openapiFile = "testdata/openapi-models.json"

// Members the hub sends that its OpenAPI document does not list yet.
var documentedElsewhere = []string{"context_length", "max_output_tokens"}

type apiSchemas struct {
	model, list *jsonschema.Schema
	modelProps  []string
}

// loadSchemas turns the OpenAPI component schemas into a JSON Schema
// 2020-12 document (nullable -> a "null" type, component refs -> $defs)
// and compiles Model and ListModelsResponse.
func loadSchemas(t *testing.T) apiSchemas {
	t.Helper()
	f, err := os.Open(openapiFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	components := doc.(map[string]any)["components"].(map[string]any)["schemas"].(map[string]any)
	converted := map[string]any{
		"$schema": "https://json-schema.org/draft/2020-12/schema",
		"$defs":   fromOpenAPI(components),
	}
	c := jsonschema.NewCompiler()
	const url = "https://oxensim.test/models.schema.json"
	if err := c.AddResource(url, converted); err != nil {
		t.Fatal(err)
	}
	var s apiSchemas
	if s.model, err = c.Compile(url + "#/$defs/Model"); err != nil {
		t.Fatal(err)
	}
	if s.list, err = c.Compile(url + "#/$defs/ListModelsResponse"); err != nil {
		t.Fatal(err)
	}
	for k := range components["Model"].(map[string]any)["properties"].(map[string]any) {
		s.modelProps = append(s.modelProps, k)
	}
	return s
}

// fromOpenAPI rewrites an OpenAPI 3.0 schema tree as JSON Schema.
func fromOpenAPI(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, val := range x {
			out[k] = fromOpenAPI(val)
		}
		if ref, ok := out["$ref"].(string); ok {
			out["$ref"] = strings.Replace(ref, "#/components/schemas/", "#/$defs/", 1)
		}
		if nullable, ok := out["nullable"].(bool); ok {
			delete(out, "nullable")
			if nullable {
				if typ, ok := out["type"].(string); ok {
					out["type"] = []any{typ, "null"}
				}
				if enum, ok := out["enum"].([]any); ok {
					out["enum"] = append(enum, nil)
				}
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, val := range x {
			out[i] = fromOpenAPI(val)
		}
		return out
	default:
		return v
	}
}

// validate checks a response body against sch and, for models, that no
// member outside the documented ones is served.
func (s apiSchemas) validate(t *testing.T, what string, sch *jsonschema.Schema, body []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("%s does not conform to the OpenAPI schema: %v", what, err)
		return
	}
	var models []any
	if sch == s.list {
		models = inst.(map[string]any)["data"].([]any)
	} else {
		models = []any{inst}
	}
	for _, m := range models {
		for k := range m.(map[string]any) {
			if !slices.Contains(s.modelProps, k) && !slices.Contains(documentedElsewhere, k) {
				t.Errorf("%s: undocumented member %q", what, k)
			}
		}
	}
}

func TestOpenAPIConformance(t *testing.T) {
	s := loadSchemas(t)
	h := newHarness(t, Options{})

	for _, id := range h.sim.ModelIDs() {
		r := h.do(t, "GET", "/api/ai/models/"+id, testKey)
		s.validate(t, "GET "+id, s.model, r.body)
		r = h.do(t, "GET", "/api/ai/models/"+id+"?deployment_status=live", testKey)
		s.validate(t, "live GET "+id, s.model, r.body)
	}
	for _, path := range []string{"/api/ai/models", "/api/ai/models?developer_name=google", "/api/ai/models/search?search=ft"} {
		for _, key := range []string{"", testKey} {
			s.validate(t, "GET "+path, s.list, h.do(t, "GET", path, key).body)
		}
	}
	for _, action := range []string{"activate", "deactivate"} {
		for _, id := range []string{"my-custom-model", "support-bot-ft", "broken-ft", "product-shots-lora"} {
			r := h.do(t, "POST", "/api/ai/models/"+id+"/"+action, testKey)
			if r.status != 200 {
				t.Fatalf("%s %s: %d", action, id, r.status)
			}
			s.validate(t, action+" "+id, s.model, r.body)
		}
	}

	gen := newHarness(t, Options{Models: GenerateCatalog(200)})
	ids := gen.sim.ModelIDs()
	for i := 0; i < len(ids); i += 7 {
		s.validate(t, "generated "+ids[i], s.model, gen.do(t, "GET", "/api/ai/models/"+ids[i], testKey).body)
	}
	s.validate(t, "generated list", s.list, gen.do(t, "GET", "/api/ai/models", testKey).body)
}

// The schema has teeth: out-of-schema values are caught, so the test
// above would fail on a simulator that emitted them.
func TestOpenAPISchemaRejectsBadModels(t *testing.T) {
	s := loadSchemas(t)
	good := string(Seed()[0])
	valid := func(body string) bool {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return s.model.Validate(inst) == nil
	}
	if !valid(good) {
		t.Fatal("a seed model does not validate")
	}
	if !valid(`{"id":"x","object":"model","created":1,"owned_by":"o","description":null,"developer":null,"fine_tuning":{"actions":[],"cost_per_second":null}}`) {
		t.Error("nulls in nullable members are rejected")
	}
	bad := map[string]string{
		"created as a float":        `{"id":"x","object":"model","created":1.5,"owned_by":"o"}`,
		"missing owned_by":          `{"id":"x","object":"model","created":1}`,
		"object not model":          `{"id":"x","object":"list","created":1,"owned_by":"o"}`,
		"unknown deployment status": `{"id":"x","object":"model","created":1,"owned_by":"o","deployments":[{"status":"paused"}]}`,
		"unknown endpoint":          `{"id":"x","object":"model","created":1,"owned_by":"o","endpoint":"/audio/speech"}`,
		"null display_name":         `{"id":"x","object":"model","created":1,"owned_by":"o","display_name":null}`,
		"string price":              `{"id":"x","object":"model","created":1,"owned_by":"o","pricing":{"cost_per_image":"0.1"}}`,
		"flat image grid":           `{"id":"x","object":"model","created":1,"owned_by":"o","pricing":{"cost_per_image_grid":{"1K":0.1}}}`,
		"request_schema a string":   `{"id":"x","object":"model","created":1,"owned_by":"o","request_schema":"{}"}`,
		"gallery item without src":  `{"id":"x","object":"model","created":1,"owned_by":"o","showcase":{"gallery":[{"alt":"a"}]}}`,
	}
	for name, body := range bad {
		if valid(body) {
			t.Errorf("%s: accepted", name)
		}
	}
	inst, _ := jsonschema.UnmarshalJSON(strings.NewReader(`{"object":"list","data":[{"id":"x"}]}`))
	if s.list.Validate(inst) == nil {
		t.Error("a list with an incomplete model is accepted")
	}
}
