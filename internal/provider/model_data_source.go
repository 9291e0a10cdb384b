package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

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
			"One API request per read.",
		Attributes: attrs,
	}
}

func (d *ModelDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, resp.Diagnostics.AddError)
}

func (d *ModelDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var id types.String
	var live types.Bool
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("id"), &id)...)
	resp.Diagnostics.Append(req.Config.GetAttribute(ctx, path.Root("live_status"), &live)...)
	if resp.Diagnostics.HasError() {
		return
	}

	m, err := d.data.client.GetModel(ctx, id.ValueString(), oxen.GetOptions{Live: live.ValueBool(), Shared: true})
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(d.data, "read model", id.ValueString(), err))
		return
	}

	vals, diags := modelObjectValue(m)
	resp.Diagnostics.Append(diags...)
	raw, err := normalizeJSON(m.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Unreadable model", "The API's answer for model "+id.ValueString()+" is not valid JSON: "+err.Error())
	}
	args, err := configValues(req.Config)
	if err != nil {
		resp.Diagnostics.AddError("Could not read the configuration", "This is a bug in the provider; please report it: "+err.Error())
	}
	if resp.Diagnostics.HasError() {
		return
	}
	// Keep the id as the user wrote it (a UUID stays a UUID), so the config
	// and the state always agree.
	vals["id"] = args["id"]
	vals["live_status"] = args["live_status"]
	vals["raw_json"] = tftypes.NewValue(tftypes.String, raw)
	if err := setState(ctx, &resp.State, vals); err != nil {
		resp.Diagnostics.AddError("Could not map the model", "This is a bug in the provider; please report it: "+err.Error())
	}
}
