package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestAccModelDataSource_tokenModel(t *testing.T) {
	env := newTestEnv(t)
	addr := "data.oxen_model.sonnet"
	attr := func(p ...any) tfjsonpath.Path {
		first, _ := p[0].(string)
		path := tfjsonpath.New(first)
		for _, step := range p[1:] {
			switch s := step.(type) {
			case string:
				path = path.AtMapKey(s)
			case int:
				path = path.AtSliceIndex(s)
			}
		}
		return path
	}
	cfg := env.config(lookup("sonnet", "claude-sonnet-4-6") + `
output "raw_owner" {
  value = jsondecode(data.oxen_model.sonnet.raw_json).owned_by
}
`)
	env.test(resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, attr("id"), knownvalue.StringExact("claude-sonnet-4-6")),
			statecheck.ExpectKnownValue(addr, attr("object"), knownvalue.StringExact("model")),
			statecheck.ExpectKnownValue(addr, attr("owned_by"), knownvalue.StringExact("oxen")),
			statecheck.ExpectKnownValue(addr, attr("display_name"), knownvalue.StringExact("Claude Sonnet 4.6")),
			statecheck.ExpectKnownValue(addr, attr("model_type"), knownvalue.StringExact("base")),
			statecheck.ExpectKnownValue(addr, attr("endpoint"), knownvalue.StringExact("/chat/completions")),
			statecheck.ExpectKnownValue(addr, attr("created"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(addr, attr("capabilities", "input"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("text"), knownvalue.StringExact("image"),
			})),
			statecheck.ExpectKnownValue(addr, attr("capabilities", "output"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("text"),
			})),
			statecheck.ExpectKnownValue(addr, attr("pricing"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"method":                        knownvalue.StringExact("token"),
				"input_cost_per_token":          knownvalue.Float64Exact(3e-6),
				"output_cost_per_token":         knownvalue.Float64Exact(1.5e-5),
				"cost_per_second":               knownvalue.Null(),
				"cost_per_image":                knownvalue.Null(),
				"cost_per_second_high_res":      knownvalue.Null(),
				"cost_per_second_with_audio":    knownvalue.Null(),
				"cost_per_image_grid":           knownvalue.Null(),
				"cost_per_second_by_resolution": knownvalue.Null(),
			})),
			statecheck.ExpectKnownValue(addr, attr("fine_tuning"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, attr("deployments"), knownvalue.ListSizeExact(0)),
			statecheck.ExpectKnownValue(addr, attr("status"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, attr("developer", "name"), knownvalue.StringExact("Anthropic")),
			statecheck.ExpectKnownValue(addr, attr("source_model"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, attr("released_at"), knownvalue.StringExact("2025-06-19T00:00:00Z")),
			statecheck.ExpectKnownValue(addr, attr("request_schema"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, attr("raw_json"), knownvalue.StringRegexp(regexp.MustCompile(`"id":"claude-sonnet-4-6"`))),
			statecheck.ExpectKnownValue(addr, attr("live_status"), knownvalue.Null()),
			statecheck.ExpectKnownOutputValue("raw_owner", knownvalue.StringExact("oxen")),
		},
	},
		planIsEmpty(cfg),
	)
}

func TestAccModelDataSource_notFound(t *testing.T) {
	env := newTestEnv(t)
	env.test(resource.TestStep{
		Config:      env.config(lookup("missing", "no-such-model")),
		ExpectError: wrapped(`Could not read model "no-such-model" .* 404 Not Found: Model not found: no-such-model (request id req_`),
	})
}

func TestAccModelDataSource_wrongKey(t *testing.T) {
	env := newTestEnv(t)
	env.test(resource.TestStep{
		Config:      env.configWithKey("sk-wrong-key-123", lookup("sonnet", "claude-sonnet-4-6")),
		ExpectError: wrapped(`401 Unauthorized: Invalid or missing API key .* The API key was rejected. Check that OXEN_API_KEY`),
	})
}

func TestAccModelDataSource_customModelWithoutKey(t *testing.T) {
	env := newTestEnv(t)
	env.test(resource.TestStep{
		// Base models are public: no key needed.
		Config: env.configWithKey("", lookup("sonnet", "claude-sonnet-4-6")),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.oxen_model.sonnet", tfjsonpath.New("owned_by"), knownvalue.StringExact("oxen")),
		},
	}, resource.TestStep{
		// A custom model is private to its owner; the error says how to fix it.
		Config:      env.configWithKey("", lookup("custom", "my-custom-model")),
		ExpectError: wrapped(`Model not found: my-custom-model .* Custom models are visible only to their owner: if this is one, set OXEN_API_KEY.`),
	})
}

