package oxen

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
)

// script answers the i-th request with steps[i] (the last step repeats).
func script(steps ...func(w http.ResponseWriter)) http.HandlerFunc {
	var n atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		steps[min(i, len(steps)-1)](w)
	}
}

func status(code int, headers ...string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		for i := 0; i+1 < len(headers); i += 2 {
			w.Header().Set(headers[i], headers[i+1])
		}
		writeJSON(w, code, `{"error":{"message":"`+http.StatusText(code)+` from fake"}}`)
	}
}

func ok(w http.ResponseWriter) { writeJSON(w, 200, minimalModel) }

func TestRetryAfterIsHonoured(t *testing.T) {
	f := newFake(t, script(
		status(429, "Retry-After", "1", requestIDHeader, "req_a"),
		status(429, "Retry-After", "Sun, 01 Jun 2025 12:00:04 GMT"),
		ok,
	))
	c, fc := newTestClient(t, f)
	m, err := c.GetModel(context.Background(), "m1", GetOptions{})
	if err != nil || m.ID != "m1" {
		t.Fatalf("GetModel: %v", err)
	}
	if n := f.hits.Load(); n != 3 {
		t.Errorf("attempts = %d, want 3", n)
	}
	// The fake clock started at 12:00:00 and moved 1s with the first wait, so
	// the date asks for 3 more seconds. Both exceed RetryWaitMax (8ms): the
	// server's wish wins over the backoff schedule.
	want := []time.Duration{time.Second, 3 * time.Second}
	if got := fc.Sleeps(); len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("sleeps = %v, want %v", got, want)
	}
}

func TestRetryAfterLongerThanCapStops(t *testing.T) {
	f := newFake(t, script(status(429, "Retry-After", "3600")))
	c, fc := newTestClient(t, f)
	_, err := c.ListModels(context.Background(), ListFilter{})
	e, isAPI := AsAPIError(err)
	if !isAPI || e.RetryAfter != time.Hour || !IsRateLimited(err) {
		t.Fatalf("err = %v", err)
	}
	if !strings.Contains(err.Error(), "the API asked to wait 1h0m0s before retrying, longer than the 5m0s this client waits") {
		t.Errorf("err = %q", err)
	}
	if f.hits.Load() != 1 || len(fc.Sleeps()) != 0 {
		t.Errorf("hits=%d sleeps=%v, want one attempt and no sleep", f.hits.Load(), fc.Sleeps())
	}
}

func TestServerErrorsRetriedThenSuccess(t *testing.T) {
	for _, code := range []int{500, 502, 503, 504} {
		f := newFake(t, script(status(code), status(code), ok))
		c, fc := newTestClient(t, f)
		m, err := c.ActivateModel(context.Background(), "m1")
		if err != nil || m.ID != "m1" {
			t.Errorf("%d: %v", code, err)
		}
		if f.hits.Load() != 3 {
			t.Errorf("%d: attempts = %d, want 3", code, f.hits.Load())
		}
		// Equal jitter: retry n waits within [d/2, d] for d = 1ms * 2^(n-1).
		s := fc.Sleeps()
		if len(s) != 2 || s[0] < 500*time.Microsecond || s[0] > time.Millisecond || s[1] < time.Millisecond || s[1] > 2*time.Millisecond {
			t.Errorf("%d: sleeps = %v", code, s)
		}
	}
}

func TestRetriesExhausted(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(requestIDHeader, "req_last")
		writeJSON(w, 503, `{"error":{"message":"overloaded"}}`)
	})
	c, fc := newTestClient(t, f, func(c *Config) { c.MaxRetries = 4 })
	_, err := c.GetModel(context.Background(), "m1", GetOptions{})
	want := "GET /api/ai/models/m1: 503 Service Unavailable: overloaded (request id req_last) (retries exhausted after 5 attempts)"
	if err == nil || err.Error() != want {
		t.Errorf("err = %q\nwant  %q", err, want)
	}
	if e, ok := AsAPIError(err); !ok || e.StatusCode != 503 {
		t.Errorf("the last APIError is not reachable: %#v", err)
	}
	if f.hits.Load() != 5 {
		t.Errorf("attempts = %d, want 5", f.hits.Load())
	}
	// Backoff doubles from 1ms and is capped at 8ms.
	s := fc.Sleeps()
	caps := []time.Duration{time.Millisecond, 2 * time.Millisecond, 4 * time.Millisecond, 8 * time.Millisecond}
	if len(s) != len(caps) {
		t.Fatalf("sleeps = %v", s)
	}
	for i, d := range caps {
		if s[i] < d/2 || s[i] > d {
			t.Errorf("sleep %d = %s, want within [%s, %s]", i, s[i], d/2, d)
		}
	}
}

