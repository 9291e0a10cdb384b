package oxensim

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

var (
	seedBaseIDs = []string{
		"claude-sonnet-4-6", "claude-opus-4-5", "claude-haiku-4-5", "gpt-5", "gpt-5-mini", "gpt-4o-mini",
		"gemini-2-5-pro", "gemini-2-5-flash", "qwen3-8b", "qwen3-vl-8b-instruct", "llama-3-1-8b-instruct",
		"mistral-small-3-2", "flux-2-dev", "flux-2-pro", "gpt-image-1", "gemini-2-5-flash-image",
		"qwen-image-edit", "sdxl-lightning", "kling-video-o3-pro-reference-to-video", "kling-v2-5-turbo-pro",
		"veo-3-1", "sora-2-pro", "seedance-1-pro", "wan-2-2-text-to-video",
	}
	seedCustomStatus = map[string]string{
		"my-custom-model": "inactive", "support-bot-ft": "active", "vision-tagger-ft": "inactive",
		"broken-ft": "error", "product-shots-lora": "inactive", "catalog-writer-ft": "deactivating",
		"acc-custom-1": "inactive", "acc-custom-2": "inactive", "acc-custom-3": "inactive", "acc-custom-4": "inactive",
		"acc-custom-5": "inactive", "acc-custom-6": "inactive", "acc-custom-7": "inactive", "acc-custom-8": "inactive",
		"never-deployed-ft": "",
	}
)

func seedCustomIDs() []string {
	var ids []string
	for id := range seedCustomStatus {
		ids = append(ids, id)
	}
	return ids
}

func TestGetBaseModelAnonymously(t *testing.T) {
	h := newHarness(t, Options{})
	r := h.do(t, "GET", "/api/ai/models/claude-sonnet-4-6", "")
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("content-type = %q", ct)
	}
	if id := r.header.Get("X-Oxen-Request-Id"); id != "req_1" {
		t.Errorf("x-oxen-request-id = %q, want req_1", id)
	}
	m := decodeObject(t, r.body)
	if m["id"] != "claude-sonnet-4-6" || m["object"] != "model" || m["owned_by"] != "oxen" || m["created"] != float64(1750000000) {
		t.Errorf("required fields wrong: %v %v %v %v", m["id"], m["object"], m["owned_by"], m["created"])
	}
	p := m["pricing"].(map[string]any)
	if p["method"] != "token" || p["input_cost_per_token"] != 3e-6 || p["output_cost_per_token"] != 1.5e-5 {
		t.Errorf("pricing = %v", p)
	}
	if statusOf(t, m) != "" || m["model_type"] != "base" {
		t.Errorf("base model: deployments %v, model_type %v", m["deployments"], m["model_type"])
	}
	for _, k := range []string{"fine_tuning", "source_model", "image_url", "request_schema"} {
		if v, ok := m[k]; !ok || v != nil {
			t.Errorf("%s = %v (present %t), want null", k, v, ok)
		}
	}
	if _, ok := m["_sim"]; ok {
		t.Error("hidden _sim metadata is served")
	}
	// Members come in the hub's order, with the id first.
	if !strings.HasPrefix(string(r.body), `{"id":"claude-sonnet-4-6","object":"model","created":1750000000,"owned_by":"oxen",`) {
		t.Errorf("body starts %s", r.body[:80])
	}
}

func TestGetByUUID(t *testing.T) {
	h := newHarness(t, Options{})
	uuid, ok := h.sim.UUID("flux-2-dev")
	if !ok || len(uuid) != 36 || uuid[14] != '5' {
		t.Fatalf("UUID = %q, %t", uuid, ok)
	}
	if m := h.get(t, uuid, false); m["id"] != "flux-2-dev" {
		t.Errorf("by uuid: id = %v", m["id"])
	}
	if m := h.get(t, strings.ToUpper(uuid), false); m["id"] != "flux-2-dev" {
		t.Errorf("by upper-case uuid: id = %v", m["id"])
	}
	// A custom model's UUID is as private as its id.
	cu, _ := h.sim.UUID("my-custom-model")
	if r := h.do(t, "GET", "/api/ai/models/"+cu, ""); r.status != 404 {
		t.Errorf("anonymous GET of a custom uuid: %d", r.status)
	}
	if m := h.get(t, cu, false); m["id"] != "my-custom-model" {
		t.Errorf("custom by uuid: id = %v", m["id"])
	}
}

