package oxen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
)

// DefaultBaseURL is the Oxen hub.
const DefaultBaseURL = "https://hub.oxen.ai"

// Defaults applied by New to zero Config fields.
const (
	DefaultRequestTimeout = 60 * time.Second
	DefaultRetryWaitMin   = 1 * time.Second
	DefaultRetryWaitMax   = 30 * time.Second
	// DefaultRefusedRetryBudget bounds the retries of refused connections.
	DefaultRefusedRetryBudget = 10 * time.Second
	DefaultUserAgent          = "oxen-go-client"
)

// Body size bounds: a successful answer may be the whole catalog; an error
// body is only ever quoted, so little of it is read.
const (
	MaxResponseBytes      = 256 << 20
	maxErrorResponseBytes = 64 << 10
)

// Config configures a Client.
type Config struct {
	// BaseURL is the hub's root URL, such as https://hub.oxen.ai. See ParseBaseURL.
	BaseURL string
	// APIKey is sent as a bearer token, without surrounding whitespace (a
	// key read from a file ends in a line break). Empty means
	// unauthenticated requests.
	APIKey string
	// RequestTimeout bounds one HTTP attempt (not the retries). Zero means 60s.
	RequestTimeout time.Duration
	// MaxRetries is how many times a request is retried after the first
	// attempt on 429, 5xx and network errors that a later attempt may not
	// meet (resets, timeouts, refused connections within
	// RefusedRetryBudget). Errors no retry can fix are never retried.
	MaxRetries int
	// RetryWaitMin is the first backoff wait; it doubles on each retry up to
	// RetryWaitMax. Zero means 1s and 30s. A Retry-After header overrides them.
	RetryWaitMin time.Duration
	RetryWaitMax time.Duration
	// RefusedRetryBudget is how long, on Clock from the first attempt, a
	// call keeps retrying connections that are refused. Zero means 10s.
	RefusedRetryBudget time.Duration
	// UserAgent is sent on every request.
	UserAgent string
	// Logger receives one entry per request and per response, with the
	// Authorization header masked. Nil means no logging.
	Logger Logger
	// HTTPClient is the transport to use; nil means a fresh one.
	HTTPClient *http.Client
	// Clock paces the retries; nil means the wall clock. Tests pass a fake
	// one to run backoff schedules without waiting.
	Clock clock.Clock
}

// Logger is where the client writes its request and response log. The
// provider plugs tflog in here; the client itself knows nothing of Terraform.
type Logger interface {
	Debug(ctx context.Context, msg string, fields map[string]any)
	Trace(ctx context.Context, msg string, fields map[string]any)
}

// ListFilter holds the server-side filters of GET /api/ai/models. Empty
// fields are not sent.
type ListFilter struct {
	DeveloperName string
	Action        string
	ProviderName  string
}

// GetOptions tunes GET /api/ai/models/{id}.
type GetOptions struct {
	// Live asks the hub to refresh the deployment status from the serving
	// backend before answering (deployment_status=live). A live read is
	// never shared.
	Live bool
	// Shared lets the read share one request with the other shared reads
	// of the same id on this client: it joins one in flight, or reuses the
	// answer of an earlier one, until the client sends activate or
	// deactivate. The model returned may be the one other callers got:
	// treat it as read-only.
	Shared bool
}

// Client talks to the Oxen models API. It holds no per-call state and is
// safe for concurrent use; share one per provider so connections are reused.
type Client struct {
	cfg     Config
	base    *url.URL
	http    *http.Client
	clock   clock.Clock
	log     redactor
	maxBody int64
	shared  *sharedReads
}

