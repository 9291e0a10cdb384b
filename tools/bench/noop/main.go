// Command noop is a stand-in Terraform provider built only for the
// end-to-end benchmark (tools/bench). Its data sources do no I/O
// at all. noop_model's Read copies the id and sets a constant: planning N of
// them measures what Terraform itself pays per data source, the baseline
// that oxen_model look-ups are compared with. noop_model_full has
// oxen_model's very schema and answers with the configuration alone: the
// price of that schema, in the framework and in Terraform, without the API.
package main

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	oxenprovider "github.com/oxen-ai/terraform-provider-oxen/internal/provider"
	"github.com/oxen-ai/terraform-provider-oxen/tools/bench/standin"
)

func main() {
	standin.Serve("noop",
		func() datasource.DataSource { return modelDataSource{} },
		func() datasource.DataSource { return fullModelDataSource{} },
	)
}

type modelDataSource struct{}

type modelData struct {
	ID    types.String `tfsdk:"id"`
	Value types.String `tfsdk:"value"`
}

func (modelDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model"
}

func (modelDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dschema.Schema{
		Attributes: map[string]dschema.Attribute{
			"id":    dschema.StringAttribute{Required: true},
			"value": dschema.StringAttribute{Computed: true},
		},
	}
}

func (modelDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var d modelData
	resp.Diagnostics.Append(req.Config.Get(ctx, &d)...)
	if resp.Diagnostics.HasError() {
		return
	}
	d.Value = types.StringValue("constant")
	resp.Diagnostics.Append(resp.State.Set(ctx, &d)...)
}

// fullModelDataSource borrows oxen_model's schema and reads nothing: its
// state is the configuration, every computed attribute null.
type fullModelDataSource struct{}

func (fullModelDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_full"
}

func (fullModelDataSource) Schema(ctx context.Context, req datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	oxenprovider.NewModelDataSource().Schema(ctx, req, resp)
}

func (fullModelDataSource) Read(_ context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	resp.State.Raw = req.Config.Raw.Copy()
}
