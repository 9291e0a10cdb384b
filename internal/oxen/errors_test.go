package oxen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestAPIErrorFromResponses(t *testing.T) {
	cases := []struct {
		name        string
		status      int
		contentType string
		body        string
		wantType    string
		wantMsg     string
		wantText    string
		// envelope: the body is the API's own error envelope.
		envelope bool
	}{
		{
			name: "typed envelope", status: 404, body: notFoundBody,
			wantType: "resource_not_found", wantMsg: "Model not found: bad",
			wantText: "GET /api/ai/models/bad: 404 Not Found: Model not found: bad (request id req_123)",
			envelope: true,
		},
		{
			name: "typed envelope without detail", status: 401,
			body:     `{"error":{"type":"unauthenticated","title":"Authentication required"},"status":"error","status_message":"unauthenticated"}`,
			wantType: "unauthenticated", wantMsg: "Authentication required",
			wantText: "GET /api/ai/models/bad: 401 Unauthorized: Authentication required (request id req_123)",
			envelope: true,
		},
		{
			name: "message envelope", status: 404, body: `{"error":{"message":"Model not found: bad-model-name"}}`,
			wantMsg:  "Model not found: bad-model-name",
			wantText: "GET /api/ai/models/bad: 404 Not Found: Model not found: bad-model-name (request id req_123)",
			envelope: true,
		},
		{
			name: "string error", status: 401, body: `{"error":"unauthenticated"}`,
			wantMsg:  "unauthenticated",
			wantText: "GET /api/ai/models/bad: 401 Unauthorized: unauthenticated (request id req_123)",
		},
		{
			name: "status_message only", status: 402, body: `{"status":"error","status_message":"insufficient_credits"}`,
			wantType: "insufficient_credits",
			wantText: "GET /api/ai/models/bad: 402 Payment Required: insufficient_credits (request id req_123)",
			envelope: true,
		},
		{
			name: "html from a proxy", status: 502, contentType: "text/html",
			body:     "<html>\n<head><title>502 Bad Gateway</title></head>\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
			wantMsg:  "502 Bad Gateway",
			wantText: "GET /api/ai/models/bad: 502 Bad Gateway (request id req_123)",
		},
		{
			name: "html without title", status: 403, contentType: "text/html",
			body:     "<html><body><script>var x = 1;</script><p>Access\n\n denied</p></body></html>",
			wantMsg:  "Access denied",
			wantText: "GET /api/ai/models/bad: 403 Forbidden: Access denied (request id req_123)",
		},
		{
			name: "truncated json", status: 404, body: `{"error":{"message":"Model not f`,
			wantMsg:  `{"error":{"message":"Model not f`,
			wantText: `GET /api/ai/models/bad: 404 Not Found: {"error":{"message":"Model not f (request id req_123)`,
		},
		{
			// A framework's own 404, as a server that is not the API sends it.
			name: "json of another server", status: 404, body: `{"timestamp":"2026-01-01T00:00:00Z","status":404,"error":"Not Found","path":"/api/ai/models/bad"}`,
			wantMsg:  "Not Found",
			wantText: "GET /api/ai/models/bad: 404 Not Found: Not Found (request id req_123)",
		},
		{
			name: "empty body", status: 418, body: ``,
			wantText: "GET /api/ai/models/bad: 418 I'm a teapot (request id req_123)",
		},
		{
			name: "unknown status code", status: 599, body: `{"error":{}}`,
			wantMsg:  `{"error":{}}`,
			wantText: `GET /api/ai/models/bad: 599: {"error":{}} (request id req_123)`,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set(requestIDHeader, "req_123")
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			})
			c, _ := newTestClient(t, f, func(c *Config) { c.MaxRetries = 0 })
			_, err := c.GetModel(context.Background(), "bad", GetOptions{})
			e, ok := AsAPIError(err)
			if !ok {
				t.Fatalf("err = %#v, want *APIError", err)
			}
			want := APIError{StatusCode: tc.status, Method: "GET", Path: "/api/ai/models/bad", Type: tc.wantType, Message: tc.wantMsg,
				RequestID: "req_123", APIEnvelope: tc.envelope}
			if *e != want {
				t.Errorf("APIError = %+v\nwant       %+v", *e, want)
			}
			if err.Error() != tc.wantText {
				t.Errorf("Error() = %q\nwant      %q", err.Error(), tc.wantText)
			}
		})
	}
}