func TestSeedCatalog(t *testing.T) {
	h := newHarness(t, Options{})
	assertIDs(t, "anonymous list", h.list(t, "/api/ai/models", ""), seedBaseIDs)
	assertIDs(t, "authenticated list", h.list(t, "/api/ai/models", testKey), append(seedCustomIDs(), seedBaseIDs...))
	for id, want := range seedCustomStatus {
		m := h.get(t, id, false)
		if got := statusOf(t, m); got != want {
			t.Errorf("%s: status %q, want %q", id, got, want)
		}
		if m["model_type"] != "custom" || m["owned_by"] != "acme-ml" || m["source_model"] == nil {
			t.Errorf("%s: model_type %v owned_by %v source_model %v", id, m["model_type"], m["owned_by"], m["source_model"])
		}
	}
	// Every endpoint kind and pricing method is represented.
	endpoints, methods := map[string]bool{}, map[string]bool{}
	present := map[string]int{} // how many models have each field, not null
	for _, id := range seedBaseIDs {
		m := h.get(t, id, false)
		endpoints[m["endpoint"].(string)] = true
		p := m["pricing"].(map[string]any)
		methods[p["method"].(string)] = true
		countPresent(present, map[string]any{
			"grid": p["cost_per_image_grid"], "byRes": p["cost_per_second_by_resolution"],
			"highRes": p["cost_per_second_high_res"], "audio": p["cost_per_second_with_audio"],
			"showcase": m["showcase"], "schemas": m["request_schema"], "context_length": m["context_length"],
		})
	}
	if len(endpoints) != 3 || len(methods) != 4 {
		t.Errorf("endpoints %v, methods %v", endpoints, methods)
	}
	if present["grid"] == 0 || present["byRes"] == 0 || present["highRes"] == 0 || present["audio"] == 0 ||
		present["showcase"] != 1 || present["schemas"] < 5 || present["context_length"] < 3 {
		t.Errorf("models with each field: %v", present)
	}
	img := h.get(t, "gpt-image-1", false)["pricing"].(map[string]any)["cost_per_image_grid"].(map[string]any)
	if img["high"].(map[string]any)["4K"] != 1.47 || img["low"].(map[string]any)["1K"] != 0.011 {
		t.Errorf("gpt-image-1 grid = %v", img)
	}
	sd := h.get(t, "seedance-1-pro", false)["pricing"].(map[string]any)["cost_per_second_by_resolution"].(map[string]any)
	if sd["480p"] != 0.096 || sd["720p"] != 0.144 || sd["1080p"] != 0.24 {
		t.Errorf("seedance by resolution = %v", sd)
	}
	if len(SeedCustomModels()) != len(seedCustomStatus) {
		t.Errorf("SeedCustomModels: %d, want %d", len(SeedCustomModels()), len(seedCustomStatus))
	}
}

