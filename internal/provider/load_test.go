package provider

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

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

	var reads atomic.Int64
	factories := env.wrappedFactories(func(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
		return countingServer{ProviderServer: s, reads: &reads}
	})
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

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
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
					reads.Load(), ok, limited, len(env.sim.Requests()))
				if int64(ok) != reads.Load() {
					return fmt.Errorf("%d data source reads got %d successful answers, want one each", reads.Load(), ok)
				}
				if limited == 0 {
					return fmt.Errorf("no request was rate limited: the test proves nothing")
				}
				return nil
			},
		}},
	})
}

func hclList(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = fmt.Sprintf("%q", s)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}
