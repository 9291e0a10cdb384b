package provider

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

func idsAre(addr string, ids ...string) statecheck.StateCheck {
	checks := make([]knownvalue.Check, len(ids))
	for i, id := range ids {
		checks[i] = knownvalue.StringExact(id)
	}
	return statecheck.ExpectKnownValue(addr, tfjsonpath.New("ids"), knownvalue.ListExact(checks))
}

// queriesSeen lists the query strings the simulator saw on a path.
func (e *testEnv) queriesSeen(path string) []string {
	var qs []string
	for _, r := range e.sim.Requests() {
		if r.Path == path {
			qs = append(qs, r.RawQuery)
		}
	}
	return qs
}

func TestAccModelsDataSource_serverSideFilters(t *testing.T) {
	env := newTestEnv(t)
	env.test(resource.TestStep{
		Config: env.config(modelsLists(map[string]string{
			"anthropic":  `developer_name = "anthropic"`,
			"image_edit": `action = "image_edit"`,
			"fal_video":  `provider_name = "fal", output_modality = "video"`,
		})),
		ConfigStateChecks: []statecheck.StateCheck{
			idsAre("data.oxen_models.anthropic", "claude-haiku-4-5", "claude-opus-4-5", "claude-sonnet-4-6"),
			statecheck.ExpectKnownValue("data.oxen_models.anthropic", tfjsonpath.New("models").AtSliceIndex(2), knownvalue.ObjectPartial(map[string]knownvalue.Check{
				"id":           knownvalue.StringExact("claude-sonnet-4-6"),
				"display_name": knownvalue.StringExact("Claude Sonnet 4.6"),
				"pricing": knownvalue.ObjectPartial(map[string]knownvalue.Check{
					"method":                knownvalue.StringExact("token"),
					"input_cost_per_token":  knownvalue.Float64Exact(3e-6),
					"output_cost_per_token": knownvalue.Float64Exact(1.5e-5),
				}),
				"deployments":    knownvalue.ListSizeExact(0),
				"status":         knownvalue.Null(),
				"request_schema": knownvalue.Null(),
			})),
			idsAre("data.oxen_models.image_edit", "flux-2-dev", "qwen-image-edit"),
			idsAre("data.oxen_models.fal_video", "kling-v2-5-turbo-pro", "kling-video-o3-pro-reference-to-video", "seedance-1-pro"),
		},
		Check: func(*terraform.State) error {
			qs := strings.Join(env.queriesSeen("/api/ai/models"), " ")
			for _, want := range []string{"developer_name=anthropic", "action=image_edit", "provider_name=fal"} {
				if !strings.Contains(qs, want) {
					return fmt.Errorf("the list endpoint never saw %q; queries: %s", want, qs)
				}
			}
			return nil
		},
	})
}

func TestAccModelsDataSource_searchAndClientSideFilters(t *testing.T) {
	env := newTestEnv(t)
	cfg := env.config(modelsLists(map[string]string{
		"kling":         `search = "kling", developer_name = "KLING"`,
		"search_action": `search = "qwen", action = "image_edit"`,
		"base_video":    `model_type = "base", input_modality = "text", output_modality = "video"`,
		"custom_images": `model_type = "custom", endpoint = "/images/generate"`,
	}))
	env.test(resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			idsAre("data.oxen_models.kling", "kling-v2-5-turbo-pro", "kling-video-o3-pro-reference-to-video"),
			idsAre("data.oxen_models.search_action", "qwen-image-edit"),
			idsAre("data.oxen_models.base_video", "kling-v2-5-turbo-pro", "kling-video-o3-pro-reference-to-video",
				"seedance-1-pro", "sora-2-pro", "veo-3-1", "wan-2-2-text-to-video"),
			idsAre("data.oxen_models.custom_images", "acc-custom-5", "acc-custom-6", "product-shots-lora"),
			statecheck.ExpectKnownValue("data.oxen_models.custom_images", tfjsonpath.New("models").AtSliceIndex(0).AtMapKey("status"),
				knownvalue.StringExact("inactive")),
		},
		Check: func(*terraform.State) error {
			qs := strings.Join(env.queriesSeen("/api/ai/models/search"), " ")
			if !strings.Contains(qs, "search=kling") || !strings.Contains(qs, "search=qwen") {
				return fmt.Errorf("search endpoint queries: %q", qs)
			}
			return nil
		},
	}, planIsEmpty(cfg))
}