func TestListFilters(t *testing.T) {
	h := newHarness(t, Options{})
	cases := []struct {
		query, key string
		want       []string
	}{
		{"developer_name=anthropic", "", []string{"claude-sonnet-4-6", "claude-opus-4-5", "claude-haiku-4-5"}},
		{"developer_name=ANTHROPIC", "", []string{"claude-sonnet-4-6", "claude-opus-4-5", "claude-haiku-4-5"}},
		{"developer_name=black%20forest%20labs", "", []string{"flux-2-dev", "flux-2-pro"}},
		{"developer_name=nobody", "", nil},
		{"action=image_edit", "", []string{"flux-2-dev", "qwen-image-edit"}},
		{"action=chat", "", []string{"qwen3-8b", "qwen3-vl-8b-instruct", "llama-3-1-8b-instruct"}},
		{"action=chat&developer_name=alibaba", "", []string{"qwen3-8b", "qwen3-vl-8b-instruct"}},
		{"provider_name=fal", "", []string{"flux-2-dev", "flux-2-pro", "kling-video-o3-pro-reference-to-video", "kling-v2-5-turbo-pro", "seedance-1-pro"}},
		{"provider_name=openai", "", []string{"gpt-5", "gpt-5-mini", "gpt-4o-mini", "gpt-image-1", "sora-2-pro"}},
		{"provider_name=oxen", "", []string{"qwen3-8b", "qwen3-vl-8b-instruct", "llama-3-1-8b-instruct", "qwen-image-edit", "sdxl-lightning", "wan-2-2-text-to-video"}},
		{"provider_name=oxen", testKey, append(seedCustomIDs(), "qwen3-8b", "qwen3-vl-8b-instruct", "llama-3-1-8b-instruct", "qwen-image-edit", "sdxl-lightning", "wan-2-2-text-to-video")},
		{"developer_name=acme-ml", "", nil},
		{"developer_name=acme-ml", testKey, seedCustomIDs()},
		{"developer_name=&action=&unknown=1", "", seedBaseIDs},
	}
	for _, c := range cases {
		assertIDs(t, c.query+" key="+c.key, h.list(t, "/api/ai/models?"+c.query, c.key), c.want)
	}
}

func TestSearch(t *testing.T) {
	h := newHarness(t, Options{})
	cases := []struct {
		q, key string
		want   []string
	}{
		{"kling", "", []string{"kling-video-o3-pro-reference-to-video", "kling-v2-5-turbo-pro"}},
		{"FLUX", "", []string{"flux-2-dev", "flux-2-pro"}},
		{"Sonnet%204.6", "", []string{"claude-sonnet-4-6"}}, // display name only
		{"nano%20banana", "", nil},                          // descriptions are not searched
		{"acc-custom", "", nil},
		{"acc-custom", testKey, []string{"acc-custom-1", "acc-custom-2", "acc-custom-3", "acc-custom-4", "acc-custom-5", "acc-custom-6", "acc-custom-7", "acc-custom-8"}},
		{"%20tagger%20", testKey, []string{"vision-tagger-ft"}},
	}
	for _, c := range cases {
		assertIDs(t, "search="+c.q, h.list(t, "/api/ai/models/search?search="+c.q, c.key), c.want)
	}
	for _, q := range []string{"", "?search=", "?search=%20%20", "?q=kling"} {
		r := h.do(t, "GET", "/api/ai/models/search"+q, "")
		want := `{"error":{"type":"invalid_params","title":"Invalid parameters","detail":"search: can't be blank"},"status":"error","status_message":"invalid_params"}`
		if r.status != 400 || string(r.body) != want {
			t.Errorf("search%s: %d %s", q, r.status, r.body)
		}
	}
}

