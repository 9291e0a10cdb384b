package oxen

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Error types the hub sends in its error envelope.
const (
	ErrorTypeUnauthenticated     = "unauthenticated"
	ErrorTypeInvalidParams       = "invalid_params"
	ErrorTypeNotFound            = "resource_not_found"
	ErrorTypeInsufficientCredits = "insufficient_credits"
)

// Kind is the cause of a failed call, as far as deciding what to tell the
// user goes. Each kind has its own remedy; KindOf finds it.
type Kind int

const (
	// KindOther is an error of none of the kinds below.
	KindOther Kind = iota
	// KindUnauthenticated: the key is missing or rejected (401).
	KindUnauthenticated
	// KindInsufficientCredits: the account cannot pay for the request (402).
	KindInsufficientCredits
	// KindForbidden: the key is valid but not allowed to do this (403).
	KindForbidden
	// KindNotFound: no such model: the API's own "Model not found" answer
	// (a 404), or its resource_not_found error type with another status.
	KindNotFound
	// KindNoAPIAtPath: any other 404, such as a proxy's page, another
	// service's answer or the API's own "no route": no endpoint of the API
	// is at the path sent, usually for a base URL with a wrong path. It
	// says nothing about the model.
	KindNoAPIAtPath
	// KindInvalidParams: the API refused the request's parameters (400, 422).
	KindInvalidParams
	// KindRateLimited: too many requests (429), still so after the retries.
	KindRateLimited
	// KindServerError: the API failed on its side (5xx).
	KindServerError
	// KindHostNotFound: the base URL's host name does not resolve.
	KindHostNotFound
	// KindConnectionRefused: nothing accepts connections at the base URL.
	KindConnectionRefused
	// KindTLS: the server's certificate failed verification, or it does
	// not speak TLS at an https URL.
	KindTLS
	// KindNetwork: no complete answer arrived (a reset, a timeout, a body
	// cut off), or a redirect the client will not follow.
	KindNetwork
	// KindUnexpectedResponse: a successful status with a body that is not
	// the API's JSON.
	KindUnexpectedResponse
)

// KindOf tells the cause of an error returned by the client.
func KindOf(err error) Kind {
	if e, ok := AsAPIError(err); ok {
		return e.Kind()
	}
	if t, ok := errors.AsType[*transportError](err); ok {
		return t.kind
	}
	if errors.Is(err, ErrUnexpectedResponse) {
		return KindUnexpectedResponse
	}
	return KindOther
}

// ErrUnexpectedResponse is wrapped by the error returned when a successful
// status carries a body that cannot be read as the expected JSON.
var ErrUnexpectedResponse = errors.New("unexpected response from the Oxen API")

// APIError is an HTTP answer outside 2xx.
type APIError struct {
	StatusCode int
	Method     string
	// Path is the escaped path the request was sent to, the base URL's
	// prefix included, without the query.
	Path string
	// APIEnvelope reports whether the body was the API's own error
	// envelope; a proxy or another server in front of it answers
	// otherwise.
	APIEnvelope bool
	// Type is the hub's machine-readable error type, such as
	// "resource_not_found" or "unauthenticated"; empty when the body had none.
	Type string
	// Message is the API's own human-readable message (or a short excerpt of
	// a body that was not JSON); empty when there was nothing to quote.
	Message string
	// RequestID is the x-oxen-request-id response header.
	RequestID string
	// RetryAfter is the wait the server asked for with Retry-After; zero
	// when it did not ask.
	RetryAfter time.Duration
}

// Error reads like
// "GET /api/ai/models/bad: 404 Not Found: Model not found: bad (request id req_123)".
func (e *APIError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %d", e.Method, e.Path, e.StatusCode)
	status := strconv.Itoa(e.StatusCode)
	if text := http.StatusText(e.StatusCode); text != "" {
		b.WriteString(" " + text)
		status += " " + text
	}
	switch {
	case strings.EqualFold(e.Message, status):
		// A proxy page titled "502 Bad Gateway" adds nothing to the status.
	case e.Message != "":
		b.WriteString(": " + e.Message)
	case e.Type != "":
		b.WriteString(": " + e.Type)
	}
	b.WriteString(requestIDSuffix(e.RequestID))
	return b.String()
}

// Kind tells a missing model from a missing endpoint by the 404's body,
// then reads the hub's error type, and the status when the type names no
// known cause.
func (e *APIError) Kind() Kind {
	if e.StatusCode == http.StatusNotFound {
		if e.ModelNotFound() {
			return KindNotFound
		}
		return KindNoAPIAtPath
	}
	switch e.Type {
	case ErrorTypeUnauthenticated:
		return KindUnauthenticated
	case ErrorTypeInsufficientCredits:
		return KindInsufficientCredits
	case ErrorTypeNotFound:
		return KindNotFound
	case ErrorTypeInvalidParams:
		return KindInvalidParams
	}
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		return KindUnauthenticated
	case e.StatusCode == http.StatusPaymentRequired:
		return KindInsufficientCredits
	case e.StatusCode == http.StatusForbidden:
		return KindForbidden
	case e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity:
		return KindInvalidParams
	case e.StatusCode == http.StatusTooManyRequests:
		return KindRateLimited
	case e.StatusCode >= 500:
		return KindServerError
	}
	return KindOther
}

// modelNotFoundMessage starts the API's answer for a missing model:
// "Model not found: <id>".
const modelNotFoundMessage = "model not found"

// ModelNotFound reports whether the body was the API's own answer for a
// missing model: its error envelope, with a message that says so.
func (e *APIError) ModelNotFound() bool {
	return e.APIEnvelope && strings.HasPrefix(strings.ToLower(e.Message), modelNotFoundMessage)
}