func TestBackoffCapped(t *testing.T) {
	c, err := New(Config{RetryWaitMin: 100 * time.Millisecond, RetryWaitMax: 400 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	for n := 1; n < 70; n++ {
		want := min(100*time.Millisecond<<min(n-1, 10), 400*time.Millisecond)
		if d := c.backoff(n); d < want/2 || d > want {
			t.Errorf("backoff(%d) = %s, want within [%s, %s]", n, d, want/2, want)
		}
	}
}

func TestNoRetryOnClientErrors(t *testing.T) {
	for _, code := range []int{400, 401, 403, 404, 409, 422, 501} {
		f := newFake(t, script(status(code)))
		c, fc := newTestClient(t, f)
		_, err := c.GetModel(context.Background(), "m1", GetOptions{})
		if e, ok := AsAPIError(err); !ok || e.StatusCode != code {
			t.Errorf("%d: err = %v", code, err)
		}
		if strings.Contains(err.Error(), "attempts") {
			t.Errorf("%d: %q mentions attempts for a single try", code, err)
		}
		if f.hits.Load() != 1 || len(fc.Sleeps()) != 0 {
			t.Errorf("%d: hits=%d sleeps=%v, want exactly one attempt", code, f.hits.Load(), fc.Sleeps())
		}
	}
}

func TestZeroMaxRetries(t *testing.T) {
	f := newFake(t, script(status(503)))
	c, _ := newTestClient(t, f, func(c *Config) { c.MaxRetries = 0 })
	_, err := c.GetModel(context.Background(), "m1", GetOptions{})
	if f.hits.Load() != 1 || err == nil || strings.Contains(err.Error(), "attempts") {
		t.Errorf("hits=%d err=%v", f.hits.Load(), err)
	}
}

func TestNetworkErrorsRetried(t *testing.T) {
	// A server that drops the connection before answering, twice.
	f := newFake(t, script(
		func(w http.ResponseWriter) { hijackClose(w) },
		func(w http.ResponseWriter) { hijackClose(w) },
		ok,
	))
	c, _ := newTestClient(t, f)
	readAfter(t, c, f, 3)
}

func TestBodyCutMidwayRetried(t *testing.T) {
	f := newFake(t, script(
		func(w http.ResponseWriter) {
			w.Header().Set("Content-Length", "500")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(minimalModel[:20]))
			w.(http.Flusher).Flush()
			hijackClose(w)
		},
		ok,
	))
	c, _ := newTestClient(t, f)
	readAfter(t, c, f, 2)
}

// closedPort returns an address where nothing listens: a port that was
// just free.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = l.Close() }()
	return l.Addr().String()
}