// New returns a client for cfg, or an error naming what is wrong with it.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	base, err := ParseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	switch {
	case cfg.RequestTimeout < 0:
		return nil, fmt.Errorf("request timeout must not be negative, got %s", cfg.RequestTimeout)
	case cfg.MaxRetries < 0:
		return nil, fmt.Errorf("max retries must not be negative, got %d", cfg.MaxRetries)
	case cfg.RetryWaitMin < 0 || cfg.RetryWaitMax < 0 || cfg.RefusedRetryBudget < 0:
		return nil, fmt.Errorf("retry waits must not be negative, got min %s, max %s and refused budget %s",
			cfg.RetryWaitMin, cfg.RetryWaitMax, cfg.RefusedRetryBudget)
	}
	cfg.APIKey = strings.TrimSpace(cfg.APIKey)
	if i := invalidHeaderByte(cfg.APIKey); i >= 0 {
		return nil, invalidKeyError{at: i + 1, length: len(cfg.APIKey)}
	}
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.RetryWaitMin == 0 {
		cfg.RetryWaitMin = DefaultRetryWaitMin
	}
	if cfg.RetryWaitMax == 0 {
		cfg.RetryWaitMax = DefaultRetryWaitMax
	}
	if cfg.RefusedRetryBudget == 0 {
		cfg.RefusedRetryBudget = DefaultRefusedRetryBudget
	}
	cfg.RetryWaitMax = max(cfg.RetryWaitMax, cfg.RetryWaitMin)
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if i := invalidHeaderByte(cfg.UserAgent); i >= 0 {
		return nil, fmt.Errorf("user agent %q holds a control character at byte %d", cfg.UserAgent, i+1)
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.Real()
	}

	c := &Client{
		cfg:     cfg,
		base:    base,
		clock:   cfg.Clock,
		log:     redactor{log: cfg.Logger, secret: cfg.APIKey},
		maxBody: MaxResponseBytes,
		shared:  newSharedReads(),
	}
	var hc http.Client
	if cfg.HTTPClient != nil {
		hc = *cfg.HTTPClient
	}
	if hc.Transport == nil {
		hc.Transport = newTransport()
	}
	if hc.CheckRedirect == nil {
		hc.CheckRedirect = checkRedirect
	}
	if cfg.Logger != nil {
		hc.Transport = &loggingTransport{next: hc.Transport, out: c.log}
	}
	c.http = &hc
	return c, nil
}

// ErrInvalidAPIKey is wrapped by the error New returns for a key that
// cannot be sent.
var ErrInvalidAPIKey = errors.New("invalid API key")

// invalidKeyError says where a key goes wrong without quoting any of it.
type invalidKeyError struct{ at, length int }

func (e invalidKeyError) Error() string {
	return fmt.Sprintf("the API key holds a control character (such as a line break) at byte %d of %d, "+
		"which cannot be sent in an HTTP header; only whitespace around the key is removed", e.at, e.length)
}

func (invalidKeyError) Is(target error) bool { return target == ErrInvalidAPIKey }

// invalidHeaderByte returns the index of the first byte that may not appear
// in an HTTP header value (a control character other than tab), or -1.
// Checking once here means no request can fail on it later.
func invalidHeaderByte(v string) int {
	for i := 0; i < len(v); i++ {
		if b := v[i]; (b < ' ' && b != '\t') || b == 0x7f {
			return i
		}
	}
	return -1
}

// newTransport is the default transport: the standard one, with enough idle
// connections per host for Terraform's parallel reads to reuse them.
func newTransport() *http.Transport {
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by something else: start from Go's own defaults
		base = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	}
	t := base.Clone()
	t.MaxIdleConns = 100
	t.MaxIdleConnsPerHost = 32
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// ListModels returns the catalog, filtered server-side by f.
func (c *Client) ListModels(ctx context.Context, f ListFilter) ([]Model, error) {
	q := url.Values{}
	for k, v := range map[string]string{
		"developer_name": f.DeveloperName,
		"action":         f.Action,
		"provider_name":  f.ProviderName,
	} {
		if v != "" {
			q.Set(k, v)
		}
	}
	return c.list(ctx, modelsPath, q)
}

// SearchModels returns the models whose names match query.
func (c *Client) SearchModels(ctx context.Context, query string) ([]Model, error) {
	if query == "" {
		return nil, errors.New("search query is empty")
	}
	return c.list(ctx, modelsPath+"/search", url.Values{"search": {query}})
}

// GetModel returns one model by name or UUID.
func (c *Client) GetModel(ctx context.Context, id string, opts GetOptions) (*Model, error) {
	if opts.Live {
		return c.model(ctx, http.MethodGet, id, "", url.Values{"deployment_status": {"live"}})
	}
	if opts.Shared {
		return c.shared.get(ctx, id, func(ctx context.Context) (*Model, error) {
			return c.model(ctx, http.MethodGet, id, "", nil)
		})
	}
	return c.model(ctx, http.MethodGet, id, "", nil)
}

