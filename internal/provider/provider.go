// Package provider is the Oxen Terraform provider: schemas, and the mapping
// between Oxen API objects and Terraform values. All HTTP lives in
// internal/oxen.
package provider

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// Environment variables read when the provider block leaves a setting out.
const (
	envAPIKey  = "OXEN_API_KEY"
	envBaseURL = "OXEN_BASE_URL"
)

// maxRetriesRange bounds max_retries: twenty retries with backoff already
// wait for minutes.
var maxRetriesRange = wholeNumberBetween{0, 20}

// Defaults and bounds of the provider's tuning settings.
const (
	defaultRequestTimeout = 60 * time.Second
	minRequestTimeout     = time.Second
	maxRequestTimeout     = 30 * time.Minute
	defaultMaxRetries     = 5
	defaultPollInterval   = 10 * time.Second
	minPollInterval       = time.Second
	maxPollInterval       = 10 * time.Minute
)

var (
	_ provider.Provider              = &OxenProvider{}
	_ provider.ProviderWithFunctions = &OxenProvider{}
)

// OxenProvider is the oxen provider.
type OxenProvider struct {
	version string
	// clock drives every wait; tests swap in a fake one.
	clock clock.Clock
	// locks keeps two resources that name the same model from racing.
	locks *modelLocks
	// configured is what Configure handed to data sources, for the fast
	// path that reads them (data_source_protocol.go).
	configured atomic.Pointer[providerData]
}

// New returns a constructor of the provider, as providerserver expects.
func New(version string) func() provider.Provider {
	return func() provider.Provider { return newProvider(version) }
}

func newProvider(version string) *OxenProvider {
	return &OxenProvider{version: version, clock: clock.Real(), locks: newModelLocks()}
}

func (p *OxenProvider) dataSourceData() *providerData { return p.configured.Load() }

// providerModel is the provider block.
type providerModel struct {
	APIKey         types.String `tfsdk:"api_key"`
	BaseURL        types.String `tfsdk:"base_url"`
	RequestTimeout types.String `tfsdk:"request_timeout"`
	MaxRetries     types.Number `tfsdk:"max_retries"`
	PollInterval   types.String `tfsdk:"poll_interval"`
}

// providerData is what Configure hands to data sources and resources.
type providerData struct {
	client    *oxen.Client
	hasAPIKey bool
	// baseURL and baseURLSource (where it was set) let advice point at
	// the setting to fix.
	baseURL       string
	baseURLSource string
	pollInterval  time.Duration
	clock         clock.Clock
	locks         *modelLocks
}

func (p *OxenProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "oxen"
	resp.Version = p.version
}

func (p *OxenProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The Oxen provider looks up models of [Oxen](https://www.oxen.ai)'s hosted model API " +
			"(ids, pricing, request schemas, capabilities) and keeps custom fine-tuned model deployments active " +
			"or stopped. Every setting can be left out: the key and URL are then read from the environment. " +
			"Identical `oxen_model` look-ups in one run (same `id`, no `live_status`) share one API request; " +
			"`live_status` look-ups and the resource's reads always ask the API, and no look-up made after this " +
			"provider activated or deactivated a model returns an answer from before.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "Oxen API key, sent as a bearer token. Defaults to the `" + envAPIKey + "` environment " +
					"variable. Whitespace around the key (such as the line break that ends `file(\"key.txt\")`) is removed. " +
					"Catalog look-ups of base models work without a key; custom models and activation need one. " +
					"The key never appears in logs, plans, state or error messages.",
				Optional:  true,
				Sensitive: true,
			},
			"base_url": schema.StringAttribute{
				MarkdownDescription: "Root URL of the Oxen hub. Defaults to the `" + envBaseURL + "` environment variable, " +
					"then to `" + oxen.DefaultBaseURL + "`. A path prefix (for a proxy) is kept; the provider adds `/api/ai/models` " +
					"itself, so a URL that ends in `/api` is refused. A 404 that is not the API's own \"Model not found\" " +
					"answer (a proxy's page, say) is reported as a wrong `base_url` with the path sent, never as a missing " +
					"model. A host name that does not resolve, " +
					"or a TLS certificate this machine does not trust, fails at once; a refused connection is retried " +
					"for at most 10 seconds. Such errors name `base_url` and the address tried.",
				Optional:   true,
				Validators: []validator.String{baseURLValid{}},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Time limit of one HTTP attempt, as a duration such as `\"30s\"`. "+
					"Retries get a fresh limit each. Defaults to `\"%s\"`; between `%s` and `%s`.",
					shortDuration(defaultRequestTimeout), shortDuration(minRequestTimeout), shortDuration(maxRequestTimeout)),
				Optional:   true,
				Validators: []validator.String{durationBetween{minRequestTimeout, maxRequestTimeout}},
			},
			"max_retries": schema.NumberAttribute{
				MarkdownDescription: fmt.Sprintf("How many times a request is retried after a rate limit (429), "+
					"a server error (5xx) or a network error (a reset, a timeout, an answer cut off), with exponential "+
					"backoff and jitter, honouring `Retry-After`. Errors that no retry can fix are not retried. "+
					"A whole number between `%d` and `%d`; defaults to `%d`; `0` disables retries.",
					maxRetriesRange.min, maxRetriesRange.max, defaultMaxRetries),
				Optional:   true,
				Validators: []validator.Number{maxRetriesRange},
			},
			"poll_interval": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("The longest pause between two status polls while waiting for a "+
					"deployment to settle. Polling starts at about one second and backs off to this value. "+
					"Defaults to `\"%s\"`; between `%s` and `%s`.",
					shortDuration(defaultPollInterval), shortDuration(minPollInterval), shortDuration(maxPollInterval)),
				Optional:   true,
				Validators: []validator.String{durationBetween{minPollInterval, maxPollInterval}},
			},
		},
	}
}