// AsAPIError finds an *APIError in err's chain.
func AsAPIError(err error) (*APIError, bool) {
	return errors.AsType[*APIError](err)
}

// IsNotFound reports whether the API said that the model does not exist.
// A 404 from anything else is not enough: a wrong base URL must not make a
// model look deleted.
func IsNotFound(err error) bool { return KindOf(err) == KindNotFound }

// IsUnauthenticated reports whether the API refused the request for a
// missing or invalid API key (401).
func IsUnauthenticated(err error) bool { return KindOf(err) == KindUnauthenticated }

// IsRateLimited reports whether the API answered 429.
func IsRateLimited(err error) bool {
	e, ok := AsAPIError(err)
	return ok && e.StatusCode == http.StatusTooManyRequests
}

// IsRetryable reports whether err is a failure that this client retries:
// 429, 500, 502, 503, 504, a refused connection, or a network error that a
// later attempt may not meet (a reset, a timeout, a cut-off answer). An
// error returned by the client after its retries ran out is still reported
// as retryable, so a caller with a longer horizon (a wait loop) may try
// again later.
func IsRetryable(err error) bool {
	if e, ok := AsAPIError(err); ok {
		return retryableStatus(e.StatusCode)
	}
	switch KindOf(err) {
	case KindNetwork, KindConnectionRefused:
		return true
	}
	return false
}

// transportError is a request that got no complete HTTP answer.
type transportError struct {
	method, path string
	kind         Kind
	err          error
}

func (e *transportError) Error() string {
	return fmt.Sprintf("%s %s: %v", e.method, e.path, e.err)
}

func (e *transportError) Unwrap() error { return e.err }

const (
	maxMessageLen = 500
	maxExcerptLen = 200
)

// errorBody is the union of the envelopes the hub is known to send.
type errorBody struct {
	Error         json.RawMessage `json:"error"`
	StatusMessage string          `json:"status_message"`
	Message       string          `json:"message"`
	Detail        string          `json:"detail"`
}

type errorObject struct {
	Type    string `json:"type"`
	Title   string `json:"title"`
	Detail  string `json:"detail"`
	Message string `json:"message"`
}

// parseErrorBody extracts the error type and message from an error response.
// It understands
//
//	{"error":{"type":"...","title":"...","detail":"..."},"status":"error","status_message":"..."}
//	{"error":{"message":"..."}}
//	{"error":"..."}
//
// and falls back to a short, sanitized excerpt of anything else (an HTML page
// from a proxy, say). Both results are single-line, printable and bounded.
// envelope reports whether the body was one of the API's two envelopes (an
// error object that says something, or a status_message), which servers
// other than the API do not send: {"error":"Not Found"} is a common
// framework's 404.
func parseErrorBody(body []byte) (typ, msg string, envelope bool) {
	var env errorBody
	if json.Unmarshal(body, &env) == nil {
		var obj errorObject
		var str string
		switch {
		case json.Unmarshal(env.Error, &obj) == nil:
			typ = obj.Type
			msg = firstNonEmpty(obj.Detail, obj.Message, obj.Title)
			envelope = firstNonEmpty(typ, msg) != ""
		case json.Unmarshal(env.Error, &str) == nil:
			msg = str
		}
		if typ == "" {
			typ = env.StatusMessage
		}
		if msg == "" {
			msg = firstNonEmpty(env.Message, env.Detail)
		}
		envelope = envelope || strings.TrimSpace(env.StatusMessage) != ""
		typ = sanitize(typ, 100)
		msg = sanitize(msg, maxMessageLen)
		if typ != "" || msg != "" {
			return typ, msg, envelope
		}
	}
	return "", excerpt(body), false
}

var (
	htmlTitle = regexp.MustCompile(`(?is)<title[^>]*>(.*?)</title>`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
	// Script and style contents would otherwise survive tag stripping as noise.
	htmlNoise = regexp.MustCompile(`(?is)<(script|style)[^>]*>.*?</(script|style)>`)
)

// excerpt makes a body that is not an error envelope quotable: an HTML page
// is reduced to its title or its text, and the result is one printable line
// of at most maxExcerptLen bytes.
func excerpt(body []byte) string {
	if len(body) > 64<<10 {
		body = body[:64<<10]
	}
	s := string(body)
	if looksLikeHTML(s) {
		if m := htmlTitle.FindStringSubmatch(s); m != nil && strings.TrimSpace(m[1]) != "" {
			s = m[1]
		} else {
			s = htmlTag.ReplaceAllString(htmlNoise.ReplaceAllString(s, " "), " ")
		}
	}
	return sanitize(s, maxExcerptLen)
}

func looksLikeHTML(s string) bool {
	head := strings.ToLower(strings.TrimSpace(truncateUTF8(s, 512)))
	return strings.HasPrefix(head, "<!doctype html") || strings.HasPrefix(head, "<html") ||
		strings.Contains(head, "<head") || strings.Contains(head, "<body") || strings.Contains(head, "<title")
}

// sanitize makes s safe to print on one line: invalid UTF-8 and control
// characters become spaces, runs of spaces collapse, and the result is cut
// to limit bytes (on a rune boundary) with an ellipsis.
func sanitize(s string, limit int) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	out := b.String()
	if len(out) > limit {
		const ellipsis = "…"
		out = strings.TrimRight(truncateUTF8(out, limit-len(ellipsis)), " ") + ellipsis
	}
	return out
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return s
		}
	}
	return ""
}
