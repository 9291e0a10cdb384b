package oxensim

import (
	"bytes"
	"maps"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
)

// Fault is a misbehaviour queued for the next matching requests. Faults
// are tried in the order they were injected; the first that matches a
// request hits it, and a request is hit by at most one fault.
//
// What a hit does, in order of precedence:
//   - Latency is slept first (real time, obeying the request context).
//   - Reset closes the connection without answering (a TCP reset).
//   - Status answers with the canned Status, Retry-After, Body and
//     ContentType; the request is not processed.
//   - Truncate processes the request normally (an activation does happen)
//     and sends its response with the full Content-Length but only the
//     first half of the body, then drops the connection.
//   - Otherwise (Latency alone) the request is then served normally.
type Fault struct {
	// Method is the HTTP method it hits ("" = any), case-insensitive.
	Method string
	// PathPrefix is matched against the escaped URL path, such as
	// "/api/ai/models/my-custom-model" ("" = any).
	PathPrefix string
	// RawQuery, when set, must equal the request's query string exactly,
	// such as "provider_name=fal" ("" = any query).
	RawQuery string
	// Times is how many matching requests it hits: 0 means 1, a negative
	// number means every matching request until ClearFaults.
	Times int
	// Every spreads the hits out: with Every = n > 1 the fault hits only
	// every n-th matching request (the n-th, 2n-th, ...) and lets the others
	// through, so faults can be sprinkled over a long run.
	Every int
	// Chance, when above zero, hits each matching request with this
	// probability instead (from a generator seeded with Seed, so a run is
	// repeatable as far as the order of requests is). Unlike Every, it cannot
	// fall into step with clients that retry at once.
	Chance float64
	Seed   uint64

	// Status, RetryAfter, Body and ContentType form a canned answer. An
	// empty Body gets the hub's JSON error envelope for Status; an empty
	// ContentType means application/json.
	Status      int
	RetryAfter  string
	Body        string
	ContentType string

	// Latency is an extra delay before answering.
	Latency time.Duration
	// Truncate cuts the real response off halfway.
	Truncate bool
	// Reset closes the connection without any answer.
	Reset bool
}

type queuedFault struct {
	Fault
	left int        // < 0: unlimited
	seen int        // matching requests so far, for Every
	rng  *rand.Rand // for Chance
}

// Request is one entry of the request log.
type Request struct {
	Method   string
	Path     string // escaped, as sent
	RawQuery string
	// Authorization reports whether a non-empty Authorization header was
	// sent (never its value).
	Authorization bool
	UserAgent     string
	// Status is the status code answered, 0 when nothing was (a reset, or
	// the client went away first).
	Status    int
	RequestID string    // the x-oxen-request-id answered
	Time      time.Time // per the server's clock, when the request arrived
}

// InjectFault queues f.
func (s *Server) InjectFault(f Fault) {
	left := f.Times
	if left == 0 {
		left = 1
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.faults = append(s.faults, &queuedFault{Fault: f, left: left, rng: rand.New(rand.NewPCG(f.Seed, f.Seed^0x9e3779b97f4a7c15))})
}

// ClearFaults drops every queued fault.
func (s *Server) ClearFaults() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.faults = nil
}

// PendingFaults returns how many faults are still queued.
func (s *Server) PendingFaults() int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return len(s.faults)
}

// takeFault pops one hit of the first fault matching the request.
func (s *Server) takeFault(method, path, rawQuery string) *Fault {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	for i, f := range s.faults {
		if (f.Method == "" || strings.EqualFold(f.Method, method)) && strings.HasPrefix(path, f.PathPrefix) &&
			(f.RawQuery == "" || f.RawQuery == rawQuery) {
			if f.Every > 1 {
				f.seen++
				if f.seen%f.Every != 0 {
					continue
				}
			}
			if f.Chance > 0 && f.rng.Float64() >= f.Chance {
				continue
			}
			if f.left > 0 {
				f.left--
				if f.left == 0 {
					s.faults = append(s.faults[:i], s.faults[i+1:]...)
				}
			}
			hit := f.Fault
			return &hit
		}
	}
	return nil
}

