package provider

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/querycheck"
	"github.com/hashicorp/terraform-plugin-testing/querycheck/queryfilter"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// The seed catalog's custom models, sorted by id, with the status each
// reads as: every status a listed deployment can have at rest.
var seedCustomStatuses = [][2]string{
	{"acc-custom-1", "inactive"}, {"acc-custom-2", "inactive"}, {"acc-custom-3", "inactive"},
	{"acc-custom-4", "inactive"}, {"acc-custom-5", "inactive"}, {"acc-custom-6", "inactive"},
	{"acc-custom-7", "inactive"}, {"acc-custom-8", "inactive"}, {"broken-ft", "error"},
	{"catalog-writer-ft", "deactivating"}, {"my-custom-model", "inactive"}, {"never-deployed-ft", "inactive"},
	{"product-shots-lora", "inactive"}, {"support-bot-ft", "active"}, {"vision-tagger-ft", "inactive"},
}

// The list's resource objects are what import records, for every status a
// deployment can be found in, so a configuration generated from a query
// imports without a change.
func TestModelActivationList_readsAsImport(t *testing.T) {
	env := newProtocolEnv(t, testAPIKey)
	results := env.list(nil, "", true, 100)
	if len(results) != len(seedCustomStatuses) {
		t.Fatalf("listed %d models, want the seed's %d custom models:\n%v", len(results), len(seedCustomStatuses), results)
	}
	identityType := tftypes.Object{AttributeTypes: map[string]tftypes.Type{"model_id": tftypes.String}}
	for i, want := range seedCustomStatuses {
		got := results[i]
		if len(got.Diagnostics) > 0 {
			t.Fatalf("result %d: %s", i, diagnosticsText(got.Diagnostics))
		}
		if wantName := want[0] + " (" + want[1] + ")"; got.DisplayName != wantName {
			t.Errorf("result %d is named %q, want %q", i, got.DisplayName, wantName)
		}
		identity := mustUnmarshal(got.Identity.IdentityData, identityType)
		if wantIdentity := tftypes.NewValue(identityType, map[string]tftypes.Value{"model_id": tftypes.NewValue(tftypes.String, want[0])}); !identity.Equal(wantIdentity) {
			t.Errorf("result %d has identity %s, want %s", i, identity, wantIdentity)
		}
		listed := mustUnmarshal(got.Resource, activationTFType())
		if imported := env.importAndRead(want[0]); !listed.Equal(imported) {
			t.Errorf("%s: the list reads\n%s\nbut import records\n%s", want[0], listed, imported)
		}
	}
}

// Without include_resource, a result is its identity and display name.
func TestModelActivationList_withoutResource(t *testing.T) {
	env := newProtocolEnv(t, testAPIKey)
	results := env.list([]string{"active"}, "", false, 100)
	if len(results) != 1 || results[0].DisplayName != "support-bot-ft (active)" || results[0].Resource != nil {
		t.Fatalf("want support-bot-ft alone, without a resource object; got %+v", results)
	}
}

// search asks the hub's search endpoint, and limit stops the live reads
// once enough results are found.
func TestModelActivationList_searchAndLimit(t *testing.T) {
	env := newProtocolEnv(t, testAPIKey)
	results := env.list(nil, "acc-custom", false, 3)
	var names []string
	for _, r := range results {
		names = append(names, r.DisplayName)
	}
	if got := strings.Join(names, ", "); got != "acc-custom-1 (inactive), acc-custom-2 (inactive), acc-custom-3 (inactive)" {
		t.Errorf("listed %s", got)
	}
	if n := env.sim.CountRequests("GET", oxensim.ModelsPath+"/search"); n != 1 {
		t.Errorf("sent %d search requests, want 1", n)
	}
	if n := liveReads(env.sim); n != 3 {
		t.Errorf("read %d live statuses for a limit of 3, want 3", n)
	}
}

