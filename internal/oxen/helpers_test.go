package oxen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
)

const testKey = "sk-test-SECRET-0123456789"

// fake is an httptest server that counts requests and remembers the last one.
type fake struct {
	*httptest.Server
	hits atomic.Int32
	mu   sync.Mutex
	last *http.Request
}

func newFake(t *testing.T, h http.HandlerFunc) *fake {
	t.Helper()
	f := &fake{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.hits.Add(1)
		f.mu.Lock()
		f.last = r.Clone(context.Background())
		f.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fake) lastRequest() *http.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last
}

// newTestClient returns a client of f with a fake clock and tiny waits;
// mutate adjusts the config before New.
func newTestClient(t *testing.T, f *fake, mutate ...func(*Config)) (*Client, *clock.Fake) {
	t.Helper()
	fc := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	cfg := Config{
		BaseURL:        f.URL,
		APIKey:         testKey,
		MaxRetries:     3,
		RetryWaitMin:   time.Millisecond,
		RetryWaitMax:   8 * time.Millisecond,
		RequestTimeout: 2 * time.Second,
		UserAgent:      "oxen-test/1.0",
		Clock:          fc,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c, fc
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

const notFoundBody = `{"error":{"type":"resource_not_found","title":"Not found","detail":"Model not found: bad"},"status":"error","status_message":"resource_not_found"}`

const minimalModel = `{"id":"m1","object":"model","created":1,"owned_by":"oxen"}`

// readAfter reads model m1 through c, a client of f, and fails unless the
// read succeeds after exactly attempts requests.
func readAfter(t *testing.T, c *Client, f *fake, attempts int32) {
	t.Helper()
	if _, err := c.GetModel(context.Background(), "m1", GetOptions{}); err != nil {
		t.Fatalf("GetModel: %v", err)
	}
	if n := f.hits.Load(); n != attempts {
		t.Errorf("attempts = %d, want %d", n, attempts)
	}
}

// fullModel is testdata/full_model.json: a model with every field the API
// documents.
func fullModel(t testing.TB) []byte {
	t.Helper()
	full, err := os.ReadFile("testdata/full_model.json")
	if err != nil {
		t.Fatal(err)
	}
	return full
}