func TestAuthMatrix(t *testing.T) {
	h := newHarness(t, Options{})
	const unauth = `{"error":{"type":"unauthenticated","title":"Unauthenticated","detail":"Invalid or missing API key"},"status":"error","status_message":"unauthenticated"}`
	type req struct{ method, path string }
	cases := []struct {
		req
		none, good, bad int
	}{
		{req{"GET", "/api/ai/models"}, 200, 200, 401},
		{req{"GET", "/api/ai/models/search?search=a"}, 200, 200, 401},
		{req{"GET", "/api/ai/models/gpt-5"}, 200, 200, 401},
		{req{"GET", "/api/ai/models/gpt-5?deployment_status=live"}, 200, 200, 401},
		{req{"GET", "/api/ai/models/support-bot-ft"}, 404, 200, 401},
		{req{"GET", "/api/ai/models/no-such-model"}, 404, 404, 401},
		{req{"POST", "/api/ai/models/acc-custom-1/activate"}, 401, 200, 401},
		{req{"POST", "/api/ai/models/acc-custom-2/deactivate"}, 401, 200, 401},
		{req{"POST", "/api/ai/models/gpt-5/activate"}, 401, 400, 401},
		{req{"POST", "/api/ai/models/no-such-model/activate"}, 401, 404, 401},
		{req{"GET", "/api/other"}, 404, 404, 401},
	}
	for _, c := range cases {
		for _, k := range []struct {
			key  string
			want int
		}{{"", c.none}, {testKey, c.good}, {"wrong-key", c.bad}} {
			r := h.do(t, c.method, c.path, k.key)
			if r.status != k.want {
				t.Errorf("%s %s key=%q: %d, want %d: %s", c.method, c.path, k.key, r.status, k.want, r.body)
			}
			if r.status == 401 && string(r.body) != unauth {
				t.Errorf("%s %s: 401 body %s", c.method, c.path, r.body)
			}
		}
	}
	// Other malformed credentials are 401 too.
	for _, hv := range []string{"Basic dXNlcjpwYXNz", "Bearer", "Bearer " + testKey + "x", testKey} {
		r := h.doHeader(t, "GET", "/api/ai/models", hv)
		if r.status != 401 {
			t.Errorf("Authorization %q: %d", hv, r.status)
		}
	}
	if r := h.doHeader(t, "GET", "/api/ai/models/support-bot-ft", "bearer  "+testKey); r.status != 200 {
		t.Errorf("lower-case scheme: %d", r.status)
	}
	// With no key configured, every key is wrong, and anonymous reads work.
	open := newHarness(t, Options{})
	open.sim.apiKey = "" // newHarness always sets a key; this server has none
	if r := open.do(t, "GET", "/api/ai/models", testKey); r.status != 401 {
		t.Errorf("keyless server, with key: %d", r.status)
	}
	if ids := open.list(t, "/api/ai/models", ""); len(ids) != len(seedBaseIDs) {
		t.Errorf("keyless server, anonymous list: %d models", len(ids))
	}
}

func TestNotFoundAndRoutes(t *testing.T) {
	h := newHarness(t, Options{})
	cases := []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/api/ai/models/bad-model-name", 404, `{"error":{"message":"Model not found: bad-model-name"}}`},
		{"GET", "/api/ai/models/a%2Fb", 404, `{"error":{"message":"Model not found: a/b"}}`},
		{"GET", "/api/ai/models/with%20space", 404, `{"error":{"message":"Model not found: with space"}}`},
		{"GET", "/api/ai/models/%22quoted%22", 404, `{"error":{"message":"Model not found: \"quoted\""}}`},
		{"POST", "/api/ai/models/a%2Fb/activate", 404, `{"error":{"message":"Model not found: a/b"}}`},
		{"GET", "/api/ai/models/gpt-5/", 200, ""},
		{"GET", "/api/ai/models/", 200, ""},
		{"GET", "/api/ai/models/gpt-5/extra", 404, `{"error":{"type":"resource_not_found","title":"Not Found","detail":"No route for GET /api/ai/models/gpt-5/extra"},"status":"error","status_message":"resource_not_found"}`},
		{"GET", "/", 404, ""},
		{"POST", "/api/ai/models", 405, ""},
		{"PUT", "/api/ai/models/gpt-5", 405, ""},
		{"GET", "/api/ai/models/my-custom-model/activate", 405, ""},
		{"DELETE", "/api/ai/models/search", 405, ""},
		{"GET", "/api/ai/models/gpt-5?deployment_status=cached", 400, `{"error":{"type":"invalid_params","title":"Invalid parameters","detail":"deployment_status: must be \"live\", got \"cached\""},"status":"error","status_message":"invalid_params"}`},
		{"POST", "/api/ai/models/claude-sonnet-4-6/activate", 400, `{"error":{"type":"invalid_params","title":"Invalid parameters","detail":"Base models are always active and do not need activation"},"status":"error","status_message":"invalid_params"}`},
		{"POST", "/api/ai/models/claude-sonnet-4-6/deactivate", 400, `{"error":{"type":"invalid_params","title":"Invalid parameters","detail":"Base models are always active and do not need activation"},"status":"error","status_message":"invalid_params"}`},
	}
	for _, c := range cases {
		r := h.do(t, c.method, c.path, testKey)
		if r.status != c.status || (c.body != "" && string(r.body) != c.body) {
			t.Errorf("%s %s: %d %s, want %d %s", c.method, c.path, r.status, r.body, c.status, c.body)
		}
		if r.header.Get("Content-Type") != "application/json" || !strings.HasPrefix(r.header.Get("X-Oxen-Request-Id"), "req_") {
			t.Errorf("%s %s: headers %v", c.method, c.path, r.header)
		}
		if r.status == 405 && r.header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", c.method, c.path)
		}
		if !json.Valid(r.body) {
			t.Errorf("%s %s: body is not JSON: %s", c.method, c.path, r.body)
		}
	}
}