func TestErrorHelpers(t *testing.T) {
	wrap := func(e *APIError) error { return fmt.Errorf("reading model: %w", fmt.Errorf("outer: %w", e)) }
	notFound := wrap(&APIError{StatusCode: 404, APIEnvelope: true, Message: "Model not found: x"})
	notFoundByType := wrap(&APIError{StatusCode: 400, Type: ErrorTypeNotFound})
	unauth := wrap(&APIError{StatusCode: 401})
	forbidden := wrap(&APIError{StatusCode: 403})
	limited := wrap(&APIError{StatusCode: 429})
	unavailable := wrap(&APIError{StatusCode: 503})
	network := fmt.Errorf("x: %w", &transportError{method: "GET", path: "/p", err: errors.New("connection reset"), kind: KindNetwork})
	refused := fmt.Errorf("x: %w", &transportError{method: "GET", path: "/p", err: errors.New("refused"), kind: KindConnectionRefused})
	noHost := fmt.Errorf("x: %w", &transportError{method: "GET", path: "/p", err: errors.New("no such host"), kind: KindHostNotFound})
	plain := errors.New("something else")

	type row struct {
		err                                  error
		kind                                 Kind
		notFound, unauth, limited, retryable bool
	}
	for name, r := range map[string]row{
		"404":       {notFound, KindNotFound, true, false, false, false},
		"plain 404": {wrap(&APIError{StatusCode: 404}), KindNoAPIAtPath, false, false, false, false},
		"route 404": {wrap(&APIError{StatusCode: 404, APIEnvelope: true, Type: ErrorTypeNotFound, Message: "No route for GET /x/api/ai/models"}),
			KindNoAPIAtPath, false, false, false, false},
		"type 404":    {notFoundByType, KindNotFound, true, false, false, false},
		"401":         {unauth, KindUnauthenticated, false, true, false, false},
		"403":         {forbidden, KindForbidden, false, false, false, false},
		"402":         {wrap(&APIError{StatusCode: 402}), KindInsufficientCredits, false, false, false, false},
		"type 402":    {wrap(&APIError{StatusCode: 400, Type: ErrorTypeInsufficientCredits}), KindInsufficientCredits, false, false, false, false},
		"400":         {wrap(&APIError{StatusCode: 400}), KindInvalidParams, false, false, false, false},
		"type 422":    {wrap(&APIError{StatusCode: 422, Type: ErrorTypeInvalidParams}), KindInvalidParams, false, false, false, false},
		"type 401":    {wrap(&APIError{StatusCode: 400, Type: ErrorTypeUnauthenticated}), KindUnauthenticated, false, true, false, false},
		"429":         {limited, KindRateLimited, false, false, true, true},
		"503":         {unavailable, KindServerError, false, false, false, true},
		"409":         {wrap(&APIError{StatusCode: 409}), KindOther, false, false, false, false},
		"network":     {network, KindNetwork, false, false, false, true},
		"refused":     {refused, KindConnectionRefused, false, false, false, true},
		"no host":     {noHost, KindHostNotFound, false, false, false, false},
		"bad body":    {fmt.Errorf("x: %w", ErrUnexpectedResponse), KindUnexpectedResponse, false, false, false, false},
		"plain":       {plain, KindOther, false, false, false, false},
		"nil":         {nil, KindOther, false, false, false, false},
		"not api 501": {wrap(&APIError{StatusCode: 501}), KindServerError, false, false, false, false},
	} {
		got := row{r.err, KindOf(r.err), IsNotFound(r.err), IsUnauthenticated(r.err), IsRateLimited(r.err), IsRetryable(r.err)}
		if got != r {
			t.Errorf("%s: got %+v, want %+v", name, got, r)
		}
	}
}

func TestNotFoundThroughClient(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 404, notFoundBody) })
	c, _ := newTestClient(t, f)
	_, err := c.GetModel(context.Background(), "bad", GetOptions{})
	if !IsNotFound(err) || IsUnauthenticated(err) || IsRetryable(err) {
		t.Errorf("err = %v", err)
	}
	f2 := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 401, `{"error":{"type":"unauthenticated","title":"Unauthenticated","detail":"bad key `+testKey+`"}}`)
	})
	c2, _ := newTestClient(t, f2)
	_, err = c2.ListModels(context.Background(), ListFilter{})
	if !IsUnauthenticated(err) || IsNotFound(err) {
		t.Errorf("err = %v", err)
	}
	if strings.Contains(err.Error(), testKey) || !strings.Contains(err.Error(), "bad key ****") {
		t.Errorf("a key echoed by the API must be redacted: %q", err)
	}
}

func TestParseErrorBodyBounds(t *testing.T) {
	long := strings.Repeat("é", 1000)
	typ, msg, _ := parseErrorBody([]byte(`{"error":{"type":"x\ny","detail":"` + long + `"}}`))
	if typ != "x y" || len(msg) > maxMessageLen || !strings.HasSuffix(msg, "…") {
		t.Errorf("typ=%q len(msg)=%d", typ, len(msg))
	}
	_, ex, _ := parseErrorBody([]byte(strings.Repeat("<b>word</b> ", 500)))
	if len(ex) > maxExcerptLen || !strings.HasPrefix(ex, "<b>word</b>") && !strings.HasPrefix(ex, "word") {
		t.Errorf("excerpt = %q", ex)
	}
}

