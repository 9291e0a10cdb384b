package oxen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestGetModelDecodesFullModel(t *testing.T) {
	full := fullModel(t)
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, string(full))
	})
	c, _ := newTestClient(t, f)

	m, err := c.GetModel(context.Background(), "my-custom-model", GetOptions{})
	if err != nil {
		t.Fatalf("GetModel: %v", err)
	}
	if got := f.lastRequest(); got.Method != "GET" || got.URL.Path != "/api/ai/models/my-custom-model" || got.URL.RawQuery != "" {
		t.Errorf("request = %s %s?%s", got.Method, got.URL.Path, got.URL.RawQuery)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"id", m.ID, "my-custom-model"},
		{"object", m.Object, "model"},
		{"created", m.Created, json.Number("1750000000")},
		{"owned_by", m.OwnedBy, "acme"},
		{"display_name", *m.DisplayName, "My Custom Model"},
		{"description is null", m.Description == nil, true},
		{"summary", *m.Summary, "Fine-tuned for support"},
		{"model_type", *m.ModelType, "custom"},
		{"is base", m.IsBase(), false},
		{"endpoint", *m.Endpoint, "/chat/completions"},
		{"capabilities.input", fmt.Sprint(m.Capabilities.Input), "[text image]"},
		{"capabilities.output", fmt.Sprint(m.Capabilities.Output), "[text]"},
		{"unknown pricing method passes through", *m.Pricing.Method, "per_hologram"},
		{"input_cost_per_token as written", m.Pricing.InputCostPerToken, json.Number("3e-6")},
		{"output_cost_per_token null", m.Pricing.OutputCostPerToken, json.Number("")},
		{"cost_per_second", m.Pricing.CostPerSecond, json.Number("0.0012")},
		{"cost_per_image null", m.Pricing.CostPerImage, json.Number("")},
		{"grid high 4K", m.Pricing.CostPerImageGrid["high"]["4K"], json.Number("1.47")},
		{"grid low 1K", m.Pricing.CostPerImageGrid["low"]["1K"], json.Number("0.1")},
		{"grid size", len(m.Pricing.CostPerImageGrid), 2},
		{"by resolution 480p", m.Pricing.CostPerSecondByResolution["480p"], json.Number("0.096")},
		{"by resolution 1080p", m.Pricing.CostPerSecondByResolution["1080p"], json.Number("0.25")},
		{"fine_tuning actions", fmt.Sprint(m.FineTuning.Actions), "[sft dpo]"},
		{"fine_tuning cost null", m.FineTuning.CostPerSecond, json.Number("")},
		{"deployments", len(m.Deployments), 2},
		{"unknown status passes through", m.Status(), "hibernating"},
		{"developer name", m.Developer.Name, "Acme"},
		{"developer logo null", m.Developer.Logo == nil, true},
		{"source_model", *m.SourceModel, "claude-sonnet-4-6"},
		{"image_url null", m.ImageURL == nil, true},
		{"released_at", *m.ReleasedAt, "2025-06-19T00:00:00Z"},
		{"context_length", m.ContextLength, json.Number("200000")},
		{"max_output_tokens null", m.MaxOutputTok, json.Number("")},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %#v, want %#v", c.name, c.got, c.want)
		}
	}
	var schema map[string]any
	if err := json.Unmarshal(m.RequestSchema, &schema); err != nil || schema["type"] != "object" {
		t.Errorf("request_schema = %s (%v)", m.RequestSchema, err)
	}
	// Raw keeps what the typed fields drop.
	var raw map[string]any
	if err := json.Unmarshal(m.Raw, &raw); err != nil {
		t.Fatalf("raw: %v", err)
	}
	if _, ok := raw["showcase"]; !ok {
		t.Errorf("raw lost the unknown field showcase: %s", m.Raw)
	}
	if !bytes.Equal(bytes.TrimSpace(m.Raw), bytes.TrimSpace(full)) {
		t.Errorf("raw differs from the body sent")
	}
}