// A query does not wait one round trip per custom model: liveReadsAhead
// live reads are in flight at once, and the results keep the list's order.
// A loop reading one model after the other fails here: its first read is
// held alone until the hold gives up.
func TestModelActivationList_readsStatusesAhead(t *testing.T) {
	env := newProtocolEnv(t, testAPIKey)
	var mu sync.Mutex
	var together []string
	env.sim.InjectHold(oxensim.Hold{
		Match:    func(r oxensim.Request) bool { return strings.Contains(r.RawQuery, "deployment_status=live") },
		Together: liveReadsAhead,
		OnHold: func(r oxensim.Request) {
			mu.Lock()
			defer mu.Unlock()
			together = append(together, strings.TrimPrefix(r.Path, oxensim.ModelsPath+"/"))
		},
	})
	results := env.list(nil, "", false, 100)
	slices.Sort(together)
	if want := []string{"acc-custom-1", "acc-custom-2", "acc-custom-3", "acc-custom-4"}; !slices.Equal(together, want) {
		t.Errorf("live reads in flight together: %q, want the first %d models %q", together, liveReadsAhead, want)
	}
	if len(results) != len(seedCustomStatuses) {
		t.Fatalf("listed %d models, want %d", len(results), len(seedCustomStatuses))
	}
	for i, want := range seedCustomStatuses {
		if name := want[0] + " (" + want[1] + ")"; results[i].DisplayName != name {
			t.Errorf("result %d is %q, want %q", i, results[i].DisplayName, name)
		}
	}
	if n := liveReads(env.sim); n != len(seedCustomStatuses) {
		t.Errorf("read %d live statuses, want one per custom model (%d)", n, len(seedCustomStatuses))
	}
}

// A model deleted between the list and its live read is left out: the
// hub's own "Model not found" says there is nothing to adopt. Any other 404
// there (a proxy's page, a path the hub does not serve) says nothing of the
// model: the stream ends in an error pointing at base_url instead of
// quietly listing fewer deployments.
func TestModelActivationList_missingModel(t *testing.T) {
	const gone = "support-bot-ft"
	readOf := func(env *protocolEnv) []oxensim.Request {
		var reads []oxensim.Request
		for _, r := range env.sim.Requests() {
			if r.Method == "GET" && r.Path == oxensim.ModelsPath+"/"+gone {
				reads = append(reads, r)
			}
		}
		return reads
	}
	t.Run("deleted after listing", func(t *testing.T) {
		var env *protocolEnv
		env = newProtocolEnv(t, testAPIKey, func(o *oxensim.Options) {
			o.OnRequest = func(r oxensim.Request) {
				if r.Method == "GET" && r.Path == oxensim.ModelsPath {
					env.sim.DeleteModel(gone)
				}
			}
		})
		results := env.list(nil, "", false, 100)
		var names []string
		for _, r := range results {
			if len(r.Diagnostics) > 0 {
				t.Errorf("%s: %s", r.DisplayName, diagnosticsText(r.Diagnostics))
			}
			names = append(names, r.DisplayName)
		}
		if len(names) != len(seedCustomStatuses)-1 || slices.Contains(names, gone+" (active)") {
			t.Errorf("listed %q, want the seed's custom models but %s", names, gone)
		}
		if reads := readOf(env); len(reads) != 1 || reads[0].Status != 404 {
			t.Errorf("live reads of %s: %+v, want one answered 404", gone, reads)
		}
	})
	t.Run("404 from elsewhere", func(t *testing.T) {
		env := newProtocolEnv(t, testAPIKey)
		env.sim.InjectFault(oxensim.Fault{Method: "GET", PathPrefix: oxensim.ModelsPath + "/" + gone, Times: -1, Status: 404})
		results := env.list(nil, "", false, 100)
		last := results[len(results)-1]
		text := diagnosticsText(last.Diagnostics)
		want := `ERROR: Could not read model "support-bot-ft": GET /api/ai/models/support-bot-ft: 404 Not Found: `
		if last.Identity != nil || !strings.HasPrefix(text, want) ||
			!strings.Contains(text, `The 404 above is not the Oxen API's answer for a missing model`) ||
			!strings.Contains(text, "Check base_url ("+env.url+", set in the provider block).") {
			t.Fatalf("the list ended with %q:\n%s\nwant an error starting %q with the base_url advice", last.DisplayName, text, want)
		}
		if reads := readOf(env); len(reads) != 1 {
			t.Errorf("live reads of %s: %+v, want one", gone, reads)
		}
	})
}