func TestAccModelDataSource_customModelLiveStatus(t *testing.T) {
	env := newTestEnv(t)
	addr := "data.oxen_model.custom"
	env.test(resource.TestStep{
		Config: env.config(`
data "oxen_model" "custom" {
  id          = "support-bot-ft"
  live_status = true
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("model_type"), knownvalue.StringExact("custom")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("deployments"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.ObjectExact(map[string]knownvalue.Check{"status": knownvalue.StringExact("active")}),
			})),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("source_model"), knownvalue.NotNull()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("live_status"), knownvalue.Bool(true)),
		},
	})
	if n := env.sim.CountRequests("GET", "/api/ai/models/support-bot-ft"); n < 1 {
		t.Fatalf("expected the model to be read, saw %d requests", n)
	}
}

func TestAccModelDataSource_imageModelGridAndSchema(t *testing.T) {
	env := newTestEnv(t)
	addr := "data.oxen_model.img"
	cfg := env.config(lookup("img", "gpt-image-1") + `
output "qualities" {
  value = jsondecode(data.oxen_model.img.request_schema).properties.quality.enum
}
output "high_4k" {
  value = data.oxen_model.img.pricing.cost_per_image_grid["high"]["4K"]
}
`)
	env.test(resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("endpoint"), knownvalue.StringExact("/images/generate")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("pricing").AtMapKey("method"), knownvalue.StringExact("per_image")),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("pricing").AtMapKey("cost_per_image"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("pricing").AtMapKey("cost_per_image_grid"), knownvalue.MapExact(map[string]knownvalue.Check{
				"low":    knownvalue.MapExact(map[string]knownvalue.Check{"1K": knownvalue.Float64Exact(0.011), "2K": knownvalue.Float64Exact(0.022)}),
				"medium": knownvalue.MapExact(map[string]knownvalue.Check{"1K": knownvalue.Float64Exact(0.042), "2K": knownvalue.Float64Exact(0.084)}),
				"high":   knownvalue.MapExact(map[string]knownvalue.Check{"1K": knownvalue.Float64Exact(0.167), "4K": knownvalue.Float64Exact(1.47)}),
			})),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("image_url"), knownvalue.Null()),
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("developer"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"name": knownvalue.StringExact("OpenAI"),
				"logo": knownvalue.StringExact("https://hub.oxen.ai/assets/developers/openai.svg"),
			})),
			// Normalized: keys sorted, no spaces, whatever order the hub sent.
			statecheck.ExpectKnownValue(addr, tfjsonpath.New("request_schema"), knownvalue.StringRegexp(
				regexp.MustCompile(`^\{"properties":\{"background":\{"default":"auto","enum":\["auto","transparent","opaque"\],"type":"string"\},`))),
			statecheck.ExpectKnownOutputValue("qualities", knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("low"), knownvalue.StringExact("medium"), knownvalue.StringExact("high"),
			})),
			statecheck.ExpectKnownOutputValue("high_4k", knownvalue.Float64Exact(1.47)),
		},
	},
		planIsEmpty(cfg),
	)
}

func TestAccModelDataSource_videoAndFineTuning(t *testing.T) {
	env := newTestEnv(t)
	env.test(resource.TestStep{
		Config: env.config(lookup("video", "seedance-1-pro") + lookup("flux", "flux-2-dev")),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.oxen_model.video", tfjsonpath.New("pricing").AtMapKey("cost_per_second_by_resolution"),
				knownvalue.MapExact(map[string]knownvalue.Check{
					"480p": knownvalue.Float64Exact(0.096), "720p": knownvalue.Float64Exact(0.144), "1080p": knownvalue.Float64Exact(0.24),
				})),
			statecheck.ExpectKnownValue("data.oxen_model.video", tfjsonpath.New("pricing").AtMapKey("method"), knownvalue.StringExact("per_video_output_second")),
			statecheck.ExpectKnownValue("data.oxen_model.video", tfjsonpath.New("developer").AtMapKey("logo"), knownvalue.Null()),
			statecheck.ExpectKnownValue("data.oxen_model.video", tfjsonpath.New("capabilities").AtMapKey("output"),
				knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("video")})),
			statecheck.ExpectKnownValue("data.oxen_model.flux", tfjsonpath.New("fine_tuning"), knownvalue.ObjectExact(map[string]knownvalue.Check{
				"actions":         knownvalue.ListExact([]knownvalue.Check{knownvalue.StringExact("image_generation"), knownvalue.StringExact("image_edit")}),
				"cost_per_second": knownvalue.Float64Exact(0.00125),
			})),
			statecheck.ExpectKnownValue("data.oxen_model.flux", tfjsonpath.New("pricing").AtMapKey("cost_per_image"), knownvalue.Float64Exact(0.012)),
			statecheck.ExpectKnownValue("data.oxen_model.flux", tfjsonpath.New("context_length"), knownvalue.Null()),
		},
	})
}

// A model can be looked up by its UUID as well as its name; the id stays as
// written, so the configuration and the state agree.
func TestAccModelDataSource_byUUID(t *testing.T) {
	env := newTestEnv(t)
	uuid, ok := env.sim.UUID("flux-2-dev")
	if !ok {
		t.Fatal("the simulator has no UUID for flux-2-dev")
	}
	env.test(resource.TestStep{
		Config: env.config(fmt.Sprintf(`
data "oxen_model" "flux" {
  id = %q
}
output "name" {
  value = jsondecode(data.oxen_model.flux.raw_json).id
}
`, uuid)),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.oxen_model.flux", tfjsonpath.New("id"), knownvalue.StringExact(uuid)),
			statecheck.ExpectKnownValue("data.oxen_model.flux", tfjsonpath.New("display_name"), knownvalue.StringExact("FLUX.2 [dev]")),
			statecheck.ExpectKnownOutputValue("name", knownvalue.StringExact("flux-2-dev")),
		},
	})
}
