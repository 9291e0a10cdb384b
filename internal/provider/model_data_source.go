package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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
	state, diags := d.read(ctx, req.Config.Raw)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	v, diags := decode(&tfprotov6.DynamicValue{MsgPack: state}, req.Config.Raw.Type())
	resp.Diagnostics.Append(diags...)
	resp.State.Raw = v
}

// read is an oxen_model read from its configuration to its state, encoded
// for the plugin protocol (see data_source_protocol.go).
func (d *ModelDataSource) read(ctx context.Context, config tftypes.Value) ([]byte, diag.Diagnostics) {
	var diags diag.Diagnostics
	if d.data == nil {
		diags.Append(notConfiguredDiag("oxen_model"))
		return nil, diags
	}
	var args map[string]tftypes.Value
	var id string
	var live *bool
	err := config.As(&args)
	if err == nil {
		err = args["id"].As(&id)
	}
	if err == nil {
		err = args["live_status"].As(&live)
	}
	if err != nil {
		diags.AddError("Could not read the configuration", "This is a bug in the provider; please report it: "+err.Error())
		return nil, diags
	}

	m, err := d.data.client.GetModel(ctx, id, oxen.GetOptions{Live: live != nil && *live, Shared: true})
	if err != nil {
		diags.Append(apiErrorDiag(d.data, "read model", id, err))
		return nil, diags
	}

	raw, err := normalizeJSON(m.Raw)
	if err != nil {
		diags.AddError("Unreadable model", "The API's answer for model "+id+" is not valid JSON: "+err.Error())
		return nil, diags
	}
	state, err := modelState(config.Type(), m, map[string]func(*wire) error{
		// The id stays as the user wrote it (a UUID stays a UUID), so the
		// configuration and the state always agree.
		"id":          func(w *wire) error { return w.argument("id", args["id"]) },
		"live_status": func(w *wire) error { return w.argument("live_status", args["live_status"]) },
		"raw_json":    func(w *wire) error { w.string(raw); return nil },
	})
	if err != nil {
		diags.Append(mappingDiag("the model", err))
		return nil, diags
	}
	return state, diags
}