func (p *OxenProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var cfg providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// Sorted by name, so the messages come in the same order on every run.
	for _, setting := range []struct {
		name string
		v    interface{ IsUnknown() bool }
	}{
		{"api_key", cfg.APIKey}, {"base_url", cfg.BaseURL}, {"max_retries", cfg.MaxRetries},
		{"poll_interval", cfg.PollInterval}, {"request_timeout", cfg.RequestTimeout},
	} {
		if setting.v.IsUnknown() {
			resp.Diagnostics.AddAttributeError(path.Root(setting.name), "Provider setting not known yet",
				"The provider's "+setting.name+" depends on a value that is only known after apply. "+
					"Set it from a variable, a literal or the environment instead.")
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// A key read with file() ends in a line break: whitespace around the
	// key is never part of it.
	apiKey := stringOr(cfg.APIKey, os.Getenv(envAPIKey))
	baseURL, baseURLSource := stringOr(cfg.BaseURL, ""), "set in the provider block"
	if baseURL == "" {
		baseURL, baseURLSource = os.Getenv(envBaseURL), "from "+envBaseURL
	}
	if baseURL == "" {
		baseURL, baseURLSource = oxen.DefaultBaseURL, "the default"
	}
	parsedBaseURL, err := oxen.ParseBaseURL(baseURL)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("base_url"), "Invalid base_url", fmt.Sprintf(
			"%s\n\nThe value came from the provider block or the %s environment variable.", baseURLErrorDetail(err), envBaseURL))
		return
	}
	requestTimeout, err := durationSetting(cfg.RequestTimeout, defaultRequestTimeout, minRequestTimeout, maxRequestTimeout)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("request_timeout"), "Invalid request_timeout", err.Error())
	}
	pollInterval, err := durationSetting(cfg.PollInterval, defaultPollInterval, minPollInterval, maxPollInterval)
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("poll_interval"), "Invalid poll_interval", err.Error())
	}
	maxRetries := int64(defaultMaxRetries)
	if !cfg.MaxRetries.IsNull() {
		if maxRetries, err = maxRetriesRange.read("max_retries", cfg.MaxRetries.ValueBigFloat()); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("max_retries"), "Invalid max_retries", err.Error())
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	client, err := oxen.New(oxen.Config{
		BaseURL:        baseURL,
		APIKey:         apiKey,
		RequestTimeout: requestTimeout,
		MaxRetries:     int(maxRetries),
		UserAgent:      userAgent(p.version, req.TerraformVersion),
		Logger:         tflogLogger{secret: apiKey},
		Clock:          p.clock,
	})
	if errors.Is(err, oxen.ErrInvalidAPIKey) {
		// Not an attribute error: Terraform would quote the configuration
		// line, and with it the key.
		resp.Diagnostics.AddError("Invalid api_key", fmt.Sprintf(
			"From the provider block or the %s environment variable: %s.\n\n"+
				"Check that it holds the key alone, on one line.", envAPIKey, err))
		return
	}
	if err != nil {
		resp.Diagnostics.AddError("Could not set up the Oxen API client", err.Error())
		return
	}
	data := &providerData{
		client:        client,
		hasAPIKey:     apiKey != "",
		baseURL:       parsedBaseURL.String(),
		baseURLSource: baseURLSource,
		pollInterval:  pollInterval,
		clock:         p.clock,
		locks:         p.locks,
	}
	resp.DataSourceData = data
	resp.ListResourceData = data
	resp.ActionData = data
	resp.ResourceData = data
	p.configured.Store(data)
}

func (p *OxenProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewModelDataSource,
		NewModelsDataSource,
	}
}

func (p *OxenProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewModelActivationResource,
	}
}

func (p *OxenProvider) Functions(context.Context) []func() function.Function {
	return []func() function.Function{NewEstimateCostFunction}
}

func userAgent(version, terraformVersion string) string {
	ua := "terraform-provider-oxen/" + version
	if terraformVersion != "" {
		ua += " Terraform/" + terraformVersion
	}
	return ua
}

// stringOr is v without surrounding whitespace, or the trimmed fallback
// when that leaves nothing: a blank setting in the block (a key file
// holding an empty line) must not hide the environment variable.
func stringOr(v types.String, fallback string) string {
	if s := strings.TrimSpace(v.ValueString()); s != "" {
		return s
	}
	return strings.TrimSpace(fallback)
}

func durationSetting(v types.String, def, lo, hi time.Duration) (time.Duration, error) {
	if v.IsNull() {
		return def, nil
	}
	return parseDuration(v.ValueString(), lo, hi)
}

// shortDuration prints 60s as "60s" rather than "1m0s", for docs.
func shortDuration(d time.Duration) string {
	switch {
	case d%time.Hour == 0:
		return fmt.Sprintf("%dh", d/time.Hour)
	case d%time.Minute == 0 && d >= 10*time.Minute:
		return fmt.Sprintf("%dm", d/time.Minute)
	default:
		return fmt.Sprintf("%ds", d/time.Second)
	}
}

// configuredData extracts the providerData handed to a data source or
// resource, reporting a provider bug in diags when it is of the wrong type.
func configuredData(raw any, addError func(summary, detail string)) *providerData {
	if raw == nil {
		return nil
	}
	data, ok := raw.(*providerData)
	if !ok {
		addError("Unexpected provider data", fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", raw))
		return nil
	}
	return data
}