// ActivateModel asks the hub to start the custom model's deployment.
func (c *Client) ActivateModel(ctx context.Context, id string) (*Model, error) {
	return c.change(ctx, id, "/activate")
}

// DeactivateModel asks the hub to stop the custom model's deployment.
func (c *Client) DeactivateModel(ctx context.Context, id string) (*Model, error) {
	return c.change(ctx, id, "/deactivate")
}

// change sends activate or deactivate. Shared answers are dropped when it
// is sent, for reads that start after, and again when it is answered, for
// reads that started while the hub was acting on it. Any model may go by
// its name or its UUID, so all of them are dropped.
func (c *Client) change(ctx context.Context, id, action string) (*Model, error) {
	c.shared.forget()
	defer c.shared.forget()
	return c.model(ctx, http.MethodPost, id, action, nil)
}

func (c *Client) list(ctx context.Context, path string, q url.Values) ([]Model, error) {
	resp, err := c.do(ctx, http.MethodGet, path, q)
	if err != nil {
		return nil, err
	}
	models, err := decodeModelList(resp.body)
	if err != nil {
		return nil, redactedError{resp.decodeError(err), c.log}
	}
	return models, nil
}

func (c *Client) model(ctx context.Context, method, id, action string, q url.Values) (*Model, error) {
	if err := ValidateModelID(id); err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, method, modelsPath+"/"+escapeSegment(id)+action, q)
	if err != nil {
		return nil, err
	}
	m, err := decodeModel(resp.body)
	if err != nil {
		return nil, redactedError{resp.decodeError(err), c.log}
	}
	return m, nil
}

// response is a complete 2xx answer.
type response struct {
	method, path string
	status       int
	requestID    string
	body         []byte
}

func (r *response) decodeError(err error) error {
	return fmt.Errorf("%s %s: the API answered %d %s%s %w", r.method, r.path,
		r.status, http.StatusText(r.status), requestIDSuffix(r.requestID), err)
}

// requestIDSuffix is " (request id X)", or nothing when the hub sent none.
func requestIDSuffix(id string) string {
	if id == "" {
		return ""
	}
	return " (request id " + id + ")"
}

// do runs one API call with the retry policy of retryWait: each attempt has
// its own timeout, waits happen on the client's clock, and a done ctx ends
// everything at once.
func (c *Client) do(ctx context.Context, method, apiPath string, q url.Values) (*response, error) {
	endpointURL := endpoint(c.base, apiPath, q)
	// Errors name the path as sent, so that a base URL's prefix shows.
	u, path := endpointURL.String(), endpointURL.EscapedPath()
	start := c.clock.Now()
	for attempt := 1; ; attempt++ {
		resp, err := c.attempt(ctx, method, path, u, attempt)
		if err == nil {
			return resp, nil
		}
		if ctx.Err() != nil {
			return nil, c.cancelled(ctx, method, path, attempt, err)
		}
		wait, retry, note := c.retryWait(attempt, start, err)
		if !retry {
			if note != "" {
				err = fmt.Errorf("%w (%s)", err, note)
			}
			return nil, err
		}
		c.log.debug(ctx, "Oxen API retry", map[string]any{
			"method":  method,
			"url":     u,
			"attempt": attempt,
			"wait_ms": wait.Milliseconds(),
			"reason":  note,
			"error":   err,
		})
		if serr := c.sleep(ctx, wait); serr != nil {
			return nil, c.cancelled(ctx, method, path, attempt, err)
		}
	}
}

// cancelled reports a call stopped by its context, keeping ctx's error
// matchable with errors.Is and quoting the failure that preceded it.
func (c *Client) cancelled(ctx context.Context, method, path string, attempts int, last error) error {
	cause := context.Cause(ctx)
	if last != nil && !errors.Is(last, ctx.Err()) {
		return fmt.Errorf("%s %s: %w after %s (last error: %v)", method, path, cause, plural(attempts, "attempt"), last)
	}
	return fmt.Errorf("%s %s: %w", method, path, cause)
}

