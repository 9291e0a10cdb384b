package oxensim

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

func TestFaultStatusWithRetryAfter(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.InjectFault(Fault{Method: "get", PathPrefix: "/api/ai/models/claude", Status: 429, RetryAfter: "2", Times: 2})
	// Requests the fault does not match are served normally.
	if r := h.do(t, "GET", "/api/ai/models/gpt-5", ""); r.status != 200 {
		t.Fatalf("unmatched path: %d", r.status)
	}
	if r := h.do(t, "POST", "/api/ai/models/claude-haiku-4-5/activate", testKey); r.status != 400 {
		t.Fatalf("unmatched method: %d", r.status)
	}
	for i := 0; i < 2; i++ {
		r := h.do(t, "GET", "/api/ai/models/claude-sonnet-4-6", "")
		want := `{"error":{"type":"rate_limited","title":"Too Many Requests","detail":"Rate limit exceeded, retry later"},"status":"error","status_message":"rate_limited"}`
		if r.status != 429 || r.header.Get("Retry-After") != "2" || string(r.body) != want {
			t.Errorf("hit %d: %d retry-after=%q %s", i, r.status, r.header.Get("Retry-After"), r.body)
		}
		if r.header.Get("Content-Type") != "application/json" || r.header.Get("X-Oxen-Request-Id") == "" {
			t.Errorf("hit %d: headers %v", i, r.header)
		}
	}
	if r := h.do(t, "GET", "/api/ai/models/claude-sonnet-4-6", ""); r.status != 200 {
		t.Errorf("after the fault ran out: %d", r.status)
	}
	if n := h.sim.PendingFaults(); n != 0 {
		t.Errorf("%d faults pending", n)
	}

	// A canned status does not process the request: no activation happens.
	h.sim.InjectFault(Fault{Method: "POST", Status: 503})
	if r := h.do(t, "POST", "/api/ai/models/my-custom-model/activate", testKey); r.status != 503 {
		t.Errorf("503 fault: %d", r.status)
	}
	if s, _ := h.sim.Status("my-custom-model"); s != "inactive" {
		t.Errorf("status after a 503'd activate: %q", s)
	}
	// Times < 0 hits until cleared.
	h.sim.InjectFault(Fault{Status: 500, Times: -1})
	for i := 0; i < 5; i++ {
		if r := h.do(t, "GET", "/api/ai/models", ""); r.status != 500 {
			t.Errorf("unlimited fault, request %d: %d", i, r.status)
		}
	}
	h.sim.ClearFaults()
	if r := h.do(t, "GET", "/api/ai/models", ""); r.status != 200 {
		t.Errorf("after ClearFaults: %d", r.status)
	}
	got := h.sim.Requests()
	if last := got[len(got)-2]; last.Status != 500 {
		t.Errorf("log records the faulted status: %+v", last)
	}
}

func TestFaultHTMLBody(t *testing.T) {
	h := newHarness(t, Options{})
	const page = "<html><body><h1>502 Bad Gateway</h1></body></html>"
	h.sim.InjectFault(Fault{Status: 502, Body: page, ContentType: "text/html; charset=utf-8"})
	r := h.do(t, "GET", "/api/ai/models/gpt-5", "")
	if r.status != 502 || string(r.body) != page || r.header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("%d %q %s", r.status, r.header.Get("Content-Type"), r.body)
	}
	if r.header.Get("X-Oxen-Request-Id") != "req_1" {
		t.Errorf("request id %q", r.header.Get("X-Oxen-Request-Id"))
	}
}

func TestFaultTruncate(t *testing.T) {
	h := newHarness(t, Options{})
	for _, path := range []string{"/api/ai/models/flux-2-pro", "/api/ai/models"} {
		h.sim.InjectFault(Fault{PathPrefix: path, Truncate: true})
		resp, err := h.send(context.Background(), "GET", path, "")
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: status %d, read error %v", path, resp.StatusCode, err)
		}
		if int64(len(body)) != resp.ContentLength/2 || len(body) == 0 {
			t.Errorf("%s: got %d of %d bytes", path, len(body), resp.ContentLength)
		}
		// The next request is whole.
		if r := h.do(t, "GET", path, ""); r.status != 200 || int64(len(r.body)) != resp.ContentLength {
			t.Errorf("%s after truncation: %d, %d bytes", path, r.status, len(r.body))
		}
	}
	// A truncated activation still happened.
	h.sim.InjectFault(Fault{Method: "POST", Truncate: true})
	resp, err := h.send(context.Background(), "POST", "/api/ai/models/acc-custom-1/activate", testKey)
	if err == nil {
		_, err = io.ReadAll(resp.Body)
		resp.Body.Close()
	}
	if err == nil {
		t.Error("truncated activate read cleanly")
	}
	if s, _ := h.sim.Status("acc-custom-1"); s != "deploying" {
		t.Errorf("status after a truncated activate: %q", s)
	}
	if n := h.sim.CountRequests("POST", "/api/ai/models/acc-custom-1"); n != 1 {
		t.Errorf("%d POSTs logged", n)
	}
}

