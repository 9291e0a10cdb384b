package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// canned serves answers recorded from the simulator, byte for byte, without
// the simulator's own work per request (locks, request log, JSON built
// anew): the look-up and catalog figures then compare the providers, not
// the server. Both providers of a comparison read from the same canned
// server.
type canned struct {
	answers map[string]answer // by request URI
	latency atomic.Int64      // nanoseconds added to every answer
	url     string
	srv     *http.Server

	mu       sync.Mutex
	counts   map[string]int // requests by path
	unknown  []string       // request URIs that had no recorded answer
	rejected int            // requests without the bench's API key
}

type answer struct {
	header http.Header
	body   []byte
}

// replay records the answers of sim to authenticated GETs of uris (each
// must be 200) and serves them on a loopback port.
func replay(sim *oxensim.Server, uris []string) (*canned, error) {
	answers := make(map[string]answer, len(uris))
	for _, uri := range uris {
		req := httptest.NewRequest(http.MethodGet, uri, nil)
		req.Header.Set("Authorization", "Bearer "+apiKey)
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			return nil, fmt.Errorf("recording GET %s: the simulator answered %d: %s", uri, rec.Code, rec.Body.Bytes())
		}
		answers[uri] = answer{header: rec.Header().Clone(), body: rec.Body.Bytes()}
	}
	c := &canned{answers: answers, counts: map[string]int{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	c.url = "http://" + ln.Addr().String()
	c.srv = &http.Server{Handler: c, ErrorLog: log.New(io.Discard, "", 0)}
	go c.srv.Serve(ln) //nolint:errcheck // ends with Close
	return c, nil
}

func (c *canned) close() { c.srv.Close() }

func (c *canned) setLatency(d time.Duration) { c.latency.Store(int64(d)) }

func (c *canned) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if d := time.Duration(c.latency.Load()); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	a, ok := c.answers[r.URL.RequestURI()]
	authorized := r.Header.Get("Authorization") == "Bearer "+apiKey
	c.mu.Lock()
	c.counts[r.URL.Path]++
	switch {
	case !authorized:
		c.rejected++
	case !ok:
		c.unknown = append(c.unknown, r.Method+" "+r.URL.RequestURI())
	}
	c.mu.Unlock()
	switch {
	case !authorized:
		writeJSONError(w, http.StatusUnauthorized, "the bench server wants the bench API key")
	case !ok || r.Method != http.MethodGet:
		writeJSONError(w, http.StatusNotFound, "no recorded answer for "+r.Method+" "+r.URL.RequestURI())
	default:
		for k, v := range a.header {
			w.Header()[k] = v
		}
		w.Write(a.body) //nolint:errcheck // the client sees a cut answer
	}
}

func writeJSONError(w http.ResponseWriter, status int, detail string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"detail": detail}) //nolint:errcheck // as above
}

// reset forgets the requests counted so far.
func (c *canned) reset() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts, c.unknown, c.rejected = map[string]int{}, nil, 0
}

// requests counts the requests whose path starts with prefix since the
// last reset, and fails if any request went unanswered.
func (c *canned) requests(prefix string) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.unknown) > 0 {
		return 0, fmt.Errorf("the canned server has no answer for %s", strings.Join(slices.Compact(slices.Sorted(slices.Values(c.unknown))), ", "))
	}
	if c.rejected > 0 {
		return 0, fmt.Errorf("the canned server refused %d requests without the API key", c.rejected)
	}
	n := 0
	for path, k := range c.counts {
		if strings.HasPrefix(path, prefix) {
			n += k
		}
	}
	return n, nil
}