func TestActivateAndDeactivateOverTime(t *testing.T) {
	h := newHarness(t, Options{DeployDuration: 2 * time.Minute, DeactivateDuration: 30 * time.Second})
	// answers sends action (activate or deactivate) for model, or reads its
	// live status when action is "", and wants the deployment's status.
	answers := func(model, action, want string) {
		t.Helper()
		got := ""
		if action == "" {
			got = statusOf(t, h.get(t, model, true))
		} else {
			got = statusOf(t, h.post(t, model, action))
		}
		if got != want {
			t.Fatalf("%s %s: status %q, want %q", action, model, got, want)
		}
	}
	// Each row first lets wait pass on the hub's clock.
	for _, r := range []struct {
		wait                 time.Duration
		model, action, wants string
	}{
		{0, "my-custom-model", "activate", "deploying"},
		{119 * time.Second, "my-custom-model", "", "deploying"}, // just before deploy time
		{0, "my-custom-model", "activate", "deploying"},         // activating again does not restart the deploy
		{time.Second, "my-custom-model", "", "active"},          // at deploy time
		{0, "my-custom-model", "activate", "active"},
		{time.Hour, "my-custom-model", "", "active"},
		{0, "my-custom-model", "deactivate", "deactivating"},
		{29 * time.Second, "my-custom-model", "", "deactivating"}, // just before deactivate time
		{0, "my-custom-model", "deactivate", "deactivating"},
		{time.Second, "my-custom-model", "", "inactive"}, // at deactivate time
		{0, "my-custom-model", "deactivate", "inactive"},
		// Reversals: deactivate while deploying, activate while deactivating.
		{0, "acc-custom-1", "activate", "deploying"},
		{time.Minute, "acc-custom-1", "deactivate", "deactivating"},
		{10 * time.Second, "acc-custom-1", "activate", "deploying"},
		{2 * time.Minute, "acc-custom-1", "", "active"},
		// An errored deployment can be activated again.
		{0, "broken-ft", "activate", "deploying"},
	} {
		h.clock.Advance(r.wait)
		answers(r.model, r.action, r.wants)
	}
	// Or deactivated.
	_ = h.sim.SetStatus("broken-ft", "error")
	answers("broken-ft", "deactivate", "deactivating")
	// The seed's deactivating model finishes on its own.
	h.clock.Advance(30 * time.Second)
	if s, _ := h.sim.Status("catalog-writer-ft"); s != "inactive" {
		t.Errorf("catalog-writer-ft after 30s: %q", s)
	}
	// A model never deployed lists no deployment; deactivating it leaves it
	// so, and activating it starts its first deployment.
	answers("never-deployed-ft", "deactivate", "")
	answers("never-deployed-ft", "activate", "deploying")
	// Activation by UUID works like activation by id.
	u, _ := h.sim.UUID("acc-custom-2")
	if got := statusOf(t, h.post(t, u, "activate")); got != "deploying" {
		t.Errorf("activate by uuid: %q", got)
	}
}

