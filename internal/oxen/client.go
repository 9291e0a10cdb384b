package oxen

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// DefaultBaseURL is the Oxen hub.
const DefaultBaseURL = "https://hub.oxen.ai"

// Config configures a Client.
type Config struct {
	// BaseURL is the hub's root URL, such as https://hub.oxen.ai. See ParseBaseURL.
	BaseURL string
	// APIKey is sent as a bearer token. Empty means unauthenticated requests.
	APIKey string
	// RequestTimeout bounds one HTTP attempt (not the retries). Zero means 60s.
	RequestTimeout time.Duration
	// MaxRetries is how many times a request is retried after the first
	// attempt on 429, 5xx and network errors.
	MaxRetries int
	// UserAgent is sent on every request.
	UserAgent string
	// Logger receives one entry per request and per response, with the
	// Authorization header masked. Nil means no logging.
	Logger Logger
	// HTTPClient is the transport to use; nil means a fresh one.
	HTTPClient *http.Client
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
	// backend before answering (deployment_status=live).
	Live bool
}

// Client talks to the Oxen models API.
type Client struct {
	cfg Config
}

var errNotImplemented = errors.New("not implemented")

// New returns a client for cfg, or an error naming what is wrong with it.
func New(cfg Config) (*Client, error) { return &Client{cfg: cfg}, nil }

// ListModels returns the catalog, filtered server-side by f.
func (c *Client) ListModels(ctx context.Context, f ListFilter) ([]Model, error) {
	return nil, errNotImplemented
}

// SearchModels returns the models whose names match query.
func (c *Client) SearchModels(ctx context.Context, query string) ([]Model, error) {
	return nil, errNotImplemented
}

// GetModel returns one model by name or UUID.
func (c *Client) GetModel(ctx context.Context, id string, opts GetOptions) (*Model, error) {
	return nil, errNotImplemented
}

// ActivateModel asks the hub to start the custom model's deployment.
func (c *Client) ActivateModel(ctx context.Context, id string) (*Model, error) {
	return nil, errNotImplemented
}

// DeactivateModel asks the hub to stop the custom model's deployment.
func (c *Client) DeactivateModel(ctx context.Context, id string) (*Model, error) {
	return nil, errNotImplemented
}
