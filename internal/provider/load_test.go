package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// TestAccLoad_lookupsAndActivations runs one configuration of 500 model
// look-ups and 50 activations against a hub that rate limits one request
// in seven, at random: every read and every activation must succeed, with exactly one
// successful request per data source read and no deployment left behind.
func TestAccLoad_lookupsAndActivations(t *testing.T) {
	if testing.Short() {
		t.Skip("load test skipped in -short mode")
	}
	const lookups, activations = 500, 50
	env := newTestEnv(t, func(o *oxensim.Options) { o.Models = oxensim.GenerateCatalog(700) })

	var baseIDs, customIDs []string
	for _, id := range env.sim.ModelIDs() {
		raw, _ := env.sim.ModelJSON(id)
		var m struct {
			ModelType string `json:"model_type"`
		}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatal(err)
		}
		if m.ModelType == "custom" {
			customIDs = append(customIDs, id)
		} else {
			baseIDs = append(baseIDs, id)
		}
	}
	if len(baseIDs) < lookups || len(customIDs) < activations {
		t.Fatalf("catalog too small: %d base, %d custom", len(baseIDs), len(customIDs))
	}
	baseIDs, customIDs = baseIDs[:lookups], customIDs[:activations]

	env.sim.InjectFault(oxensim.Fault{Status: 429, RetryAfter: "1", Times: -1, Chance: 1.0 / 7, Seed: 42})

	var rec rpcRecorder
	// With one request in seven rate limited at random, a request fails
	// only if eleven attempts in a row are: about once in two billion.
	cfg := fmt.Sprintf(`
provider "oxen" {
  base_url    = %q
  api_key     = %q
  max_retries = 10
}
locals {
  lookups     = %s
  activations = %s
}
data "oxen_model" "m" {
  count = length(local.lookups)
  id    = local.lookups[count.index]
}
resource "oxen_model_activation" "a" {
  count    = length(local.activations)
  model_id = local.activations[count.index]
}
`, env.url, testAPIKey, hclList(baseIDs), hclList(customIDs))

	env.testRecorded(&rec, resource.TestStep{
		Config: cfg,
		Check: func(s *terraform.State) error {
			models, active := 0, 0
			for addr, r := range s.RootModule().Resources {
				switch {
				case strings.HasPrefix(addr, "data.oxen_model.m."):
					models++
				case strings.HasPrefix(addr, "oxen_model_activation.a.") && r.Primary.Attributes["status"] == "active":
					active++
				}
			}
			if models != lookups || active != activations {
				return fmt.Errorf("state holds %d look-ups and %d active deployments, want %d and %d", models, active, lookups, activations)
			}
			for _, id := range customIDs {
				if st, _ := env.sim.Status(id); st != "active" {
					return fmt.Errorf("model %s is %q on the hub, want active", id, st)
				}
			}
			// Every data source read got exactly one successful answer.
			lookup := map[string]bool{}
			for _, id := range baseIDs {
				lookup["/api/ai/models/"+id] = true
			}
			ok, limited := 0, 0
			for _, r := range env.sim.Requests() {
				switch {
				case r.Status == 429:
					limited++
				case lookup[r.Path] && r.Status == 200:
					ok++
				}
			}
			t.Logf("%d data source reads, %d successful look-up requests, %d requests rate limited, %d requests in all",
				rec.count("ReadDataSource"), ok, limited, len(env.sim.Requests()))
			if ok != rec.count("ReadDataSource") {
				return fmt.Errorf("%d data source reads got %d successful answers, want one each", rec.count("ReadDataSource"), ok)
			}
			if limited == 0 {
				return fmt.Errorf("no request was rate limited: the test proves nothing")
			}
			return nil
		},
	})
}

func hclList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// walks counts the data source reads of each walk (plan, apply,
// refresh...: each configures a new client) and the requests they send.
type walk struct {
	reads    int
	requests map[string]int // by method, path and query
}