func TestAccModelsDataSource_invalidCombinations(t *testing.T) {
	env := newTestEnv(t)
	var steps []resource.TestStep
	for _, c := range []struct{ args, err string }{
		{`search = "kling", provider_name = "fal"`, `Attribute "search" cannot be specified when "provider_name" is specified`},
		{`developer_name = ""`, `Attribute developer_name string length must be at least 1`},
		{`model_type = "fine-tuned"`, `Attribute model_type value must be one of: ["base" "custom"], got: "fine-tuned"`},
	} {
		steps = append(steps, resource.TestStep{
			Config:      env.config(modelsLists(map[string]string{"x": c.args})),
			ExpectError: wrapped(c.err),
		})
	}
	env.test(steps...)
	if n := len(env.sim.Requests()); n != 0 {
		t.Fatalf("invalid configurations sent %d requests, want 0", n)
	}
}

func TestAccModelsDataSource_anonymousSeesNoCustomModels(t *testing.T) {
	env := newTestEnv(t)
	step := anonymousLists(env)
	step.ConfigStateChecks = append(step.ConfigStateChecks,
		statecheck.ExpectKnownValue("data.oxen_models.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(24)))
	env.test(step)
}

// anonymousLists is the step that lists the custom models, and all, without
// an API key: the custom list is empty.
func anonymousLists(env *testEnv) resource.TestStep {
	return resource.TestStep{
		Config: env.configWithKey("", modelsLists(map[string]string{"custom": `model_type = "custom"`, "all": ""})),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.oxen_models.custom", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
		},
	}
}

func TestAccDataSources_oneRequestPerRead(t *testing.T) {
	env := newTestEnv(t)
	var rec rpcRecorder
	env.testRecorded(&rec, resource.TestStep{
		Config: env.config(`
data "oxen_model" "a" {
  id = "gpt-5"
}
data "oxen_model" "b" {
  id          = "support-bot-ft"
  live_status = true
}
data "oxen_models" "c" {
  developer_name = "Google"
}
data "oxen_models" "d" {
  search = "flux"
}
`),
		Check: func(*terraform.State) error {
			reads, got := rec.count("ReadDataSource"), len(env.sim.Requests())
			if got != reads || got == 0 {
				return fmt.Errorf("%d data source reads sent %d requests, want exactly one each", reads, got)
			}
			// Every request says who sent it, down to the CLI's version.
			ua := regexp.MustCompile(`^terraform-provider-oxen/test (Terraform|OpenTofu)/\d+\.\d+\.\d+`)
			for _, r := range env.sim.Requests() {
				if !ua.MatchString(r.UserAgent) {
					return fmt.Errorf("request %s sent User-Agent %q", r.Path, r.UserAgent)
				}
			}
			return nil
		},
	})
}

// listedModels is how many models data.oxen_models.all lists: the catalog
// the warnings count.
func listedModels(s *terraform.State) string {
	if r, ok := s.RootModule().Resources["data.oxen_models.all"]; ok {
		return r.Primary.Attributes["ids.#"]
	}
	return "(no data.oxen_models.all)"
}

func filterWarning(arg, summary, detail string) *tfprotov6.Diagnostic {
	return wantWarning(summary, detail, arg)
}

// The client-side filters match whatever the case, and an endpoint without
// its leading slash, so that neither empties the list by surprise.
func TestAccModelsDataSource_filtersIgnoreCase(t *testing.T) {
	env := newTestEnv(t)
	var rec rpcRecorder
	cfg := env.config(modelsLists(map[string]string{
		"custom_images": `model_type = "Custom", endpoint = "images/generate"`,
		"base_video":    `model_type = "BASE", input_modality = "Text", output_modality = "VIDEO"`,
		"chat":          `endpoint = "/Chat/Completions", search = "claude"`,
		"anthropic":     `developer_name = "ANTHROPIC"`,
		"kling":         `search = "KLING", developer_name = "kling"`,
	}))
	env.testRecorded(&rec, resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			idsAre("data.oxen_models.custom_images", "acc-custom-5", "acc-custom-6", "product-shots-lora"),
			idsAre("data.oxen_models.base_video", "kling-v2-5-turbo-pro", "kling-video-o3-pro-reference-to-video",
				"seedance-1-pro", "sora-2-pro", "veo-3-1", "wan-2-2-text-to-video"),
			idsAre("data.oxen_models.chat", "claude-haiku-4-5", "claude-opus-4-5", "claude-sonnet-4-6"),
			idsAre("data.oxen_models.anthropic", "claude-haiku-4-5", "claude-opus-4-5", "claude-sonnet-4-6"),
			idsAre("data.oxen_models.kling", "kling-v2-5-turbo-pro", "kling-video-o3-pro-reference-to-video"),
			// The filter's value is kept as written: the state agrees
			// with the configuration.
			statecheck.ExpectKnownValue("data.oxen_models.custom_images", tfjsonpath.New("endpoint"),
				knownvalue.StringExact("images/generate")),
		},
		Check: expectDiags(&rec, "ReadDataSource"),
	}, planIsEmpty(cfg))
}