// applyFault acts out f and reports whether the request should still be
// served normally. record logs the request with the status answered; it is
// called before the connection is cut.
func (s *Server) applyFault(w *statusWriter, r *http.Request, f *Fault, record func(status int)) (serve bool) {
	// Latency is real time, whatever clock drives the deployments.
	if err := clock.Real().Sleep(r.Context(), f.Latency); err != nil {
		return false
	}
	switch {
	case f.Reset:
		record(0)
		resetConnection(w)
		return false
	case f.Status != 0:
		h := w.Header()
		if f.RetryAfter != "" {
			h.Set("Retry-After", f.RetryAfter)
		}
		body := []byte(f.Body)
		if f.Body == "" {
			body = faultBody(f.Status)
		}
		if f.ContentType != "" {
			h.Set("Content-Type", f.ContentType)
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(f.Status)
		_, _ = w.Write(body)
		return false
	case f.Truncate:
		buf := &bufferWriter{header: w.Header().Clone()}
		s.handle(buf, r)
		status := buf.status
		if status == 0 {
			status = http.StatusOK
		}
		body := buf.body.Bytes()
		maps.Copy(w.Header(), buf.header)
		w.Header().Set("Content-Length", strconv.Itoa(len(body)))
		record(status)
		w.WriteHeader(status)
		_, _ = w.Write(body[:len(body)/2])
		_ = http.NewResponseController(w).Flush()
		// Abort: the server closes the connection without finishing the
		// body, and the client sees an unexpected EOF.
		panic(http.ErrAbortHandler)
	}
	return true
}

// faultBody is the hub-shaped error body for a canned status.
func faultBody(status int) []byte {
	switch {
	case status == http.StatusTooManyRequests:
		return errorBody("rate_limited", "Too Many Requests", "Rate limit exceeded, retry later")
	case status == http.StatusUnauthorized:
		return errorBody("unauthenticated", "Unauthenticated", "Invalid or missing API key")
	case status == http.StatusPaymentRequired:
		return errorBody("insufficient_credits", "Insufficient Credits", "Your account does not have enough credits")
	case status == http.StatusBadRequest || status == http.StatusUnprocessableEntity:
		return errorBody("invalid_params", "Invalid Parameters", "The request parameters are not valid")
	case status == http.StatusForbidden:
		return errorBody("forbidden", "Forbidden", "You do not have access to this model")
	case status >= 500:
		return errorBody("unknown_error", http.StatusText(status), "Something went wrong, please try again")
	default:
		return errorBody("unknown_error", http.StatusText(status), http.StatusText(status))
	}
}

// resetConnection closes the client connection with a TCP reset and no
// response at all.
func resetConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler) // e.g. HTTP/2: abort the stream
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}

func (s *Server) record(e Request) {
	s.logMu.Lock()
	s.requests = append(s.requests, e)
	s.logMu.Unlock()
	if s.onRequest != nil {
		s.onRequest(e)
	}
}

// Requests returns a copy of the request log, oldest first.
func (s *Server) Requests() []Request {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return append([]Request(nil), s.requests...)
}

// CountRequests counts logged requests with the method ("" = any,
// case-insensitive) whose escaped path starts with pathPrefix.
func (s *Server) CountRequests(method, pathPrefix string) int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	n := 0
	for _, e := range s.requests {
		if (method == "" || strings.EqualFold(method, e.Method)) && strings.HasPrefix(e.Path, pathPrefix) {
			n++
		}
	}
	return n
}

// ResetRequests empties the request log.
func (s *Server) ResetRequests() {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.requests = nil
}

// statusWriter remembers the status code written.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach Flush and Hijack.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// bufferWriter holds a whole response in memory.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }

func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
