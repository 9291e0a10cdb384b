package oxensim

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
)

const testKey = "sk-test-123"

var t0 = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

type harness struct {
	sim   *Server
	srv   *httptest.Server
	clock *clock.Fake
	// client does not reuse connections, so that a reset or truncated
	// response is never retried quietly by the transport.
	client *http.Client
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	fake := clock.NewFake(t0)
	if opts.Clock == nil {
		opts.Clock = fake
	}
	if opts.APIKey == "" {
		opts.APIKey = testKey
	}
	sim := New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &harness{
		sim:    sim,
		srv:    srv,
		clock:  fake,
		client: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}},
	}
}

type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request; key "" sends no Authorization header.
func (h *harness) do(t *testing.T, method, path, key string) response {
	t.Helper()
	resp, err := h.send(context.Background(), method, path, key)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return response{resp.StatusCode, resp.Header, body}
}

// doHeader sends a request with a raw Authorization header value.
func (h *harness) doHeader(t *testing.T, method, path, authorization string) response {
	t.Helper()
	req, err := http.NewRequest(method, h.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", authorization)
	resp, err := h.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return response{resp.StatusCode, resp.Header, body}
}

func (h *harness) send(ctx context.Context, method, path, key string) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, method, h.srv.URL+path, nil)
	if err != nil {
		return nil, err
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	return h.client.Do(req)
}

// get fetches a model with the valid key and returns it decoded.
func (h *harness) get(t *testing.T, id string, live bool) map[string]any {
	t.Helper()
	path := "/api/ai/models/" + id
	if live {
		path += "?deployment_status=live"
	}
	r := h.do(t, "GET", path, testKey)
	if r.status != 200 {
		t.Fatalf("GET %s: status %d: %s", path, r.status, r.body)
	}
	return decodeObject(t, r.body)
}

func (h *harness) post(t *testing.T, id, action string) map[string]any {
	t.Helper()
	r := h.do(t, "POST", "/api/ai/models/"+id+"/"+action, testKey)
	if r.status != 200 {
		t.Fatalf("POST %s/%s: status %d: %s", id, action, r.status, r.body)
	}
	return decodeObject(t, r.body)
}

// list fetches a list or search path and returns the ids in order.
func (h *harness) list(t *testing.T, path, key string) []string {
	t.Helper()
	r := h.do(t, "GET", path, key)
	if r.status != 200 {
		t.Fatalf("GET %s: status %d: %s", path, r.status, r.body)
	}
	var env struct {
		Object string           `json:"object"`
		Data   []map[string]any `json:"data"`
	}
	if err := json.Unmarshal(r.body, &env); err != nil {
		t.Fatalf("GET %s: %v: %s", path, err, r.body)
	}
	if env.Object != "list" {
		t.Fatalf("GET %s: object = %q, want list", path, env.Object)
	}
	ids := make([]string, len(env.Data))
	for i, m := range env.Data {
		ids[i], _ = m["id"].(string)
	}
	return ids
}

func decodeObject(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not a JSON object: %v: %s", err, b)
	}
	return m
}

// statusOf reads deployments[0].status, "" when there is no deployment.
func statusOf(t *testing.T, m map[string]any) string {
	t.Helper()
	deps, ok := m["deployments"].([]any)
	if !ok {
		t.Fatalf("deployments is %T, want an array", m["deployments"])
	}
	if len(deps) == 0 {
		return ""
	}
	return deps[0].(map[string]any)["status"].(string)
}

func sorted(ids []string) []string {
	out := slices.Clone(ids)
	slices.Sort(out)
	return out
}

func assertIDs(t *testing.T, what string, got, want []string) {
	t.Helper()
	if !slices.Equal(sorted(got), sorted(want)) {
		t.Errorf("%s: ids = %v, want %v", what, sorted(got), sorted(want))
	}
}

// countPresent counts, for each of fields a model has and not null, one
// more model with it.
func countPresent(counts map[string]int, fields map[string]any) {
	for name, value := range fields {
		if value != nil {
			counts[name]++
		}
	}
}