// A filter value that matches no listed model says so, naming the values
// the catalog has, instead of silently emptying the list.
func TestAccModelsDataSource_filterMatchingNothingWarns(t *testing.T) {
	env := newTestEnv(t)
	var rec rpcRecorder
	env.testRecorded(&rec, resource.TestStep{
		Config: env.config(modelsLists(map[string]string{
			"typo":     `endpoint = "/image/generate"`,
			"modality": `model_type = "base", input_modality = "txt"`,
			"all":      "",
		})),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.oxen_models.typo", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
			statecheck.ExpectKnownValue("data.oxen_models.modality", tfjsonpath.New("models"), knownvalue.ListSizeExact(0)),
		},
		Check: func(s *terraform.State) error {
			listed := listedModels(s)
			return expectDiags(&rec, "ReadDataSource",
				filterWarning("endpoint", `No model matches endpoint = "/image/generate"`,
					`None of the `+listed+` models listed has endpoint "/image/generate", so ids and models are empty. `+
						`The values they have: "/chat/completions", "/images/generate", "/videos/generate". `+
						`Check the spelling: a for_each over this list plans to destroy every instance it made.`),
				filterWarning("input_modality", `No model matches input_modality = "txt"`,
					`None of the `+listed+` models listed has input_modality "txt", so ids and models are empty. `+
						`The values they have: "audio", "image", "text", "video". `+
						`Check the spelling: a for_each over this list plans to destroy every instance it made.`),
			)(s)
		},
	})
}

// Without a key the hub lists no custom model: the warning says why.
func TestAccModelsDataSource_customWithoutKeyWarns(t *testing.T) {
	env := newTestEnv(t)
	var rec rpcRecorder
	step := anonymousLists(env)
	step.Check = func(s *terraform.State) error {
		return expectDiags(&rec, "ReadDataSource",
			filterWarning("model_type", `No model matches model_type = "custom"`,
				`None of the `+listedModels(s)+` models listed has model_type "custom", so ids and models are empty. `+
					`The values they have: "base". Custom models are listed only to a caller with an API key: `+
					`set api_key or OXEN_API_KEY. `+
					`Check the spelling: a for_each over this list plans to destroy every instance it made.`),
		)(s)
	}
	env.testRecorded(&rec, step)
}

// expectUnfilteredLists checks that the data sources listed the whole
// catalog (GET /api/ai/models without a query) want times.
func (e *testEnv) expectUnfilteredLists(want int) func(*terraform.State) error {
	return func(*terraform.State) error {
		if got := len(slices.DeleteFunc(e.queriesSeen(oxensim.ModelsPath), func(q string) bool { return q != "" })); got != want {
			return fmt.Errorf("the whole catalog was listed %d times, want %d; list queries: %q", got, want, e.queriesSeen(oxensim.ModelsPath))
		}
		return nil
	}
}