func TestGetModelLiveAndNullRequestSchema(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":"m1","object":"model","created":1,"owned_by":"oxen","model_type":"base","deployments":[],"request_schema":null,"fine_tuning":null,"developer":null,"pricing":null}`)
	})
	c, _ := newTestClient(t, f)
	m, err := c.GetModel(context.Background(), "m1", GetOptions{Live: true})
	if err != nil {
		t.Fatal(err)
	}
	if q := f.lastRequest().URL.RawQuery; q != "deployment_status=live" {
		t.Errorf("query = %q, want deployment_status=live", q)
	}
	if m.RequestSchema != nil || m.FineTuning != nil || m.Developer != nil || m.Pricing != nil {
		t.Errorf("nulls not decoded as nil: %+v", m)
	}
	if !m.IsBase() || m.Status() != "" {
		t.Errorf("IsBase=%v Status=%q", m.IsBase(), m.Status())
	}
}

func TestListModelsFiltersAndEnvelope(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"object":"list","data":[`+minimalModel+`,null,{"id":"m2","object":"model","created":2,"owned_by":"acme","deployments":[{"status":"deploying"}]}],"has_more":false}`)
	})
	c, _ := newTestClient(t, f)

	cases := []struct {
		filter ListFilter
		query  string
	}{
		{ListFilter{}, ""},
		{ListFilter{DeveloperName: "openai"}, "developer_name=openai"},
		{ListFilter{DeveloperName: "Black Forest", Action: "sft", ProviderName: "fal&x=1"},
			"action=sft&developer_name=Black+Forest&provider_name=fal%26x%3D1"},
	}
	for _, tc := range cases {
		models, err := c.ListModels(context.Background(), tc.filter)
		if err != nil {
			t.Fatalf("ListModels(%+v): %v", tc.filter, err)
		}
		got := f.lastRequest()
		if got.URL.Path != "/api/ai/models" || got.URL.RawQuery != tc.query {
			t.Errorf("ListModels(%+v) sent %s?%s, want query %q", tc.filter, got.URL.Path, got.URL.RawQuery, tc.query)
		}
		if len(models) != 2 || models[0].ID != "m1" || models[1].ID != "m2" || models[1].Status() != "deploying" {
			t.Errorf("models = %+v", models)
		}
		if string(models[0].Raw) != minimalModel {
			t.Errorf("raw of entry 0 = %s", models[0].Raw)
		}
	}
}

func TestListModelsEmptyAndNullData(t *testing.T) {
	for _, body := range []string{`{"object":"list","data":[]}`, `{"object":"list","data":null}`, `{"object":"list"}`} {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, body) })
		c, _ := newTestClient(t, f)
		models, err := c.ListModels(context.Background(), ListFilter{})
		if err != nil || len(models) != 0 || models == nil {
			t.Errorf("%s: models=%#v err=%v, want empty non-nil list", body, models, err)
		}
	}
}

func TestSearchModels(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"object":"list","data":[`+minimalModel+`]}`)
	})
	c, _ := newTestClient(t, f)
	models, err := c.SearchModels(context.Background(), "kling v2&x")
	if err != nil {
		t.Fatal(err)
	}
	got := f.lastRequest()
	if got.URL.Path != "/api/ai/models/search" || got.URL.Query().Get("search") != "kling v2&x" || len(got.URL.Query()) != 1 {
		t.Errorf("sent %s?%s", got.URL.Path, got.URL.RawQuery)
	}
	if len(models) != 1 || models[0].ID != "m1" {
		t.Errorf("models = %+v", models)
	}
	if _, err := c.SearchModels(context.Background(), ""); err == nil || f.hits.Load() != 1 {
		t.Errorf("empty search: err=%v hits=%d, want an error and no request", err, f.hits.Load())
	}
}

