package oxen

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

type entry struct {
	level, msg string
	fields     map[string]any
}

// recorder is a Logger that keeps every entry.
type recorder struct {
	mu      sync.Mutex
	entries []entry
}

func (r *recorder) Debug(_ context.Context, msg string, fields map[string]any) {
	r.add("debug", msg, fields)
}

func (r *recorder) Trace(_ context.Context, msg string, fields map[string]any) {
	r.add("trace", msg, fields)
}

func (r *recorder) add(level, msg string, fields map[string]any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.entries = append(r.entries, entry{level, msg, fields})
}

func (r *recorder) find(level, msg string) []entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []entry
	for _, e := range r.entries {
		if e.level == level && e.msg == msg {
			out = append(out, e)
		}
	}
	return out
}

func TestLoggingMasksTheKey(t *testing.T) {
	// A hostile or careless server echoes the key in headers and body.
	f := newFake(t, script(
		func(w http.ResponseWriter) {
			w.Header().Set(requestIDHeader, "req_1")
			w.Header().Set("X-Debug-Auth", "Bearer "+testKey)
			writeJSON(w, 503, `{"error":{"message":"key `+testKey+` overloaded"}}`)
		},
		func(w http.ResponseWriter) {
			w.Header().Set(requestIDHeader, "req_2")
			writeJSON(w, 200, `{"id":"m1","object":"model","created":1,"owned_by":"oxen","description":"`+testKey+`"}`)
		},
	))
	rec := &recorder{}
	c, _ := newTestClient(t, f, func(c *Config) { c.Logger = rec })
	if _, err := c.GetModel(context.Background(), "m1", GetOptions{Live: true}); err != nil {
		t.Fatal(err)
	}

	for _, e := range rec.entries {
		if s := fmt.Sprint(e.msg, e.fields); strings.Contains(s, testKey) {
			t.Errorf("%s %q leaks the key: %s", e.level, e.msg, s)
		}
	}

	reqs := rec.find("debug", "Oxen API request")
	if len(reqs) != 2 {
		t.Fatalf("debug request entries = %d, want 2", len(reqs))
	}
	for i, e := range reqs {
		if e.fields["method"] != "GET" || e.fields["url"] != f.URL+"/api/ai/models/m1?deployment_status=live" || e.fields["attempt"] != i+1 {
			t.Errorf("request entry %d = %v", i, e.fields)
		}
	}
	resps := rec.find("debug", "Oxen API response")
	if len(resps) != 2 || resps[0].fields["status"] != 503 || resps[0].fields["request_id"] != "req_1" ||
		resps[1].fields["status"] != 200 || resps[1].fields["request_id"] != "req_2" || resps[1].fields["attempt"] != 2 {
		t.Errorf("response entries = %v", resps)
	}
	if _, ok := resps[0].fields["duration_ms"].(int64); !ok {
		t.Errorf("no duration: %v", resps[0].fields)
	}
	if retries := rec.find("debug", "Oxen API retry"); len(retries) != 1 || retries[0].fields["reason"] != "backoff" {
		t.Errorf("retry entries = %v", retries)
	}

	heads := rec.find("trace", "Oxen API request headers")
	if len(heads) != 2 {
		t.Fatalf("trace request entries = %d", len(heads))
	}
	h := heads[0].fields["request_headers"].(map[string]string)
	if h["Authorization"] != "Bearer ****" || h["User-Agent"] != "oxen-test/1.0" || h["Accept"] != "application/json" {
		t.Errorf("logged request headers = %v", h)
	}

	bodies := rec.find("trace", "Oxen API response body")
	if len(bodies) != 2 {
		t.Fatalf("trace body entries = %d", len(bodies))
	}
	rh := bodies[0].fields["response_headers"].(map[string]string)
	if rh["X-Debug-Auth"] != "Bearer ****" || rh[requestIDHeader] != "req_1" {
		t.Errorf("logged response headers = %v", rh)
	}
	if b := bodies[1].fields["response_body"]; b != `{"id":"m1","object":"model","created":1,"owned_by":"oxen","description":"****"}` {
		t.Errorf("logged body = %v", b)
	}
}

func TestLoggingTruncatesBodies(t *testing.T) {
	big := `{"object":"list","data":[` + strings.Repeat(minimalModel+",", 400) + minimalModel + `]}`
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, big) })
	rec := &recorder{}
	c, _ := newTestClient(t, f, func(c *Config) { c.Logger = rec })
	models, err := c.ListModels(context.Background(), ListFilter{})
	if err != nil || len(models) != 401 {
		t.Fatalf("%d models, %v", len(models), err)
	}
	bodies := rec.find("trace", "Oxen API response body")
	if len(bodies) != 1 {
		t.Fatalf("entries = %d", len(bodies))
	}
	if b := bodies[0].fields["response_body"].(string); len(b) != maxLoggedBody || b != big[:maxLoggedBody] || bodies[0].fields["response_body_truncated"] != true {
		t.Errorf("logged %d bytes, truncated=%v", len(b), bodies[0].fields["response_body_truncated"])
	}
}

func TestLoggingWithoutKey(t *testing.T) {
	f := newFake(t, ok2)
	rec := &recorder{}
	c, _ := newTestClient(t, f, func(c *Config) { c.Logger = rec; c.APIKey = "" })
	if _, err := c.GetModel(context.Background(), "m1", GetOptions{}); err != nil {
		t.Fatal(err)
	}
	h := rec.find("trace", "Oxen API request headers")[0].fields["request_headers"].(map[string]string)
	if _, ok := h["Authorization"]; ok {
		t.Errorf("Authorization logged without a key: %v", h)
	}
}

func TestMaskedHeaders(t *testing.T) {
	got := maskedHeaders(http.Header{
		"Authorization":       {"Bearer abc"},
		"Proxy-Authorization": {"opaque"},
		"Cookie":              {"s=1"},
		"Accept":              {"application/json"},
	})
	want := map[string]string{"Authorization": "Bearer ****", "Proxy-Authorization": "****", "Cookie": "****", "Accept": "application/json"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("maskedHeaders = %v, want %v", got, want)
	}
}