// The hub filters by developer_name and action itself, so a value that
// matches nothing comes back as an empty list: only then is the whole
// catalog listed, once per read, to name the values it has. A filter value
// the catalog has, in a combination that matches nothing, is no typo and
// gets no warning; one that differs from it only in case matches. A search
// that finds nothing says so.
func TestAccModelsDataSource_serverSideFilterMatchingNothingWarns(t *testing.T) {
	env := newTestEnv(t)
	var rec rpcRecorder
	empty := []string{"developer", "action", "searched_developer", "combination", "search", "provider", "provider_developer",
		"misspelt_provider_developer"}
	checks := make([]statecheck.StateCheck, 0, len(empty)+2)
	for _, name := range empty {
		checks = append(checks, statecheck.ExpectKnownValue("data.oxen_models."+name, tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)))
	}
	const checkSpelling = `Check the spelling: a for_each over this list plans to destroy every instance it made.`
	env.testRecorded(&rec, resource.TestStep{
		Config: env.config(modelsLists(map[string]string{
			"developer":          `developer_name = "Anthropc"`,
			"action":             `action = "image-edit"`,
			"searched_developer": `search = "kling", developer_name = "Klingg"`,
			"combination":        `developer_name = "anthropic", action = "image_edit"`,
			"search":             `search = "klingg"`,
			"found":              `developer_name = "ANTHROPIC"`,
			"found_searched":     `search = "KLING", developer_name = "kling"`,
			"provider":           `provider_name = "fall"`,
			"provider_developer": `provider_name = "fal", developer_name = "Anthropic"`,
			// Beside a developer_name the catalog has, a misspelt provider_name
			// is told from a combination by asking for it alone.
			"misspelt_provider_developer": `provider_name = "fa1", developer_name = "Anthropic"`,
		})), ConfigStateChecks: append(checks,
			idsAre("data.oxen_models.found", "claude-haiku-4-5", "claude-opus-4-5", "claude-sonnet-4-6"),
			idsAre("data.oxen_models.found_searched", "kling-v2-5-turbo-pro", "kling-video-o3-pro-reference-to-video")),
		Check: func(s *terraform.State) error {
			catalog := strconv.Itoa(len(env.sim.ModelIDs()))
			if err := expectDiags(&rec, "ReadDataSource",
				filterWarning("developer_name", `No model matches developer_name = "Anthropc"`,
					`None of the `+catalog+` models of the catalog has developer_name "Anthropc", so ids and models are empty. `+
						`The values they have: "Alibaba", "Anthropic", "Black Forest Labs", "ByteDance", "Google", "Kling", `+
						`"Meta", "Mistral AI", "OpenAI", "acme-ml". `+checkSpelling),
				filterWarning("action", `No model matches action = "image-edit"`,
					`None of the `+catalog+` models of the catalog has action "image-edit", so ids and models are empty. `+
						`The values they have: "chat", "image_edit", "image_generation", "image_understanding", "video_generation". `+
						checkSpelling),
				filterWarning("developer_name", `No model matches developer_name = "Klingg"`,
					`None of the `+catalog+` models of the catalog has developer_name "Klingg", so ids and models are empty. `+
						`The values they have: "Alibaba", "Anthropic", "Black Forest Labs", "ByteDance", "Google", "Kling", `+
						`"Meta", "Mistral AI", "OpenAI", "acme-ml". `+checkSpelling),
				filterWarning("search", `No model matches search = "klingg"`,
					`The hub's search found no model for "klingg", so ids and models are empty. `+checkSpelling),
				filterWarning("provider_name", `No model matches provider_name = "fall"`,
					`The hub lists no model served by "fall", so ids and models are empty. The API does not publish `+
						`the names of the providers, so none can be suggested here. `+checkSpelling),
				filterWarning("provider_name", `No model matches provider_name = "fa1"`,
					`The hub lists no model served by "fa1", so ids and models are empty. The API does not publish `+
						`the names of the providers, so none can be suggested here. `+checkSpelling),
			)(s); err != nil {
				return err
			}
			// One whole-catalog list per read of a data source whose
			// developer_name or action left it empty, and none for the others.
			emptied := 0
			for _, q := range env.queriesSeen(oxensim.ModelsPath) {
				switch q {
				case "developer_name=Anthropc", "action=image-edit", "action=image_edit&developer_name=anthropic",
					"developer_name=Anthropic&provider_name=fal", "developer_name=Anthropic&provider_name=fa1":
					emptied++
				}
			}
			// provider_name beside developer_name is asked for alone once per
			// read that came back empty, and otherwise never.
			asked := map[string]int{}
			for _, q := range env.queriesSeen(oxensim.ModelsPath) {
				asked[q]++
			}
			if asked["provider_name=fal"] != asked["developer_name=Anthropic&provider_name=fal"] || asked["provider_name=fal"] == 0 {
				return fmt.Errorf("provider_name=fal was asked for alone %d times after %d empty combinations; list queries: %q",
					asked["provider_name=fal"], asked["developer_name=Anthropic&provider_name=fal"], env.queriesSeen(oxensim.ModelsPath))
			}
			emptied += len(slices.DeleteFunc(env.queriesSeen(oxensim.ModelsPath+"/search"), func(q string) bool { return q != "search=kling" }))
			if emptied == 0 {
				return fmt.Errorf("no filtered list was seen; list queries: %q", env.queriesSeen(oxensim.ModelsPath))
			}
			return env.expectUnfilteredLists(emptied)(s)
		},
	})
}