// Without a key the hub shows no custom model: the stream says why it is
// empty instead of looking like an account without deployments.
func TestModelActivationList_noKeyWarns(t *testing.T) {
	t.Setenv(envAPIKey, "")
	env := newProtocolEnv(t, "")
	results := env.list(nil, "", false, 100)
	if len(results) != 1 || results[0].Identity != nil {
		t.Fatalf("want one result of diagnostics alone, got %+v", results)
	}
	text := diagnosticsText(results[0].Diagnostics)
	if !strings.Contains(text, "WARNING: No custom models listed: no API key is configured") || !strings.Contains(text, "Set the OXEN_API_KEY environment variable") {
		t.Fatalf("diagnostics:\n%s", text)
	}

	// The advice followed: the same provider block, the key in the
	// environment, lists the custom models without a warning.
	t.Setenv(envAPIKey, testAPIKey)
	results = newProtocolEnv(t, "").list(nil, "", false, 100)
	if len(results) == 0 {
		t.Fatal("with OXEN_API_KEY set, nothing was listed")
	}
	for _, r := range results {
		if r.Identity == nil || len(r.Diagnostics) > 0 {
			t.Fatalf("with OXEN_API_KEY set, want results without diagnostics, got %+v", r)
		}
	}
}

// The provider as main serves it answers list and action RPCs: the
// server that answers catalog reads itself hands them to the framework.
func TestProtocolServerServesListsAndActions(t *testing.T) {
	server := ProtocolServer("test")()
	if _, ok := server.(tfprotov6.ListResourceServer); !ok {
		t.Errorf("%T serves no list resources", server)
	}
	if _, ok := server.(tfprotov6.ActionServer); !ok {
		t.Errorf("%T serves no actions", server)
	}
	schemas, err := server.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if schemas.ListResourceSchemas["oxen_model_activation"] == nil {
		t.Errorf("no list resource schema for oxen_model_activation")
	}
	for _, name := range []string{"oxen_model_activate", "oxen_model_deactivate"} {
		if schemas.ActionSchemas[name] == nil {
			t.Errorf("no action schema for %s", name)
		}
	}
}

// listConfig is a provider block for the simulator and one list block.
func (e *testEnv) listConfig(body string) string {
	return e.config("") + `
list "oxen_model_activation" "found" {
  provider = oxen
` + body + `
}
`
}