func TestActivateDeactivate(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		status := map[string]string{"/api/ai/models/my-model/activate": "deploying", "/api/ai/models/my-model/deactivate": "deactivating"}[r.URL.Path]
		if r.Method != http.MethodPost || status == "" {
			writeJSON(w, 404, `{"error":{"message":"no route"}}`)
			return
		}
		writeJSON(w, 200, `{"id":"my-model","object":"model","created":1,"owned_by":"me","model_type":"custom","deployments":[{"status":"`+status+`"}]}`)
	})
	c, _ := newTestClient(t, f)
	m, err := c.ActivateModel(context.Background(), "my-model")
	if err != nil || m.Status() != "deploying" {
		t.Fatalf("ActivateModel: %+v, %v", m, err)
	}
	m, err = c.DeactivateModel(context.Background(), "my-model")
	if err != nil || m.Status() != "deactivating" {
		t.Fatalf("DeactivateModel: %+v, %v", m, err)
	}
	if f.hits.Load() != 2 {
		t.Errorf("hits = %d", f.hits.Load())
	}
}

func TestNonJSONSuccessBody(t *testing.T) {
	cases := map[string]struct {
		body, want string
	}{
		"html":      {`<!DOCTYPE html><html><head><title>Sign in</title></head><body>login</body></html>`, `with a body that is not JSON: "Sign in"`},
		"truncated": {`{"id":"m1","object":"mod`, `with a body that is not JSON: "{\"id\":\"m1\",\"object\":\"mod"`},
		"empty":     {``, `with an empty body`},
		"no id":     {`{"object":"model"}`, `with a model that has no id`},
		"array":     {`[1,2]`, `with JSON that is not a model`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set(requestIDHeader, "req_200")
				w.WriteHeader(200)
				_, _ = w.Write([]byte(tc.body))
			})
			c, _ := newTestClient(t, f)
			_, err := c.GetModel(context.Background(), "m1", GetOptions{})
			if err == nil {
				t.Fatal("want an error")
			}
			msg := err.Error()
			for _, want := range []string{"GET /api/ai/models/m1: the API answered 200 OK (request id req_200)", tc.want} {
				if !strings.Contains(msg, want) {
					t.Errorf("error %q lacks %q", msg, want)
				}
			}
			if !errors.Is(err, ErrUnexpectedResponse) || IsRetryable(err) || f.hits.Load() != 1 {
				t.Errorf("Is(ErrUnexpectedResponse)=%v retryable=%v hits=%d", errors.Is(err, ErrUnexpectedResponse), IsRetryable(err), f.hits.Load())
			}
		})
	}
}

func TestNonJSONExcerptIsBounded(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(200)
		_, _ = w.Write([]byte("garbage\x00\x1b[31m" + strings.Repeat("x", 5000)))
	})
	c, _ := newTestClient(t, f)
	_, err := c.ListModels(context.Background(), ListFilter{})
	if err == nil {
		t.Fatal("want an error")
	}
	_, quoted, _ := strings.Cut(err.Error(), "not JSON: ")
	if len(quoted) > maxExcerptLen+10 || strings.ContainsAny(quoted, "\x00\x1b") || !strings.HasPrefix(quoted, `"garbage [31mxxx`) {
		t.Errorf("excerpt %q is not short and sanitized", quoted)
	}
}

func TestBodySizeBound(t *testing.T) {
	big := `{"object":"list","data":[` + strings.Repeat(minimalModel+",", 200) + minimalModel + `]}`
	for _, chunked := range []bool{false, true} {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			if !chunked {
				w.Header().Set("Content-Length", fmt.Sprint(len(big)))
			}
			w.WriteHeader(200)
			for i := 0; i < len(big); i += 1000 {
				_, _ = w.Write([]byte(big[i:min(i+1000, len(big))]))
				w.(http.Flusher).Flush()
			}
		})
		c, _ := newTestClient(t, f)
		c.maxBody = 4096
		_, err := c.ListModels(context.Background(), ListFilter{})
		if err == nil || !strings.Contains(err.Error(), "exceeds the 4096 byte limit") {
			t.Errorf("chunked=%v: err = %v, want a size error", chunked, err)
		}
		if IsRetryable(err) || f.hits.Load() != 1 {
			t.Errorf("chunked=%v: a too-large body must not be retried (hits %d)", chunked, f.hits.Load())
		}
		c.maxBody = int64(len(big))
		if models, err := c.ListModels(context.Background(), ListFilter{}); err != nil || len(models) != 201 {
			t.Errorf("chunked=%v: at the limit: %d models, %v", chunked, len(models), err)
		}
	}
}