func TestCachedVersusLiveStatus(t *testing.T) {
	h := newHarness(t, Options{DeployDuration: time.Minute})
	const id = "vision-tagger-ft"
	h.post(t, id, "activate")
	h.clock.Advance(5 * time.Minute)
	if s, _ := h.sim.Status(id); s != "active" {
		t.Fatalf("true status %q", s)
	}
	if s, _ := h.sim.CachedStatus(id); s != "deploying" {
		t.Fatalf("cached status %q", s)
	}
	if got := statusOf(t, h.get(t, id, false)); got != "deploying" {
		t.Errorf("plain GET: %q, want the cached deploying", got)
	}
	listStatus := func(path string) string {
		r := h.do(t, "GET", path, testKey)
		var env struct{ Data []map[string]any }
		_ = json.Unmarshal(r.body, &env)
		for _, m := range env.Data {
			if m["id"] == id {
				return statusOf(t, m)
			}
		}
		t.Fatalf("%s: %s missing", path, id)
		return ""
	}
	if got := listStatus("/api/ai/models"); got != "deploying" {
		t.Errorf("list: %q", got)
	}
	if got := listStatus("/api/ai/models/search?search=vision"); got != "deploying" {
		t.Errorf("search: %q", got)
	}
	if got := statusOf(t, h.get(t, id, true)); got != "active" {
		t.Errorf("live GET: %q", got)
	}
	if got := statusOf(t, h.get(t, id, false)); got != "active" {
		t.Errorf("plain GET after live: %q", got)
	}
	if got := listStatus("/api/ai/models"); got != "active" {
		t.Errorf("list after live: %q", got)
	}
	if raw, _ := h.sim.ModelJSON(id); !strings.Contains(string(raw), `"deployments":[{"status":"active"}]`) {
		t.Errorf("ModelJSON = %s", raw)
	}
	if s, ok := h.sim.Status("gpt-5"); s != "" || !ok {
		t.Errorf("Status of a base model = %q, %t", s, ok)
	}
	if _, ok := h.sim.Status("nope"); ok {
		t.Error("Status of a missing model is ok")
	}
}

func TestSetStatusAndFailNextDeploy(t *testing.T) {
	h := newHarness(t, Options{DeployDuration: time.Minute})
	if err := h.sim.SetStatus("support-bot-ft", "inactive"); err != nil {
		t.Fatal(err)
	}
	if got := statusOf(t, h.get(t, "support-bot-ft", false)); got != "inactive" {
		t.Errorf("plain GET after drift: %q", got)
	}
	if got := statusOf(t, h.get(t, "support-bot-ft", true)); got != "inactive" {
		t.Errorf("live GET after drift: %q", got)
	}
	// A transitional status set by hand settles like any other.
	_ = h.sim.SetStatus("acc-custom-3", "deploying")
	h.clock.Advance(time.Minute)
	if got := statusOf(t, h.get(t, "acc-custom-3", true)); got != "active" {
		t.Errorf("deploying set by hand, a minute later: %q", got)
	}
	// Undocumented statuses are passed through.
	_ = h.sim.SetStatus("acc-custom-4", "paused")
	if got := statusOf(t, h.get(t, "acc-custom-4", false)); got != "paused" {
		t.Errorf("undocumented status: %q", got)
	}
	if got := statusOf(t, h.post(t, "acc-custom-4", "activate")); got != "deploying" {
		t.Errorf("activate from an undocumented status: %q", got)
	}
	for _, c := range []struct{ id, status string }{{"gpt-5", "active"}, {"nope", "active"}, {"acc-custom-5", ""}} {
		if err := h.sim.SetStatus(c.id, c.status); err == nil {
			t.Errorf("SetStatus(%q, %q) succeeded", c.id, c.status)
		}
	}

	if err := h.sim.FailNextDeploy("acc-custom-6"); err != nil {
		t.Fatal(err)
	}
	h.post(t, "acc-custom-6", "activate")
	h.clock.Advance(time.Minute)
	if got := statusOf(t, h.get(t, "acc-custom-6", true)); got != "error" {
		t.Errorf("failed deploy: %q", got)
	}
	h.post(t, "acc-custom-6", "activate")
	h.clock.Advance(time.Minute)
	if got := statusOf(t, h.get(t, "acc-custom-6", true)); got != "active" {
		t.Errorf("retried deploy: %q", got)
	}
	if err := h.sim.FailNextDeploy("gpt-5"); err == nil {
		t.Error("FailNextDeploy of a base model succeeded")
	}
}

