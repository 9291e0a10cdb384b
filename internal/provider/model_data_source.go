package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

var _ datasource.DataSourceWithConfigure = &ModelDataSource{}

// ModelDataSource is the oxen_model data source: one model by id.
type ModelDataSource struct {
	data *providerData
}

// NewModelDataSource returns the oxen_model data source.
func NewModelDataSource() datasource.DataSource { return &ModelDataSource{} }

func (d *ModelDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model"
}

func (d *ModelDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	attrs := modelSchemaAttributes()
	attrs["id"] = schema.StringAttribute{
		Required:            true,
		MarkdownDescription: "The model's name (such as `claude-sonnet-4-6`) or its UUID.",
		Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
	}
	attrs["live_status"] = schema.BoolAttribute{
		Optional: true,
		MarkdownDescription: "When `true`, the hub refreshes the deployment status from the serving backend " +
			"before answering (`deployment_status=live`), so `status` is current rather than cached. Defaults to `false`.",
	}
	attrs["raw_json"] = schema.StringAttribute{
		Computed:   true,
		CustomType: jsontypes.NormalizedType{},
		MarkdownDescription: "The whole model object as the API returned it, as normalized JSON. Fields this " +
			"provider does not type yet are reachable with `jsondecode(data.oxen_model.x.raw_json).field`.",
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: "Looks up one model of the Oxen catalog by name or UUID: its endpoint, capabilities, " +
			"pricing, fine-tuning options, deployment status and the JSON Schema of its request parameters. " +
			"Data sources that name the same model with the same options share one API request per run; " +
			"with `live_status = true` every read asks the API, and a read after this provider activated or " +
			"deactivated the model never returns an answer from before that change.",
		Attributes: attrs,
	}
}

func (d *ModelDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, resp.Diagnostics.AddError)
}

func (d *ModelDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	if d.data == nil {
		resp.Diagnostics.Append(notConfiguredDiag(modelTypeName))
		return
	}
	var state modelDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m, raw, diags := getModel(ctx, d.data, state.ID.ValueString(), state.LiveStatus.ValueBool())
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	mm, err := newModelModel(m)
	if err != nil {
		resp.Diagnostics.Append(modelDiag("the model", err))
		return
	}
	// The id stays as the user wrote it (a UUID stays a UUID), so the
	// configuration and the state always agree.
	mm.ID = state.ID
	state.modelModel = mm
	state.RawJSON = jsontypes.NewNormalizedValue(raw)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// getModel is the API's answer for one oxen_model read, with the whole
// object as normalized JSON for raw_json.
func getModel(ctx context.Context, data *providerData, id string, live bool) (*oxen.Model, string, diag.Diagnostics) {
	var diags diag.Diagnostics
	m, err := data.client.GetModel(ctx, id, oxen.GetOptions{Live: live, Shared: true})
	if err != nil {
		diags.Append(apiErrorDiag(data, "read model", id, err))
		return nil, "", diags
	}
	raw, err := normalizeJSON(m.Raw)
	if err != nil {
		diags.AddError("Unreadable model", "The API's answer for model "+id+" is not valid JSON: "+err.Error())
		return nil, "", diags
	}
	return m, raw, diags
}

// notConfiguredDiag is the error of a read before the provider's Configure.
func notConfiguredDiag(typeName string) diag.Diagnostic {
	return diag.NewErrorDiagnostic("Provider not configured", typeName+" was read before the provider was configured. "+
		"This is a bug in the provider or in Terraform; please report it.")
}