type walks struct {
	mu  sync.Mutex
	all []*walk
}

// start marks the start of a walk: Terraform configures the provider.
func (w *walks) start() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.all = append(w.all, &walk{requests: map[string]int{}})
}

// read counts a data source read of the current walk.
func (w *walks) read() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if n := len(w.all); n > 0 {
		w.all[n-1].reads++
	}
}

// request records a request the simulator answered during the current walk.
func (w *walks) request(r oxensim.Request) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if n := len(w.all); n > 0 {
		w.all[n-1].requests[r.Method+" "+r.Path+"?"+r.RawQuery]++
	}
}

// 100 data sources naming 5 models send 5 requests in each walk that reads
// them: concurrent reads join the one in flight, later ones reuse its answer.
func TestAccLoad_identicalLookupsShareOneRequest(t *testing.T) {
	var w walks
	env := newTestEnv(t, func(o *oxensim.Options) { o.OnRequest = w.request })
	var rec rpcRecorder
	rec.runBefore("ConfigureProvider", w.start)
	rec.runBefore("ReadDataSource", w.read)
	ids := []string{"gpt-5", "claude-sonnet-4-6", "gpt-image-1", "veo-3-1", "support-bot-ft"}
	env.testRecorded(&rec, resource.TestStep{
		Config: env.config(fmt.Sprintf(`
locals {
  ids = %s
}
data "oxen_model" "m" {
  count = 100
  id    = local.ids[count.index %% 5]
}
`, hclList(ids))),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("data.oxen_model.m[99]", tfjsonpath.New("owned_by"), knownvalue.StringExact("acme-ml")),
			statecheck.ExpectKnownValue("data.oxen_model.m[0]", tfjsonpath.New("display_name"), knownvalue.NotNull()),
		},
		Check: func(*terraform.State) error {
			w.mu.Lock()
			defer w.mu.Unlock()
			reading := 0
			for i, wk := range w.all {
				if wk.reads == 0 {
					continue
				}
				reading++
				sent := 0
				for _, n := range wk.requests {
					sent += n
				}
				t.Logf("walk %d: %d data source reads sent %d requests: %v", i+1, wk.reads, sent, wk.requests)
				if wk.reads != 100 || sent != len(ids) {
					return fmt.Errorf("walk %d: %d reads sent %d requests, want 100 reads and %d requests", i+1, wk.reads, sent, len(ids))
				}
				for _, id := range ids {
					if n := wk.requests["GET /api/ai/models/"+id+"?"]; n != 1 {
						return fmt.Errorf("walk %d: %d requests for %s, want 1", i+1, n, id)
					}
				}
			}
			if reading == 0 {
				return fmt.Errorf("no walk read the data sources: the test proves nothing")
			}
			return nil
		},
	})
}

// A look-up that waits for an activation of its model sees the status that
// activation reached, although another look-up of the same model, made
// earlier in the same walk, saw the one before.
func TestAccLoad_lookupAfterAnActivationSeesItsStatus(t *testing.T) {
	env := newTestEnv(t)
	const model = "my-custom-model"
	env.test(resource.TestStep{
		// first only defers "before" to the apply walk, where "bot" and
		// "after" are.
		Config: env.config(`
resource "oxen_model_activation" "first" {
  model_id = "vision-tagger-ft"
}
data "oxen_model" "before" {
  id         = "my-custom-model"
  depends_on = [oxen_model_activation.first]
}
resource "oxen_model_activation" "bot" {
  model_id   = "my-custom-model"
  depends_on = [data.oxen_model.before]
}
data "oxen_model" "after" {
  id         = "my-custom-model"
  depends_on = [oxen_model_activation.bot]
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			statusIs("data.oxen_model.before", "inactive"),
			statusIs("oxen_model_activation.bot", "active"),
			statusIs("data.oxen_model.after", "active"),
		},
		Check: env.expectSimStatus(model, "active"),
	})
}