// When the catalog cannot be listed, the warning still says that the
// filter matched nothing, and why its values are not named.
func TestAccModelsDataSource_noMatchWarnsWhenTheCatalogCannotBeListed(t *testing.T) {
	env := newTestEnv(t)
	// Every second list request is refused: each read's filtered one goes
	// through, its whole-catalog one does not.
	env.sim.InjectFault(oxensim.Fault{Method: "GET", PathPrefix: oxensim.ModelsPath, Times: -1, Every: 2, Status: 400})
	var rec rpcRecorder
	env.testRecorded(&rec, resource.TestStep{
		Config: env.config(modelsLists(map[string]string{"developer": `developer_name = "Anthropc"`})),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.oxen_models.developer", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
		},
		Check: func(s *terraform.State) error {
			var errs []error
			var seen []*tfprotov6.Diagnostic
			for _, c := range rec.of("ReadDataSource") {
				seen = append(seen, c.diags...)
			}
			for _, d := range seen {
				if !wrapped(`No model listed has developer_name "Anthropc", so ids and models are empty, and the catalog ` +
					`could not be listed to name the values it has: GET /api/ai/models: 400 Bad Request .* Check the spelling`).MatchString(d.Detail) {
					errs = append(errs, fmt.Errorf("%s: %s", d.Summary, d.Detail))
				}
			}
			if len(seen) == 0 {
				errs = append(errs, fmt.Errorf("no warning"))
			}
			return errors.Join(errs...)
		},
	})
}

// When the hub cannot be asked for provider_name alone, the warning still
// says that the combination matched nothing, and why provider_name could
// not be checked on its own.
func TestAccModelsDataSource_providerNoMatchWarnsWhenItCannotBeAskedAlone(t *testing.T) {
	env := newTestEnv(t)
	env.sim.InjectFault(oxensim.Fault{Method: "GET", PathPrefix: oxensim.ModelsPath, RawQuery: "provider_name=fa1", Times: -1, Status: 400})
	var rec rpcRecorder
	env.testRecorded(&rec, resource.TestStep{
		Config: env.config(modelsLists(map[string]string{"misspelt": `provider_name = "fa1", developer_name = "Anthropic"`})),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.oxen_models.misspelt", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
		},
		Check: func(s *terraform.State) error {
			var seen []*tfprotov6.Diagnostic
			for _, c := range rec.of("ReadDataSource") {
				seen = append(seen, c.diags...)
			}
			want := wrapped(`The hub lists no model served by "fa1" with the other filters, so ids and models are empty, ` +
				`and it could not be asked for provider_name alone: GET /api/ai/models: 400 Bad Request .* Check the spelling`)
			for _, d := range seen {
				if d.Summary != `No model matches provider_name = "fa1"` || !want.MatchString(d.Detail) {
					return fmt.Errorf("unexpected diagnostic %s: %s", d.Summary, d.Detail)
				}
			}
			if len(seen) == 0 {
				return errors.New("no warning")
			}
			return nil
		},
	})
}

// modelsLists writes a data "oxen_models" block for each name, with its
// arguments separated by commas.
func modelsLists(args map[string]string) string {
	var b strings.Builder
	for _, name := range slices.Sorted(maps.Keys(args)) {
		fmt.Fprintf(&b, "data \"oxen_models\" %q {\n  %s\n}\n", name, strings.ReplaceAll(args[name], ", ", "\n  "))
	}
	return b.String()
}