func TestFaultReset(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.InjectFault(Fault{Method: "GET", PathPrefix: "/api/ai/models/gpt-5", Reset: true})
	_, err := h.send(context.Background(), "GET", "/api/ai/models/gpt-5", "")
	if err == nil {
		t.Fatal("reset request succeeded")
	}
	reqs := h.sim.Requests()
	if len(reqs) != 1 || reqs[0].Status != 0 {
		t.Errorf("log: %+v", reqs)
	}
	if r := h.do(t, "GET", "/api/ai/models/gpt-5", ""); r.status != 200 {
		t.Errorf("after reset: %d", r.status)
	}
}

func TestFaultLatencyObeysContext(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.InjectFault(Fault{Latency: 3 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := h.send(ctx, "GET", "/api/ai/models", "")
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want a deadline", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("took %v", d)
	}

	// Latency alone delays, then serves normally.
	h.sim.InjectFault(Fault{Latency: 40 * time.Millisecond})
	start = time.Now()
	if r := h.do(t, "GET", "/api/ai/models/gpt-5", ""); r.status != 200 {
		t.Errorf("delayed request: %d", r.status)
	}
	if d := time.Since(start); d < 40*time.Millisecond {
		t.Errorf("delayed request took only %v", d)
	}
	// Wait for the abandoned request to be logged with no status.
	deadline := time.Now().Add(2 * time.Second)
	for time.Now().Before(deadline) && h.sim.CountRequests("GET", "/api/ai/models") < 2 {
		time.Sleep(5 * time.Millisecond)
	}
	reqs := h.sim.Requests()
	if len(reqs) != 2 || reqs[0].Status != 0 && reqs[1].Status != 0 {
		t.Errorf("log: %+v", reqs)
	}
}

func TestOptionsLatency(t *testing.T) {
	var seen []Request
	h := newHarness(t, Options{Latency: 30 * time.Millisecond, OnRequest: func(r Request) { seen = append(seen, r) }})
	start := time.Now()
	if r := h.do(t, "GET", "/api/ai/models/gpt-5", ""); r.status != 200 {
		t.Fatalf("%d", r.status)
	}
	if d := time.Since(start); d < 30*time.Millisecond {
		t.Errorf("took only %v", d)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	if _, err := h.send(ctx, "GET", "/api/ai/models", ""); err == nil {
		t.Error("request with a 5ms deadline succeeded through 30ms latency")
	}
	h.srv.Close() // waits for the handlers, so OnRequest has run
	if len(seen) != 2 || seen[0].Status != http.StatusOK || seen[1].Status != 0 {
		t.Errorf("OnRequest saw %+v", seen)
	}
}

func TestFaultChanceHitsSomeAndIsRepeatable(t *testing.T) {
	run := func() []int {
		h := newHarness(t, Options{})
		h.sim.InjectFault(Fault{Method: "GET", Status: 429, Times: -1, Chance: 0.25, Seed: 7})
		var got []int
		for i := 0; i < 200; i++ {
			got = append(got, h.do(t, "GET", "/api/ai/models/gpt-5", "").status)
		}
		return got
	}
	first, second := run(), run()
	hits := 0
	for i := range first {
		if first[i] != second[i] {
			t.Fatalf("request %d: %d then %d: the same seed must give the same hits", i, first[i], second[i])
		}
		if first[i] == 429 {
			hits++
		}
	}
	if hits < 25 || hits > 75 {
		t.Fatalf("%d of 200 requests hit at a chance of 0.25", hits)
	}
}

func TestFaultEverySprinklesHits(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.InjectFault(Fault{Method: "GET", Status: 429, RetryAfter: "1", Times: -1, Every: 3})
	var got []int
	for i := 0; i < 7; i++ {
		got = append(got, h.do(t, "GET", "/api/ai/models/gpt-5", "").status)
	}
	want := []int{200, 200, 429, 200, 200, 429, 200}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("statuses %v, want %v", got, want)
		}
	}
}

func TestFaultRawQueryHitsThatQueryAlone(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.InjectFault(Fault{Method: "GET", PathPrefix: ModelsPath, RawQuery: "provider_name=fal", Status: 503, Times: -1})
	for _, c := range []struct {
		path string
		want int
	}{
		{ModelsPath, 200},
		{ModelsPath + "?provider_name=fal&developer_name=OpenAI", 200},
		{ModelsPath + "?provider_name=fal", 503},
		{ModelsPath + "?provider_name=openai", 200},
		{ModelsPath + "?provider_name=fal", 503},
	} {
		if got := h.do(t, "GET", c.path, "").status; got != c.want {
			t.Errorf("GET %s: %d, want %d", c.path, got, c.want)
		}
	}
}