// attempt sends one request and reads the whole answer within
// RequestTimeout. It returns a *response for 2xx, an *APIError for other
// statuses, and a *transportError when no full answer arrived.
func (c *Client) attempt(ctx context.Context, method, path, u string, n int) (*response, error) {
	actx, cancel := context.WithTimeout(withAttempt(ctx, n), c.cfg.RequestTimeout)
	defer cancel()

	req, err := http.NewRequestWithContext(actx, method, u, http.NoBody)
	if err != nil {
		return nil, fmt.Errorf("%s %s: building request: %w", method, path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if c.cfg.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}

	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportFailure(actx, method, path, err)
	}
	defer func() { _ = resp.Body.Close() }() // a read-only body: nothing to learn from closing it

	requestID := resp.Header.Get(requestIDHeader)
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorResponseBytes))
		// Drain a little more so the connection can be reused; a huge error
		// body is not worth it and the connection is dropped instead.
		_, _ = io.CopyN(io.Discard, resp.Body, maxErrorResponseBytes)
		typ, msg, envelope := parseErrorBody(body)
		return nil, &APIError{
			StatusCode:  resp.StatusCode,
			Method:      method,
			Path:        path,
			APIEnvelope: envelope,
			Type:        c.log.scrub(typ),
			Message:     c.log.scrub(msg),
			RequestID:   c.log.scrub(sanitize(requestID, 200)),
			RetryAfter:  parseRetryAfter(resp.Header.Get("Retry-After"), c.clock.Now()),
		}
	}

	if resp.ContentLength > c.maxBody {
		return nil, &transportError{method: method, path: path, kind: KindUnexpectedResponse,
			err: fmt.Errorf("response body of %d bytes exceeds the %d byte limit", resp.ContentLength, c.maxBody)}
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		// The answer was cut off: say which one, so it can be traced.
		return nil, c.transportFailure(actx, method, path, fmt.Errorf("reading the body of a %d %s answer%s: %w",
			resp.StatusCode, http.StatusText(resp.StatusCode), requestIDSuffix(sanitize(requestID, 200)), err))
	}
	if int64(len(body)) > c.maxBody {
		return nil, &transportError{method: method, path: path, kind: KindUnexpectedResponse,
			err: fmt.Errorf("response body exceeds the %d byte limit", c.maxBody)}
	}
	return &response{method: method, path: path, status: resp.StatusCode, requestID: sanitize(requestID, 200), body: body}, nil
}

// transportFailure wraps an error from sending or reading: it classifies
// it, says in words what it means and at which address, and hides the
// *url.Error wrapper, which repeats the full URL.
func (c *Client) transportFailure(actx context.Context, method, path string, err error) error {
	if ue, ok := errors.AsType[*url.Error](err); ok && ue.Err != nil {
		err = ue.Err
	}
	kind := transportKind(err)
	switch {
	case errors.Is(actx.Err(), context.DeadlineExceeded):
		err = fmt.Errorf("no complete answer within the request timeout of %s: %w", c.cfg.RequestTimeout, err)
	case kind == KindHostNotFound:
		err = fmt.Errorf("the host name of %s does not resolve: %w", c.base, err)
	case kind == KindConnectionRefused:
		err = fmt.Errorf("%s refused the connection: %w", c.base, err)
	case kind == KindTLS && isPlainHTTPAnswer(err):
		err = fmt.Errorf("%s answered in plain HTTP, not TLS: %w", c.base, err)
	case kind == KindTLS:
		err = fmt.Errorf("the TLS certificate of %s failed verification: %w", c.base, err)
	default:
		if ne, ok := errors.AsType[net.Error](err); ok && ne.Timeout() {
			err = fmt.Errorf("network timeout: %w", err)
		}
	}
	return &transportError{method: method, path: path, kind: kind, err: redactedError{err, c.log}}
}

// redactedError keeps a cause matchable with errors.Is/As while making sure
// its text never carries the API key.
type redactedError struct {
	err error
	r   redactor
}

func (e redactedError) Error() string { return e.r.scrub(e.err.Error()) }
func (e redactedError) Unwrap() error { return e.err }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + noun + "s"
}