func TestHeaders(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, minimalModel) })

	c, _ := newTestClient(t, f)
	if _, err := c.GetModel(context.Background(), "m1", GetOptions{}); err != nil {
		t.Fatal(err)
	}
	h := f.lastRequest().Header
	if h.Get("Authorization") != "Bearer "+testKey || h.Get("Accept") != "application/json" || h.Get("User-Agent") != "oxen-test/1.0" {
		t.Errorf("headers = %v", h)
	}

	anon, _ := newTestClient(t, f, func(c *Config) { c.APIKey = ""; c.UserAgent = "" })
	if _, err := anon.ActivateModel(context.Background(), "m1"); err != nil {
		t.Fatal(err)
	}
	h = f.lastRequest().Header
	if _, ok := h["Authorization"]; ok {
		t.Errorf("Authorization sent without a key: %q", h.Get("Authorization"))
	}
	if h.Get("User-Agent") != DefaultUserAgent {
		t.Errorf("User-Agent = %q", h.Get("User-Agent"))
	}
}

func TestBasePathPrefixKept(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"object":"list","data":[]}`)
	})
	c, _ := newTestClient(t, f, func(c *Config) { c.BaseURL = f.URL + "/oxen/v%2F1/" })
	if _, err := c.ListModels(context.Background(), ListFilter{ProviderName: "p"}); err != nil {
		t.Fatal(err)
	}
	if got := f.lastRequest().RequestURI; got != "/oxen/v%2F1/api/ai/models?provider_name=p" {
		t.Errorf("request URI = %q", got)
	}
}

func TestNewDefaultsAndValidation(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if c.base.String() != DefaultBaseURL || c.cfg.RequestTimeout != 60*time.Second ||
		c.cfg.RetryWaitMin != time.Second || c.cfg.RetryWaitMax != 30*time.Second {
		t.Errorf("defaults: base=%s timeout=%s waits=%s..%s", c.base, c.cfg.RequestTimeout, c.cfg.RetryWaitMin, c.cfg.RetryWaitMax)
	}
	tr, ok := c.http.Transport.(*http.Transport)
	if !ok || tr.MaxIdleConnsPerHost != 32 {
		t.Errorf("transport = %#v", c.http.Transport)
	}
	for _, cfg := range []Config{
		{BaseURL: "hub.oxen.ai"},
		{RequestTimeout: -1},
		{MaxRetries: -1},
		{RetryWaitMin: -time.Second},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) accepted", cfg)
		}
	}
	c, err = New(Config{RetryWaitMin: time.Minute})
	if err != nil || c.cfg.RetryWaitMax != time.Minute {
		t.Errorf("max below min: %v, %s", err, c.cfg.RetryWaitMax)
	}
}

// Parallel reads, as Terraform does them, share a handful of connections.
func TestConcurrentReadsReuseConnections(t *testing.T) {
	var conns atomic.Int32
	f := &fake{}
	f.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, `{"id":"`+strings.TrimPrefix(r.URL.Path, "/api/ai/models/")+`","object":"model","created":1,"owned_by":"x"}`)
	}))
	f.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	f.Start()
	t.Cleanup(f.Close)
	c, _ := newTestClient(t, f, func(c *Config) { c.Logger = &recorder{} })

	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for g := range 10 {
		wg.Go(func() {
			for i := range 20 {
				id := fmt.Sprintf("m-%d-%d", g, i)
				m, err := c.GetModel(context.Background(), id, GetOptions{})
				if err == nil && m.ID != id {
					err = fmt.Errorf("asked %s, got %s", id, m.ID)
				}
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := conns.Load(); n > 20 {
		t.Errorf("200 requests from 10 goroutines opened %d connections, want them reused (at most 20)", n)
	}
}