func TestAddAndDeleteModels(t *testing.T) {
	h := newHarness(t, Options{})
	if !h.sim.DeleteModel("acc-custom-7") {
		t.Fatal("DeleteModel of an existing model = false")
	}
	if h.sim.DeleteModel("acc-custom-7") {
		t.Error("second DeleteModel = true")
	}
	if r := h.do(t, "GET", "/api/ai/models/acc-custom-7", testKey); r.status != 404 || string(r.body) != `{"error":{"message":"Model not found: acc-custom-7"}}` {
		t.Errorf("deleted model: %d %s", r.status, r.body)
	}
	if r := h.do(t, "POST", "/api/ai/models/acc-custom-7/activate", testKey); r.status != 404 {
		t.Errorf("activate deleted model: %d", r.status)
	}

	raw := json.RawMessage(`{"id":"team-x-bot","object":"model","created":1767225600,"owned_by":"team-x","model_type":"custom",
		"endpoint":"/chat/completions","deployments":[{"status":"active"}],"future_field":{"a":1},"_sim":{"provider":"oxen","uuid":"0b7c3c52-8f0e-4a57-9d4b-3b1d6a1e2f00"}}`)
	if err := h.sim.AddModel(raw); err != nil {
		t.Fatal(err)
	}
	m := h.get(t, "0b7c3c52-8f0e-4a57-9d4b-3b1d6a1e2f00", false)
	if m["id"] != "team-x-bot" || statusOf(t, m) != "active" || m["future_field"] == nil {
		t.Errorf("added model served as %v", m)
	}
	assertIDs(t, "provider filter sees it", h.list(t, "/api/ai/models?provider_name=oxen&developer_name=", testKey),
		append(without(seedCustomIDs(), "acc-custom-7"), "team-x-bot", "qwen3-8b", "qwen3-vl-8b-instruct", "llama-3-1-8b-instruct", "qwen-image-edit", "sdxl-lightning", "wan-2-2-text-to-video"))

	bad := []string{
		`[]`, `null`, `"x"`,
		`{"object":"model","created":1,"owned_by":"o"}`,
		`{"id":"","object":"model","created":1,"owned_by":"o"}`,
		`{"id":"x","created":1,"owned_by":"o"}`,
		`{"id":"x","object":"model","owned_by":"o"}`,
		`{"id":"x","object":"model","created":1.5,"owned_by":"o"}`,
		`{"id":"x","object":"model","created":1}`,
		`{"id":"gpt-5","object":"model","created":1,"owned_by":"oxen"}`,
	}
	for _, b := range bad {
		if err := h.sim.AddModel(json.RawMessage(b)); err == nil {
			t.Errorf("AddModel(%s) succeeded", b)
		}
	}

	// DELETE over HTTP, as the hub allows for custom models.
	if r := h.do(t, "DELETE", "/api/ai/models/acc-custom-8", ""); r.status != 401 {
		t.Errorf("anonymous DELETE: %d", r.status)
	}
	if r := h.do(t, "DELETE", "/api/ai/models/gpt-5", testKey); r.status != 400 {
		t.Errorf("DELETE of a base model: %d", r.status)
	}
	if r := h.do(t, "DELETE", "/api/ai/models/acc-custom-8", testKey); r.status != 200 || decodeObject(t, r.body)["id"] != "acc-custom-8" {
		t.Errorf("DELETE: %d %s", r.status, r.body)
	}
	if _, ok := h.sim.Status("acc-custom-8"); ok {
		t.Error("acc-custom-8 survived DELETE")
	}

	// New panics on a bad catalog.
	func() {
		defer func() {
			if recover() == nil {
				t.Error("New with a duplicate id did not panic")
			}
		}()
		New(Options{Models: []json.RawMessage{Seed()[0], Seed()[0]}})
	}()
	if ids := New(Options{Models: []json.RawMessage{}}).ModelIDs(); len(ids) != 0 {
		t.Errorf("empty catalog serves %v", ids)
	}
}

