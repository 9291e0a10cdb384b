package provider

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/list/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// deploymentStatuses are the statuses the hub documents, as the list
// resource's statuses argument accepts them.
var deploymentStatuses = []string{
	oxen.StatusActive, oxen.StatusDeploying, oxen.StatusDeactivating,
	oxen.StatusInactive, oxen.StatusError, oxen.StatusUnknown,
}

var _ list.ListResourceWithConfigure = &ModelActivationListResource{}

// ModelActivationListResource is the list resource oxen_model_activation:
// `terraform query` finds the deployments of custom models, so that the
// ones made by hand can be imported with a generated configuration.
type ModelActivationListResource struct {
	data *providerData
}

// NewModelActivationListResource returns the oxen_model_activation list resource.
func NewModelActivationListResource() list.ListResource { return &ModelActivationListResource{} }

// modelActivationListConfig is the config block of a list block.
type modelActivationListConfig struct {
	Statuses []string     `tfsdk:"statuses"`
	Search   types.String `tfsdk:"search"`
}

func (r *ModelActivationListResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_activation"
}

func (r *ModelActivationListResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, resp.Diagnostics.AddError)
}

func (r *ModelActivationListResource) ListResourceConfigSchema(_ context.Context, _ list.ListResourceSchemaRequest, resp *list.ListResourceSchemaResponse) {
	quoted := make([]string, len(deploymentStatuses))
	for i, s := range deploymentStatuses {
		quoted[i] = "`" + s + "`"
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Finds the deployments of the custom models the API key can see, for `terraform query` " +
			"(Terraform 1.14+), so that deployments made by hand in the hub can be imported with a generated " +
			"configuration. One result per custom model, sorted by model id, with the identity `{ model_id }` and a " +
			"display name with the model and its status; base models have no deployment and are never listed. With " +
			"`include_resource = true` (and always with `-generate-config-out`) each result carries the " +
			"`oxen_model_activation` exactly as `import` reads it: `active = true` only for a deployment that is " +
			"`active` or `deploying`, so a generated configuration never starts, restarts or retries a deployment. " +
			"Each status is read live from the serving backend, up to four models at a time; `limit` stops the reads " +
			"once that many results are found.",
		Attributes: map[string]schema.Attribute{
			"statuses": schema.ListAttribute{
				ElementType: types.StringType,
				Optional:    true,
				MarkdownDescription: "Only deployments in one of these statuses: " + strings.Join(quoted, ", ") + ". " +
					"A model that was never deployed counts as `inactive`. Left out, every status is listed.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.ValueStringsAre(stringvalidator.OneOf(deploymentStatuses...)),
				},
			},
			"search": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Only models that the hub's search endpoint (`GET /api/ai/models/search`) finds for " +
					"this text, which it matches against model names.",
				Validators: []validator.String{
					stringvalidator.RegexMatches(regexp.MustCompile(`\S`), "must not be blank"),
				},
			},
		},
	}
}

// List streams one result per custom model, reading each one's status live
// only as results are taken, so a small limit costs few requests.
func (r *ModelActivationListResource) List(ctx context.Context, req list.ListRequest, stream *list.ListResultsStream) {
	var cfg modelActivationListConfig
	diags := req.Config.Get(ctx, &cfg)
	if r.data == nil {
		diags.Append(unconfiguredDiag("oxen_model_activation list"))
	}
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}
	client := r.data.client

	var (
		catalog []oxen.Model
		err     error
		doing   = "list models"
	)
	if cfg.Search.IsNull() {
		catalog, err = client.ListModels(ctx, oxen.ListFilter{})
	} else {
		doing = fmt.Sprintf("search models for %q", cfg.Search.ValueString())
		catalog, err = client.SearchModels(ctx, cfg.Search.ValueString())
	}
	if err != nil {
		stream.Results = list.ListResultsStreamDiagnostics(diag.Diagnostics{apiErrorDiag(r.data, doing, "", err)})
		return
	}
	custom := slices.DeleteFunc(catalog, func(m oxen.Model) bool { return m.IsBase() })
	slices.SortFunc(custom, func(a, b oxen.Model) int { return strings.Compare(a.ID, b.ID) })

	nullTimeouts, diags := nullTimeoutsOf(ctx, req)
	if diags.HasError() {
		stream.Results = list.ListResultsStreamDiagnostics(diags)
		return
	}

	stream.Results = func(push func(list.ListResult) bool) {
		ctx, cancel := context.WithCancel(ctx)
		defer cancel() // a stream stopped early leaves no read running
		reads := newStatusReader(ctx, client, custom)
		var found int64
		for i, listed := range custom {
			if found >= req.Limit {
				return
			}
			m, err := reads.get(i, req.Limit-found)
			if oxen.IsNotFound(err) {
				continue // deleted since it was listed: nothing left to adopt
			}
			if err != nil {
				push(list.ListResult{Diagnostics: diag.Diagnostics{apiErrorDiag(r.data, "read model", listed.ID, err)}})
				return
			}
			status := deploymentStatus(m)
			if cfg.Statuses != nil && !slices.Contains(cfg.Statuses, status) {
				continue
			}
			found++
			if !push(r.result(ctx, req, m, status, nullTimeouts)) {
				return
			}
		}
		if found == 0 && !r.data.hasAPIKey {
			var d diag.Diagnostics
			d.AddWarning("No custom models listed: no API key is configured",
				"Custom models are visible only with a key of the account that owns them, and requests without one "+
					"see base models alone, which have no deployment to list. Set the "+envAPIKey+" environment variable, "+
					"or api_key in the provider block.")
			push(list.ListResult{Diagnostics: d})
		}
	}
}