func TestConnectionRefusedExhausted(t *testing.T) {
	addr := closedPort(t)
	c, err := New(Config{BaseURL: "http://" + addr, APIKey: testKey, MaxRetries: 2, RetryWaitMin: time.Millisecond, RetryWaitMax: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.ListModels(context.Background(), ListFilter{})
	if err == nil || !IsRetryable(err) {
		t.Fatalf("err = %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"GET /api/ai/models: ", "connection refused", "after 3 attempts"} {
		if !strings.Contains(msg, want) {
			t.Errorf("%q lacks %q", msg, want)
		}
	}
	if strings.Contains(msg, testKey) {
		t.Errorf("key in error: %q", msg)
	}
}

func TestPerAttemptTimeoutRetried(t *testing.T) {
	release := make(chan struct{})
	f := newFake(t, script(
		func(w http.ResponseWriter) { <-release },
		ok,
	))
	c, _ := newTestClient(t, f, func(c *Config) { c.RequestTimeout = 50 * time.Millisecond })
	readAfter(t, c, f, 2)

	f2 := newFake(t, func(w http.ResponseWriter, r *http.Request) { <-release })
	// Registered after the servers, so it runs before their Close waits for
	// the blocked handlers.
	t.Cleanup(func() { close(release) })
	c2, _ := newTestClient(t, f2, func(c *Config) { c.RequestTimeout = 20 * time.Millisecond; c.MaxRetries = 1 })
	_, err := c2.GetModel(context.Background(), "m1", GetOptions{})
	if err == nil || !strings.Contains(err.Error(), "no complete answer within the request timeout of 20ms") ||
		!strings.Contains(err.Error(), "after 2 attempts") || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("err = %v", err)
	}
}

func TestContextCancelStopsPromptly(t *testing.T) {
	t.Run("during a request", func(t *testing.T) {
		release := make(chan struct{})
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) { <-release })
		t.Cleanup(func() { close(release) })
		c, fc := newTestClient(t, f, func(c *Config) { c.RequestTimeout = time.Minute })
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			for f.hits.Load() == 0 {
				time.Sleep(time.Millisecond)
			}
			cancel()
		}()
		_, err := c.GetModel(ctx, "m1", GetOptions{})
		if !errors.Is(err, context.Canceled) || IsRetryable(err) {
			t.Errorf("err = %v", err)
		}
		if f.hits.Load() != 1 || len(fc.Sleeps()) != 0 {
			t.Errorf("hits=%d sleeps=%v after cancel", f.hits.Load(), fc.Sleeps())
		}
	})
	t.Run("during a backoff wait", func(t *testing.T) {
		f := newFake(t, script(status(503)))
		// The real clock and an hour of backoff: only cancellation can end this.
		c, _ := newTestClient(t, f, func(c *Config) {
			c.Clock = clock.Real()
			c.RetryWaitMin, c.RetryWaitMax = time.Hour, time.Hour
		})
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			for f.hits.Load() == 0 {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(10 * time.Millisecond)
			cancel()
		}()
		done := make(chan error)
		go func() { _, err := c.GetModel(ctx, "m1", GetOptions{}); done <- err }()
		select {
		case err := <-done:
			if !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "503 Service Unavailable") {
				t.Errorf("err = %v, want cancellation quoting the last failure", err)
			}
		case <-time.After(3 * time.Second):
			t.Fatal("cancel did not stop the backoff wait")
		}
		if f.hits.Load() != 1 {
			t.Errorf("hits = %d", f.hits.Load())
		}
	})
	t.Run("already cancelled", func(t *testing.T) {
		f := newFake(t, ok2)
		c, _ := newTestClient(t, f)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := c.ListModels(ctx, ListFilter{})
		if !errors.Is(err, context.Canceled) || f.hits.Load() != 0 {
			t.Errorf("err=%v hits=%d", err, f.hits.Load())
		}
	})
}

func ok2(w http.ResponseWriter, r *http.Request) { ok(w) }

func hijackClose(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err == nil {
		if tc, ok := conn.(*net.TCPConn); ok {
			_ = tc.SetLinger(0) // a reset, not a polite close
		}
		_ = conn.Close()
	}
}

// dialFailing is a transport whose every dial fails with err, so that DNS
// answers can be tested without a resolver.
func dialFailing(err error) *http.Client {
	return &http.Client{Transport: &http.Transport{
		DialContext: func(context.Context, string, string) (net.Conn, error) { return nil, err },
	}}
}

