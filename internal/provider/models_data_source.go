package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

var _ datasource.DataSourceWithConfigure = &ModelsDataSource{}

// ModelsDataSource is the oxen_models data source: the catalog, filtered.
type ModelsDataSource struct {
	data *providerData
}

// NewModelsDataSource returns the oxen_models data source.
func NewModelsDataSource() datasource.DataSource { return &ModelsDataSource{} }

func (d *ModelsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_models"
}

func (d *ModelsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	filter := func(desc string, extra ...validator.String) schema.StringAttribute {
		return schema.StringAttribute{
			Optional:            true,
			MarkdownDescription: desc,
			Validators:          append([]validator.String{stringvalidator.LengthAtLeast(1)}, extra...),
		}
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists models of the Oxen catalog, filtered by developer, fine-tuning action, " +
			"serving provider, name search, model type, endpoint or modality. Results are sorted by id so that " +
			"plans stay stable. A filter value that matches no model gives a warning naming the values there " +
			"are, so a typo does not empty the list silently: for `developer_name` and `action` the values of the " +
			"whole catalog, for the other filters those of the models listed; a `search` or a `provider_name` " +
			"that finds nothing says so (the API publishes no list of providers to name). One API request per read; " +
			"only when `developer_name` or `action` is set and nothing matched, one more listing the whole catalog, " +
			"and with `provider_name` beside them, one more asking for `provider_name` alone, so that a misspelt " +
			"provider is told from a combination that no model has.",
		Attributes: map[string]schema.Attribute{
			"developer_name": filter("Only models of this developer, such as `Anthropic` (case-insensitive)."),
			"action":         filter("Only models that support this fine-tuning action."),
			"provider_name": filter("Only models served by this provider. Cannot be combined with `search`.",
				stringvalidator.ConflictsWith(path.MatchRoot("search"))),
			"search": filter("Only models whose name matches this text, using the hub's search."),
			"model_type": filter("Only models of this type: `base` or `custom` (case-insensitive; any other "+
				"value is an error at plan time).", stringvalidator.OneOfCaseInsensitive("base", "custom")),
			"endpoint": filter("Only models called through this endpoint, such as `/images/generate` " +
				"(case-insensitive; the leading `/` may be left out)."),
			"input_modality":  filter("Only models that accept this input modality, such as `image` (case-insensitive)."),
			"output_modality": filter("Only models that produce this output modality, such as `video` (case-insensitive)."),
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Ids of the matching models, sorted.",
			},
			// A list of a plain object type rather than a nested attribute:
			// the framework then walks a large answer through a type it
			// knows at once instead of rebuilding the nested schema for each
			// of its values.
			"models": schema.ListAttribute{
				Computed:    true,
				ElementType: types.ObjectType{AttrTypes: modelAttrTypes()},
				MarkdownDescription: "The matching models, sorted by id. Each has the attributes of the " +
					"[`oxen_model`](model.md) data source, documented there, except `raw_json` and `live_status`.",
			},
		},
	}
}

func (d *ModelsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, resp.Diagnostics.AddError)
}

