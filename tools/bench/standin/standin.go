// Package standin serves the small providers that the end-to-end benchmark
// compares this one with (tools/bench/http, tools/bench/noop): a
// provider with no settings and no resources, only data sources.
package standin

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// Serve serves the provider registry.terraform.io/oxen-ai/<name> with the
// given data sources until Terraform stops it.
func Serve(name string, dataSources ...func() datasource.DataSource) {
	p := standIn{name: name, dataSources: dataSources}
	err := providerserver.Serve(context.Background(), func() provider.Provider { return p },
		providerserver.ServeOpts{Address: "registry.terraform.io/oxen-ai/" + name})
	if err != nil {
		log.Fatal(err)
	}
}

type standIn struct {
	name        string
	dataSources []func() datasource.DataSource
}

func (p standIn) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = p.name
	resp.Version = "0.1.0"
}

func (standIn) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = pschema.Schema{}
}

func (standIn) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {}

func (p standIn) DataSources(context.Context) []func() datasource.DataSource { return p.dataSources }

func (standIn) Resources(context.Context) []func() resource.Resource { return nil }