// liveReadsAhead is how many live status reads the list keeps in flight, so
// that a query over many custom models waits about one round trip per
// liveReadsAhead models rather than one per model. It stays small: each
// read asks the serving backend for the deployment's status.
const liveReadsAhead = 4

// statusReader reads the live status of listed models ahead of the stream,
// and hands them out in the list's order.
type statusReader struct {
	ctx     context.Context
	client  *oxen.Client
	models  []oxen.Model
	results []chan liveRead
	started int
}

type liveRead struct {
	model *oxen.Model
	err   error
}

func newStatusReader(ctx context.Context, client *oxen.Client, models []oxen.Model) *statusReader {
	return &statusReader{ctx: ctx, client: client, models: models, results: make([]chan liveRead, len(models))}
}

// get waits for the live read of model i, first starting the reads that
// follow it, never more than wanted (the results the stream still needs):
// each of those reads would be sent one at a time too, so the list sends
// the same requests as a loop that reads one model after the other.
func (l *statusReader) get(i int, wanted int64) (*oxen.Model, error) {
	for l.started < len(l.models) && int64(l.started-i) < min(liveReadsAhead, wanted) {
		ch, id := make(chan liveRead, 1), l.models[l.started].ID
		l.results[l.started] = ch
		go func() {
			m, err := l.client.GetModel(l.ctx, id, oxen.GetOptions{Live: true})
			ch <- liveRead{m, err}
		}()
		l.started++
	}
	r := <-l.results[i]
	return r.model, r.err
}

// result is the list result of custom model m, whose deployment is in status.
func (r *ModelActivationListResource) result(ctx context.Context, req list.ListRequest, m *oxen.Model, status string, nullTimeouts timeouts.Value) list.ListResult {
	result := req.NewListResult(ctx)
	result.DisplayName = fmt.Sprintf("%s (%s)", m.ID, status)
	result.Diagnostics.Append(result.Identity.Set(ctx, modelActivationIdentity{ModelID: types.StringValue(m.ID)})...)
	if req.IncludeResource {
		// What import followed by a refresh records: the same reading, from
		// a state that holds nothing yet.
		state := modelActivationModel{Timeouts: nullTimeouts}
		state.readFrom(ctx, m, &result.Diagnostics)
		result.Diagnostics.Append(result.Resource.Set(ctx, &state)...)
	}
	return result
}

// nullTimeoutsOf is the resource's timeouts block left out, as import
// leaves it.
func nullTimeoutsOf(ctx context.Context, req list.ListRequest) (timeouts.Value, diag.Diagnostics) {
	typ, diags := req.ResourceSchema.TypeAtPath(ctx, path.Root("timeouts"))
	if diags.HasError() {
		return timeouts.Value{}, diags
	}
	t, ok := typ.(timeouts.Type)
	if !ok {
		diags.AddError("Unexpected timeouts type", fmt.Sprintf("The resource's timeouts block has type %T. "+
			"This is a bug in the provider; please report it.", typ))
		return timeouts.Value{}, diags
	}
	return timeouts.Value{Object: types.ObjectNull(t.AttrTypes)}, diags
}

// unconfiguredDiag is the error of a list or an action run before the
// provider's Configure, which Terraform never does.
func unconfiguredDiag(what string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider not configured", "The "+what+" ran before the provider was configured. "+
		"This is a bug in the provider or in Terraform; please report it.")
}