func TestAPIErrorRetryAfterParsed(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"":                              0,
		"0":                             0,
		"-5":                            0,
		"7":                             7 * time.Second,
		" 12 ":                          12 * time.Second,
		"99999999999999":                24 * time.Hour,
		"soon":                          0,
		"Sun, 01 Jun 2025 12:00:30 GMT": 30 * time.Second,
		"Sun, 01 Jun 2025 11:00:00 GMT": 0,
	} {
		if got := parseRetryAfter(in, now); got != want {
			t.Errorf("parseRetryAfter(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestKeyNeverInErrors(t *testing.T) {
	bodies := map[int]string{
		200: `<html><title>token ` + testKey + `</title></html>`,
		400: `<html><title>token ` + testKey + `</title></html>`,
		403: `{"error":"forbidden for ` + testKey + `"}`,
	}
	for code, body := range bodies {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set(requestIDHeader, testKey)
			w.WriteHeader(code)
			_, _ = w.Write([]byte(body))
		})
		c, _ := newTestClient(t, f)
		_, err := c.GetModel(context.Background(), "m1", GetOptions{})
		if err == nil || strings.Contains(err.Error(), testKey) || !strings.Contains(err.Error(), "****") {
			t.Errorf("%d: err = %v", code, err)
		}
	}
}

// Behind a base URL with a path prefix, errors name the path the request
// went to, and a 404 that is not the API's own answer is told apart from a
// missing model: the API is not at that path, and no model is missing.
func TestErrorsNameThePathSent(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(requestIDHeader, "req_9")
		switch r.URL.Path {
		case "/proxy/oxen/api/ai/models/bad":
			writeJSON(w, 404, `{"error":{"message":"Model not found: bad"}}`)
		case "/api/ai/models/x":
			// The API's own answer for a path it has no route for.
			writeJSON(w, 404, `{"error":{"type":"resource_not_found","title":"Not Found","detail":"No route for GET `+r.URL.Path+`"},"status":"error","status_message":"resource_not_found"}`)
		case "/proxy/oxen/api/ai/models/html":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>Sign in</html>"))
		default:
			http.NotFound(w, r)
		}
	})
	c, _ := newTestClient(t, f, func(c *Config) { c.BaseURL = f.URL + "/proxy/oxen" })
	wrong, _ := newTestClient(t, f, func(c *Config) { c.BaseURL = f.URL + "/proxy" })
	ctx := context.Background()

	_, err := wrong.GetModel(ctx, "claude-sonnet-4-6", GetOptions{})
	if want := "GET /proxy/api/ai/models/claude-sonnet-4-6: 404 Not Found: 404 page not found (request id req_9)"; err == nil || err.Error() != want {
		t.Errorf("a plain 404 = %v, want %q", err, want)
	}
	if e, ok := AsAPIError(err); !ok || e.APIEnvelope || KindOf(err) != KindNoAPIAtPath || IsNotFound(err) {
		t.Errorf("a plain 404: kind %v, not found %v, %+v", KindOf(err), IsNotFound(err), e)
	}
	_, err = wrong.ListModels(ctx, ListFilter{DeveloperName: "x"})
	if want := "GET /proxy/api/ai/models: 404 Not Found: 404 page not found (request id req_9)"; err == nil || err.Error() != want {
		t.Errorf("a plain 404 of a list = %v, want %q", err, want)
	}

	// The API's own 404 for a path it has no route for is no missing model either.
	root, _ := newTestClient(t, f)
	_, err = root.GetModel(ctx, "x", GetOptions{})
	if e, ok := AsAPIError(err); !ok || !e.APIEnvelope || KindOf(err) != KindNoAPIAtPath || IsNotFound(err) {
		t.Errorf("the API's route 404: kind %v, %+v", KindOf(err), e)
	}

	_, err = c.GetModel(ctx, "bad", GetOptions{})
	if want := "GET /proxy/oxen/api/ai/models/bad: 404 Not Found: Model not found: bad (request id req_9)"; err == nil || err.Error() != want {
		t.Errorf("the API's 404 = %v, want %q", err, want)
	}
	if e, ok := AsAPIError(err); !ok || !e.APIEnvelope || !IsNotFound(err) {
		t.Errorf("the API's 404: kind %v, %+v", KindOf(err), e)
	}

	_, err = c.GetModel(ctx, "html", GetOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "GET /proxy/oxen/api/ai/models/html: the API answered 200 OK") {
		t.Errorf("a 200 that is not JSON = %v, want the path sent", err)
	}

	cut := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Length", "100")
		_, _ = w.Write([]byte(`{"id":`))
	})
	cc, _ := newTestClient(t, cut, func(c *Config) { c.BaseURL = cut.URL + "/proxy/oxen"; c.MaxRetries = 0 })
	_, err = cc.GetModel(ctx, "x", GetOptions{})
	if err == nil || !strings.HasPrefix(err.Error(), "GET /proxy/oxen/api/ai/models/x: reading the body") {
		t.Errorf("a cut-off answer = %v, want the path sent", err)
	}
}