func TestFinalTransportErrorsAreNotRetried(t *testing.T) {
	plainHTTP := newFake(t, ok2)
	tlsSrv := httptest.NewTLSServer(http.HandlerFunc(ok2))
	t.Cleanup(tlsSrv.Close)
	var loops atomic.Int32
	loop := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		loops.Add(1)
		http.Redirect(w, r, r.URL.Path, http.StatusFound)
	})
	noSuchHost := &net.DNSError{Err: "no such host", Name: "oxen-typo.invalid", IsNotFound: true}
	for name, c := range map[string]struct {
		baseURL string
		http    *http.Client
		kind    Kind
		want    string
	}{
		"host not found": {"http://oxen-typo.invalid", dialFailing(noSuchHost), KindHostNotFound,
			"GET /api/ai/models/m1: the host name of http://oxen-typo.invalid does not resolve: lookup oxen-typo.invalid: no such host"},
		"untrusted certificate": {tlsSrv.URL, nil, KindTLS,
			"GET /api/ai/models/m1: the TLS certificate of " + tlsSrv.URL + " failed verification: tls: failed to verify certificate: x509: certificate signed by unknown authority"},
		"plain HTTP at an https URL": {strings.Replace(plainHTTP.URL, "http:", "https:", 1), nil, KindTLS,
			"answered in plain HTTP, not TLS"},
		"redirect loop": {loop.URL, nil, KindOther, "redirect not followed: stopped after 10 redirects"},
	} {
		t.Run(name, func(t *testing.T) {
			fc := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
			cl, err := New(Config{BaseURL: c.baseURL, HTTPClient: c.http, MaxRetries: 5, Clock: fc})
			if err != nil {
				t.Fatal(err)
			}
			_, err = cl.GetModel(context.Background(), "m1", GetOptions{})
			if KindOf(err) != c.kind || IsRetryable(err) || err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v (kind %d), want kind %d and %q", err, KindOf(err), c.kind, c.want)
			}
			if strings.Contains(err.Error(), "attempts") || len(fc.Sleeps()) != 0 {
				t.Errorf("a final error was retried: %v, waits %v", err, fc.Sleeps())
			}
		})
	}
	if n := loops.Load(); n != 10 {
		t.Errorf("the redirect loop was followed %d times, want 10 (one attempt)", n)
	}
}

func TestTemporaryDNSFailureRetried(t *testing.T) {
	flaky := &net.DNSError{Err: "server misbehaving", Name: "hub.oxen.ai", IsTemporary: true}
	fc := clock.NewFake(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	cl, err := New(Config{BaseURL: "http://hub.oxen.ai", HTTPClient: dialFailing(flaky), MaxRetries: 3, Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	_, err = cl.GetModel(context.Background(), "m1", GetOptions{})
	if KindOf(err) != KindNetwork || !strings.Contains(err.Error(), "server misbehaving (retries exhausted after 4 attempts)") {
		t.Errorf("err = %v", err)
	}
	if n := len(fc.Sleeps()); n != 3 {
		t.Errorf("%d waits, want the full 3 retries", n)
	}
}

// With the default waits and many retries allowed, refused connections
// stop within the 10 s budget on the client's clock, and the error names
// the address tried.
func TestConnectionRefusedStopsWithinBudget(t *testing.T) {
	addr := closedPort(t)
	for run := 0; run < 20; run++ { // the jitter differs between runs
		start := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
		fc := clock.NewFake(start)
		c, err := New(Config{BaseURL: "http://" + addr, MaxRetries: 20, Clock: fc})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetModel(context.Background(), "m1", GetOptions{})
		waits, total := fc.Sleeps(), fc.Now().Sub(start)
		if total > DefaultRefusedRetryBudget || len(waits) < 2 {
			t.Fatalf("waited %v (%s in all), want some retries within %s", waits, total, DefaultRefusedRetryBudget)
		}
		want := "GET /api/ai/models/m1: http://" + addr + " refused the connection: dial tcp " + addr + ": connect: connection refused (gave up after " +
			plural(len(waits)+1, "attempt") + " in " + total.Round(time.Millisecond).String() + ": refused connections are retried for at most 10s)"
		if KindOf(err) != KindConnectionRefused || err.Error() != want {
			t.Fatalf("err = %v\nwant  %s", err, want)
		}
	}
}

func TestAPIKeyTrimmedAndChecked(t *testing.T) {
	f := newFake(t, ok2)
	c, _ := newTestClient(t, f, func(c *Config) { c.APIKey = "\t " + testKey + "\r\n" })
	if _, err := c.GetModel(context.Background(), "m1", GetOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := f.lastRequest().Header.Get("Authorization"); got != "Bearer "+testKey {
		t.Errorf("Authorization = %q", got)
	}
	_, err := New(Config{APIKey: "sk-test\nSECRET"})
	if !errors.Is(err, ErrInvalidAPIKey) || strings.Contains(err.Error(), "SECRET") || !strings.Contains(err.Error(), "at byte 8 of 14") {
		t.Errorf("err = %v", err)
	}
}