func without(ids []string, drop string) []string {
	var out []string
	for _, id := range ids {
		if id != drop {
			out = append(out, id)
		}
	}
	return out
}

func TestRequestLog(t *testing.T) {
	h := newHarness(t, Options{})
	h.do(t, "GET", "/api/ai/models?developer_name=google", "")
	h.do(t, "GET", "/api/ai/models/a%2Fb", testKey)
	h.do(t, "POST", "/api/ai/models/my-custom-model/activate", testKey)
	h.do(t, "GET", "/api/ai/models/my-custom-model?deployment_status=live", "wrong")
	got := h.sim.Requests()
	want := []Request{
		{Method: "GET", Path: "/api/ai/models", RawQuery: "developer_name=google", Authorization: false, Status: 200, RequestID: "req_1"},
		{Method: "GET", Path: "/api/ai/models/a%2Fb", Authorization: true, Status: 404, RequestID: "req_2"},
		{Method: "POST", Path: "/api/ai/models/my-custom-model/activate", Authorization: true, Status: 200, RequestID: "req_3"},
		{Method: "GET", Path: "/api/ai/models/my-custom-model", RawQuery: "deployment_status=live", Authorization: true, Status: 401, RequestID: "req_4"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d requests logged: %+v", len(got), got)
	}
	for i := range want {
		want[i].Time = t0
		want[i].UserAgent = "Go-http-client/1.1"
		if got[i] != want[i] {
			t.Errorf("request %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	for _, c := range []struct {
		method, prefix string
		n              int
	}{
		{"", "", 4}, {"GET", "", 3}, {"get", "/api/ai/models/", 2}, {"POST", "/api/ai/models/my-custom-model", 1},
		{"", "/api/ai/models/my-custom-model", 2}, {"DELETE", "", 0},
	} {
		if n := h.sim.CountRequests(c.method, c.prefix); n != c.n {
			t.Errorf("CountRequests(%q, %q) = %d, want %d", c.method, c.prefix, n, c.n)
		}
	}
	h.sim.ResetRequests()
	if n := len(h.sim.Requests()); n != 0 {
		t.Errorf("%d requests after reset", n)
	}
	// Request ids keep counting after a reset.
	if r := h.do(t, "GET", "/api/ai/models/gpt-5", ""); r.header.Get("X-Oxen-Request-Id") != "req_5" {
		t.Errorf("request id after reset = %q", r.header.Get("X-Oxen-Request-Id"))
	}
}

func TestConcurrentUse(t *testing.T) {
	h := newHarness(t, Options{DeployDuration: time.Second})
	done := make(chan error)
	for i := 1; i <= 8; i++ {
		go func(id string) {
			for j := 0; j < 10; j++ {
				r, err := h.send(t.Context(), "POST", "/api/ai/models/"+id+"/activate", testKey)
				if err != nil {
					done <- err
					return
				}
				r.Body.Close()
				if r.StatusCode != 200 {
					done <- fmt.Errorf("%s: %d", id, r.StatusCode)
					return
				}
				h.clock.Advance(100 * time.Millisecond)
			}
			done <- nil
		}(fmt.Sprintf("acc-custom-%d", i))
	}
	for i := 0; i < 8; i++ {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
	for i := 1; i <= 8; i++ {
		if s, _ := h.sim.Status(fmt.Sprintf("acc-custom-%d", i)); s != "active" {
			t.Errorf("acc-custom-%d: %q", i, s)
		}
	}
	if n := h.sim.CountRequests("POST", ""); n != 80 {
		t.Errorf("%d POSTs logged", n)
	}
}