func TestAccModelActivationList_query(t *testing.T) {
	env := newTestEnv(t)
	const addr = "oxen_model_activation.found"
	byModel := func(id string) queryfilter.QueryFilter {
		return queryfilter.ByResourceIdentity(map[string]knownvalue.Check{"model_id": knownvalue.StringExact(id)})
	}
	env.runOnListsAndActions(resource.TestStep{
		Query:  true,
		Config: env.listConfig(""),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(addr, len(seedCustomStatuses)),
			querycheck.ExpectIdentity(addr, map[string]knownvalue.Check{"model_id": knownvalue.StringExact("broken-ft")}),
			querycheck.ExpectIdentity(addr, map[string]knownvalue.Check{"model_id": knownvalue.StringExact("never-deployed-ft")}),
			querycheck.ExpectResourceDisplayName(addr, byModel("support-bot-ft"), knownvalue.StringExact("support-bot-ft (active)")),
			querycheck.ExpectResourceDisplayName(addr, byModel("never-deployed-ft"), knownvalue.StringExact("never-deployed-ft (inactive)")),
			// Base models have no deployment: never listed.
			querycheck.ExpectNoIdentity(addr, map[string]knownvalue.Check{"model_id": knownvalue.StringExact("claude-sonnet-4-6")}),
		},
	}, resource.TestStep{
		Query: true,
		Config: env.listConfig(`  include_resource = true
  config {
    statuses = ["active", "error"]
  }`),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(addr, 2),
			querycheck.ExpectResourceDisplayName(addr, byModel("broken-ft"), knownvalue.StringExact("broken-ft (error)")),
			querycheck.ExpectResourceKnownValues(addr, byModel("support-bot-ft"), []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("model_id"), KnownValue: knownvalue.StringExact("support-bot-ft")},
				{Path: tfjsonpath.New("active"), KnownValue: knownvalue.Bool(true)},
				{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("active")},
				{Path: tfjsonpath.New("deactivate_on_destroy"), KnownValue: knownvalue.Bool(true)},
			}),
			// A deployment in error imports as active = false: a
			// generated configuration never retries it.
			querycheck.ExpectResourceKnownValues(addr, byModel("broken-ft"), []querycheck.KnownValueCheck{
				{Path: tfjsonpath.New("active"), KnownValue: knownvalue.Bool(false)},
				{Path: tfjsonpath.New("status"), KnownValue: knownvalue.StringExact("error")},
			}),
		},
	}, resource.TestStep{
		Query: true,
		Config: env.listConfig(`  config {
    search = "acc-custom"
  }`),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength(addr, 8),
			querycheck.ExpectIdentity(addr, map[string]knownvalue.Check{"model_id": knownvalue.StringExact("acc-custom-8")}),
		},
	})
	if n := env.sim.CountRequests("POST", oxensim.ModelsPath); n != 0 {
		t.Errorf("listing sent %d requests that change deployments, want 0", n)
	}
}

// limit bounds the results and the requests: the live reads stop once
// limit results are found.
func TestAccModelActivationList_limit(t *testing.T) {
	env := newTestEnv(t)
	env.runOnListsAndActions(resource.TestStep{
		Query:  true,
		Config: env.listConfig("  limit = 2"),
		QueryResultChecks: []querycheck.QueryResultCheck{
			querycheck.ExpectLength("oxen_model_activation.found", 2),
			querycheck.ExpectIdentity("oxen_model_activation.found", map[string]knownvalue.Check{"model_id": knownvalue.StringExact("acc-custom-2")}),
		},
	})
	if reads := liveReads(env.sim); reads > 2 {
		t.Errorf("a query with limit = 2 read %d statuses, want at most 2", reads)
	}
}

// liveReads counts the simulator's live status reads.
func liveReads(sim *oxensim.Server) int {
	n := 0
	for _, r := range sim.Requests() {
		if r.Method == "GET" && strings.Contains(r.RawQuery, "deployment_status=live") {
			n++
		}
	}
	return n
}

func TestAccModelActivationList_invalidStatuses(t *testing.T) {
	env := newTestEnv(t)
	env.runOnListsAndActions(resource.TestStep{
		Query: true,
		Config: env.listConfig(`  config {
    statuses = ["running"]
  }`),
		ExpectError: regexp.MustCompile(`(?s)value must be one of:.*"active".*"inactive".*"running"`),
	})
	if n := len(env.sim.Requests()); n != 0 {
		t.Errorf("an invalid query sent %d requests, want 0", n)
	}
}

// An API error ends the query with the error and the advice for its cause.
func TestAccModelActivationList_apiError(t *testing.T) {
	env := newTestEnv(t)
	env.sim.InjectFault(oxensim.Fault{Method: "GET", PathPrefix: oxensim.ModelsPath, Status: 403})
	env.runOnListsAndActions(resource.TestStep{
		Query:       true,
		Config:      env.listConfig(""),
		ExpectError: regexp.MustCompile(`(?s)Could not list models.*403.*The API key was accepted but is not allowed`),
	})
}