func (d *ModelsDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.Append(notConfiguredDiag(modelsTypeName))
		return
	}
	var state modelsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	kept, diags := listCatalog(ctx, d.data, state)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	state.IDs = make([]string, 0, len(kept))
	state.Models = make([]modelModel, 0, len(kept))
	for _, m := range kept {
		mm, err := newModelModel(m)
		if err != nil {
			resp.Diagnostics.Append(modelDiag("the models", err))
			return
		}
		state.IDs = append(state.IDs, m.ID)
		state.Models = append(state.Models, mm)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// listCatalog sends the request an oxen_models configuration asks for and
// returns the models that pass its filters, sorted by id.
func listCatalog(ctx context.Context, data *providerData, query modelsDataSourceModel) ([]*oxen.Model, diag.Diagnostics) {
	var diags diag.Diagnostics
	f := modelFilter{
		developer:      query.DeveloperName.ValueString(),
		action:         query.Action.ValueString(),
		modelType:      query.ModelType.ValueString(),
		endpoint:       query.Endpoint.ValueString(),
		inputModality:  query.InputModality.ValueString(),
		outputModality: query.OutputModality.ValueString(),
	}
	search, providerName := query.Search.ValueString(), query.ProviderName.ValueString()

	var models []oxen.Model
	var err error
	if search != "" {
		models, err = data.client.SearchModels(ctx, search)
	} else {
		models, err = data.client.ListModels(ctx, oxen.ListFilter{
			DeveloperName: f.developer,
			Action:        f.action,
			ProviderName:  providerName,
		})
	}
	if err != nil {
		diags.Append(apiErrorDiag(data, "list models", "", err))
		return nil, diags
	}

	// The search endpoint has no filters of its own, and the list endpoint's
	// filters are cheap to re-apply, so every filter is checked here.
	kept, unmatched := f.apply(models)
	diags.Append(noMatchWarnings(ctx, data, hubMatched{search: search, providerName: providerName}, models, unmatched)...)
	slices.SortFunc(kept, func(a, b *oxen.Model) int { return strings.Compare(a.ID, b.ID) })
	return kept, diags
}

// modelFilter holds the filters applied on the provider's side. Empty
// fields match everything. Every text filter ignores case, as the hub's own
// developer_name filter does, and an endpoint may leave out its leading
// slash.
type modelFilter struct {
	developer, action, modelType, endpoint, inputModality, outputModality string
}

// filterCheck is one filter: the argument that sets it, its value and the
// values a model has for it.
type filterCheck struct {
	arg    string
	want   string
	values func(m *oxen.Model) []string
	// equal compares a model's value with the wanted one.
	equal func(have, want string) bool
	// catalogWide filters are judged against the whole catalog: the hub
	// applies them itself, so when one matches nothing the list comes back
	// empty, with no values to name.
	catalogWide bool
}

func optional(s *string) []string {
	if s == nil {
		return nil
	}
	return []string{*s}
}

// sameEndpoint compares endpoints as paths: case and a missing leading slash
// do not count, so "images/generate" finds "/images/generate".
func sameEndpoint(have, want string) bool {
	return strings.EqualFold(strings.TrimPrefix(have, "/"), strings.TrimPrefix(want, "/"))
}

// checks lists the filters that are set.
func (f modelFilter) checks() []filterCheck {
	all := []filterCheck{
		{"developer_name", f.developer, func(m *oxen.Model) []string {
			if m.Developer == nil {
				return nil
			}
			return []string{m.Developer.Name}
		}, strings.EqualFold, true},
		// Fine-tuning action names are the hub's identifiers, matched
		// exactly as its own action filter does.
		{"action", f.action, func(m *oxen.Model) []string {
			if m.FineTuning == nil {
				return nil
			}
			return m.FineTuning.Actions
		}, func(have, want string) bool { return have == want }, true},
		{"model_type", f.modelType, func(m *oxen.Model) []string { return optional(m.ModelType) }, strings.EqualFold, false},
		{"endpoint", f.endpoint, func(m *oxen.Model) []string { return optional(m.Endpoint) }, sameEndpoint, false},
		{"input_modality", f.inputModality, func(m *oxen.Model) []string {
			if m.Capabilities == nil {
				return nil
			}
			return m.Capabilities.Input
		}, strings.EqualFold, false},
		{"output_modality", f.outputModality, func(m *oxen.Model) []string {
			if m.Capabilities == nil {
				return nil
			}
			return m.Capabilities.Output
		}, strings.EqualFold, false},
	}
	set := all[:0]
	for _, c := range all {
		if c.want != "" {
			set = append(set, c)
		}
	}
	return set
}

func (c filterCheck) matches(m *oxen.Model) bool {
	return slices.ContainsFunc(c.values(m), func(have string) bool { return c.equal(have, c.want) })
}

// apply returns the models that pass every filter, and the filters that
// none of them passes on its own.
func (f modelFilter) apply(models []oxen.Model) (kept []*oxen.Model, unmatched []filterCheck) {
	checks := f.checks()
	kept = make([]*oxen.Model, 0, len(models))
	matched := make([]bool, len(checks))
	for i := range models {
		m := &models[i]
		all := true
		for j, c := range checks {
			if c.matches(m) {
				matched[j] = true
			} else {
				all = false
			}
		}
		if all {
			kept = append(kept, m)
		}
	}
	for j, c := range checks {
		if !matched[j] {
			unmatched = append(unmatched, c)
		}
	}
	return kept, unmatched
}

// hubMatched are the arguments that only the hub can match: a model
// carries no value of them to compare or to name.
type hubMatched struct {
	search, providerName string
}

// foundNothing warns of the hub-matched arguments that explain an empty
// list. Beside developer_name or action, provider_name may be only one half
// of a combination that matches nothing, so the hub is asked once more, for
// provider_name alone, and it warns only if that finds nothing either.
func (h hubMatched) foundNothing(ctx context.Context, data *providerData, unmatched []filterCheck) diag.Diagnostics {
	var diags diag.Diagnostics
	if h.search != "" {
		diags.AddAttributeWarning(path.Root("search"), "No model matches search = "+strconv.Quote(h.search),
			fmt.Sprintf("The hub's search found no model for %q, so ids and models are empty. %s", h.search, checkSpelling))
	}
	if h.providerName == "" {
		return diags
	}
	summary := "No model matches provider_name = " + strconv.Quote(h.providerName)
	if slices.ContainsFunc(unmatched, func(c filterCheck) bool { return c.catalogWide }) {
		served, err := data.client.ListModels(ctx, oxen.ListFilter{ProviderName: h.providerName})
		if err != nil {
			diags.AddAttributeWarning(path.Root("provider_name"), summary,
				fmt.Sprintf("The hub lists no model served by %q with the other filters, so ids and models are empty, "+
					"and it could not be asked for provider_name alone: %s\n\n%s", h.providerName, err, checkSpelling))
			return diags
		}
		if len(served) > 0 {
			return diags // a provider of the catalog, in a combination that matches nothing
		}
	}
	diags.AddAttributeWarning(path.Root("provider_name"), summary,
		fmt.Sprintf("The hub lists no model served by %q, so ids and models are empty. The API does not publish "+
			"the names of the providers, so none can be suggested here. %s", h.providerName, checkSpelling))
	return diags
}

const checkSpelling = "Check the spelling: a for_each over this list plans to destroy every instance it made."

// noMatchWarnings warns of each filter value that matches nothing: a
// misspelt value would otherwise empty the list without a word, and a
// for_each over it would plan to destroy everything made from it. A
// catalog-wide filter is judged against the whole catalog, listed once and
// only when one of them left the list empty; the others against the models
// listed, which cannot tell a typo from a value when nothing was listed. A
// search or a provider_name is the hub's to match: it warns only when the
// hub found nothing (see foundNothing).
func noMatchWarnings(ctx context.Context, data *providerData, hub hubMatched, listed []oxen.Model, unmatched []filterCheck) diag.Diagnostics {
	var diags diag.Diagnostics
	if len(listed) == 0 {
		diags.Append(hub.foundNothing(ctx, data, unmatched)...)
	}
	var catalog []oxen.Model
	var catalogErr error
	listWhole := sync.OnceFunc(func() { catalog, catalogErr = data.client.ListModels(ctx, oxen.ListFilter{}) })
	for _, c := range unmatched {
		pool, where := listed, "listed"
		if c.catalogWide {
			listWhole()
			if catalogErr != nil {
				diags.AddAttributeWarning(path.Root(c.arg), "No model matches "+c.arg+" = "+strconv.Quote(c.want),
					fmt.Sprintf("No model listed has %s %q, so ids and models are empty, and the catalog could not be "+
						"listed to name the values it has: %s\n\n%s", c.arg, c.want, catalogErr, checkSpelling))
				continue
			}
			pool, where = catalog, "of the catalog"
			if slices.ContainsFunc(pool, func(m oxen.Model) bool { return c.matches(&m) }) {
				continue // a value of the catalog, in a combination that matches nothing
			}
		}
		if len(pool) > 0 {
			diags.AddAttributeWarning(path.Root(c.arg), "No model matches "+c.arg+" = "+strconv.Quote(c.want),
				noMatchDetail(c, pool, where, data.hasAPIKey))
		}
	}
	return diags
}

// maxListedValues bounds the values a warning lists, for a large catalog.
const maxListedValues = 20

// noMatchDetail says that none of models has c's value, where they come
// from ("listed", "of the catalog") and which values they have.
func noMatchDetail(c filterCheck, models []oxen.Model, where string, hasAPIKey bool) string {
	seen := map[string]bool{}
	for i := range models {
		for _, v := range c.values(&models[i]) {
			seen[v] = true
		}
	}
	values := slices.Sorted(maps.Keys(seen))
	var b strings.Builder
	fmt.Fprintf(&b, "None of the %d models %s has %s %q, so ids and models are empty. ", len(models), where, c.arg, c.want)
	switch {
	case len(values) == 0:
		fmt.Fprintf(&b, "None of them has any %s.", c.arg)
	default:
		quoted := make([]string, 0, min(len(values), maxListedValues))
		for _, v := range values[:min(len(values), maxListedValues)] {
			quoted = append(quoted, strconv.Quote(v))
		}
		fmt.Fprintf(&b, "The values they have: %s", strings.Join(quoted, ", "))
		if n := len(values) - maxListedValues; n > 0 {
			fmt.Fprintf(&b, " and %d more", n)
		}
		b.WriteString(".")
	}
	if c.arg == "model_type" && strings.EqualFold(c.want, "custom") && !hasAPIKey {
		b.WriteString(" Custom models are listed only to a caller with an API key: set api_key or " + envAPIKey + ".")
	}
	b.WriteString(" " + checkSpelling)
	return b.String()
}
