package oxen

import (
	"context"
	"io"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"
)

// maxLoggedBody is how much of a response body a Trace entry shows.
const maxLoggedBody = 8 << 10

const requestIDHeader = "X-Oxen-Request-Id"

// attemptKey carries the attempt number from the retry loop to the logging
// transport, so log entries of one call can be told apart.
type attemptKey struct{}

func withAttempt(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, attemptKey{}, n)
}

func attemptFrom(ctx context.Context) int {
	n, _ := ctx.Value(attemptKey{}).(int)
	return n
}

// redactor removes secrets from everything the client logs. It is the single
// gate between the client and its Logger: the logging transport and the
// retry loop both write through it.
type redactor struct {
	log    Logger
	secret string
}

func (r redactor) scrub(s string) string {
	if r.secret == "" {
		return s
	}
	return strings.ReplaceAll(s, r.secret, "****")
}

func (r redactor) clean(fields map[string]any) map[string]any {
	out := make(map[string]any, len(fields))
	for k, v := range fields {
		switch v := v.(type) {
		case string:
			out[k] = r.scrub(v)
		case map[string]string:
			m := make(map[string]string, len(v))
			for hk, hv := range v {
				m[hk] = r.scrub(hv)
			}
			out[k] = m
		case error:
			out[k] = r.scrub(v.Error())
		default:
			out[k] = v
		}
	}
	return out
}

func (r redactor) debug(ctx context.Context, msg string, fields map[string]any) {
	if r.log != nil {
		r.log.Debug(ctx, msg, r.clean(fields))
	}
}

func (r redactor) trace(ctx context.Context, msg string, fields map[string]any) {
	if r.log != nil {
		r.log.Trace(ctx, msg, r.clean(fields))
	}
}

// maskedHeaders flattens h for a log entry, hiding credentials: the
// Authorization scheme stays visible ("Bearer ****") so a log still shows
// whether a key was sent.
func maskedHeaders(h http.Header) map[string]string {
	out := make(map[string]string, len(h))
	for k, vs := range h {
		v := strings.Join(vs, ", ")
		switch http.CanonicalHeaderKey(k) {
		case "Authorization", "Proxy-Authorization":
			scheme, _, found := strings.Cut(v, " ")
			if found {
				v = scheme + " ****"
			} else {
				v = "****"
			}
		case "Cookie", "Set-Cookie", "X-Api-Key":
			v = "****"
		}
		out[k] = v
	}
	return out
}

// loggingTransport writes one Debug entry per request and per response, and
// Trace entries with headers and the (truncated) response body.
type loggingTransport struct {
	next http.RoundTripper
	out  redactor
}

func (t *loggingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	base := map[string]any{
		"method":  req.Method,
		"url":     req.URL.String(),
		"attempt": attemptFrom(ctx),
	}
	t.out.debug(ctx, "Oxen API request", base)
	t.out.trace(ctx, "Oxen API request headers", with(base, map[string]any{
		"request_headers": maskedHeaders(req.Header),
	}))

	start := time.Now()
	resp, err := t.next.RoundTrip(req)
	elapsed := time.Since(start)
	if err != nil {
		t.out.debug(ctx, "Oxen API request failed", with(base, map[string]any{
			"duration_ms": elapsed.Milliseconds(),
			"error":       err,
		}))
		return nil, err
	}
	done := with(base, map[string]any{
		"status":      resp.StatusCode,
		"duration_ms": elapsed.Milliseconds(),
		"request_id":  resp.Header.Get(requestIDHeader),
	})
	t.out.debug(ctx, "Oxen API response", done)
	resp.Body = &loggedBody{
		ReadCloser: resp.Body,
		onClose: func(body []byte, truncated bool) {
			t.out.trace(ctx, "Oxen API response body", with(done, map[string]any{
				"response_headers":        maskedHeaders(resp.Header),
				"response_body":           string(body),
				"response_body_truncated": truncated,
			}))
		},
	}
	return resp, nil
}

// loggedBody keeps the first maxLoggedBody bytes that the client reads and
// hands them to onClose once, so the body is logged without being read twice
// or held in memory whole.
type loggedBody struct {
	io.ReadCloser
	head      []byte
	truncated bool
	once      sync.Once
	onClose   func(body []byte, truncated bool)
}

func (b *loggedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if room := maxLoggedBody - len(b.head); room > 0 {
		b.head = append(b.head, p[:min(n, room)]...)
		if n > room {
			b.truncated = true
		}
	} else if n > 0 {
		b.truncated = true
	}
	return n, err
}

func (b *loggedBody) Close() error {
	err := b.ReadCloser.Close()
	b.once.Do(func() { b.onClose(b.head, b.truncated) })
	return err
}

// with returns a new map holding base's fields and then extra's.
func with(base, extra map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(extra))
	maps.Copy(out, base)
	maps.Copy(out, extra)
	return out
}
