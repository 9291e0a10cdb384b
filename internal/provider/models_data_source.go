package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

var _ datasource.DataSourceWithConfigure = &ModelsDataSource{}

// ModelsDataSource is the oxen_models data source: the catalog, filtered.
type ModelsDataSource struct {
	data *providerData
}

// NewModelsDataSource returns the oxen_models data source.
func NewModelsDataSource() datasource.DataSource { return &ModelsDataSource{} }

type modelsDataSourceModel struct {
	DeveloperName  types.String `tfsdk:"developer_name"`
	Action         types.String `tfsdk:"action"`
	ProviderName   types.String `tfsdk:"provider_name"`
	Search         types.String `tfsdk:"search"`
	ModelType      types.String `tfsdk:"model_type"`
	Endpoint       types.String `tfsdk:"endpoint"`
	InputModality  types.String `tfsdk:"input_modality"`
	OutputModality types.String `tfsdk:"output_modality"`
	IDs            types.List   `tfsdk:"ids"`
	Models         types.List   `tfsdk:"models"`
}

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
			"plans stay stable. One API request per read.",
		Attributes: map[string]schema.Attribute{
			"developer_name": filter("Only models of this developer, such as `Anthropic` (case-insensitive)."),
			"action":         filter("Only models that support this fine-tuning action."),
			"provider_name": filter("Only models served by this provider. Cannot be combined with `search`.",
				stringvalidator.ConflictsWith(path.MatchRoot("search"))),
			"search":          filter("Only models whose name matches this text, using the hub's search."),
			"model_type":      filter("Only models of this type: `base` or `custom`."),
			"endpoint":        filter("Only models called through this endpoint, such as `/images/generate`."),
			"input_modality":  filter("Only models that accept this input modality, such as `image`."),
			"output_modality": filter("Only models that produce this output modality, such as `video`."),
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.StringType,
				MarkdownDescription: "Ids of the matching models, sorted.",
			},
			// A list of a plain object type rather than a nested attribute:
			// the framework then walks a 5,000-model answer through a type it
			// knows at once instead of rebuilding the nested schema for each
			// of its values, which made catalog reads several times slower.
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
	var cfg modelsDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() {
		return
	}

	var models []oxen.Model
	var err error
	if search := cfg.Search.ValueString(); search != "" {
		models, err = d.data.client.SearchModels(ctx, search)
	} else {
		models, err = d.data.client.ListModels(ctx, oxen.ListFilter{
			DeveloperName: cfg.DeveloperName.ValueString(),
			Action:        cfg.Action.ValueString(),
			ProviderName:  cfg.ProviderName.ValueString(),
		})
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(d.data, "list models", "", err))
		return
	}

	// The search endpoint has no filters of its own, and the list endpoint's
	// filters are cheap to re-apply, so every filter is checked here.
	f := modelFilter{
		developer:      cfg.DeveloperName.ValueString(),
		action:         cfg.Action.ValueString(),
		modelType:      cfg.ModelType.ValueString(),
		endpoint:       cfg.Endpoint.ValueString(),
		inputModality:  cfg.InputModality.ValueString(),
		outputModality: cfg.OutputModality.ValueString(),
	}
	kept := make([]*oxen.Model, 0, len(models))
	for i := range models {
		if f.matches(&models[i]) {
			kept = append(kept, &models[i])
		}
	}
	slices.SortFunc(kept, func(a, b *oxen.Model) int { return strings.Compare(a.ID, b.ID) })

	ids := make([]tftypes.Value, len(kept))
	objs := make([]tftypes.Value, len(kept))
	for i, m := range kept {
		vals, diags := modelValues(m)
		resp.Diagnostics.Append(diags...)
		if resp.Diagnostics.HasError() {
			return
		}
		ids[i] = tftypes.NewValue(tftypes.String, m.ID)
		objs[i] = tftypes.NewValue(modelTFTypes().object, vals)
	}
	vals, err := configValues(req.Config)
	if err != nil {
		resp.Diagnostics.AddError("Could not read the configuration", "This is a bug in the provider; please report it: "+err.Error())
		return
	}
	vals["ids"] = tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, ids)
	vals["models"] = tftypes.NewValue(tftypes.List{ElementType: modelTFTypes().object}, objs)
	setState(ctx, &resp.State, vals)
}

// modelFilter holds the filters applied on the provider's side. Empty
// fields match everything.
type modelFilter struct {
	developer, action, modelType, endpoint, inputModality, outputModality string
}

func (f modelFilter) matches(m *oxen.Model) bool {
	if f.developer != "" && (m.Developer == nil || !strings.EqualFold(m.Developer.Name, f.developer)) {
		return false
	}
	if f.action != "" && (m.FineTuning == nil || !slices.Contains(m.FineTuning.Actions, f.action)) {
		return false
	}
	if f.modelType != "" && (m.ModelType == nil || *m.ModelType != f.modelType) {
		return false
	}
	if f.endpoint != "" && (m.Endpoint == nil || *m.Endpoint != f.endpoint) {
		return false
	}
	if f.inputModality != "" && (m.Capabilities == nil || !slices.Contains(m.Capabilities.Input, f.inputModality)) {
		return false
	}
	if f.outputModality != "" && (m.Capabilities == nil || !slices.Contains(m.Capabilities.Output, f.outputModality)) {
		return false
	}
	return true
}
