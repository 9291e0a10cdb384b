// Command http is a stand-in for hashicorp/http, built only for the
// end-to-end benchmark (tools/bench): what a user would write
// instead of this provider is a `data "http"` GET of the API and
// `jsondecode(data.http.x.response_body)`. hashicorp/http cannot be
// installed here (no registry), nor built from the Go module proxy (its
// module path is github.com/terraform-providers/terraform-provider-http
// and its v2 and v3 tags lack the major-version suffix, so the proxy
// offers only v1.2.0), so this provider does the same work the same way: terraform-plugin-framework, one HTTP GET per data source with
// the configured headers, the body kept as one string. The real one also
// stores the body twice more (`body`, `response_body_base64`) and the
// response headers; leaving those out makes the stand-in, if anything,
// faster than what it stands for.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	dschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oxen-ai/terraform-provider-oxen/tools/bench/standin"
)

func main() {
	standin.Serve("http", func() datasource.DataSource { return newGetDataSource() })
}

// getDataSource is `data "http"`: one GET, the answer as a string.
type getDataSource struct {
	client *http.Client
}

func newGetDataSource() getDataSource {
	// One shared transport, as hashicorp/http's retryable client keeps one:
	// Terraform's parallel reads reuse its connections.
	base, ok := http.DefaultTransport.(*http.Transport)
	if !ok { // replaced by something else: start from Go's own defaults
		base = &http.Transport{Proxy: http.ProxyFromEnvironment, ForceAttemptHTTP2: true}
	}
	t := base.Clone()
	t.MaxIdleConnsPerHost = 32
	return getDataSource{client: &http.Client{Transport: t, Timeout: time.Minute}}
}

type getData struct {
	ID             types.String `tfsdk:"id"`
	URL            types.String `tfsdk:"url"`
	RequestHeaders types.Map    `tfsdk:"request_headers"`
	StatusCode     types.Int64  `tfsdk:"status_code"`
	ResponseBody   types.String `tfsdk:"response_body"`
}

func (getDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName
}

func (getDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = dschema.Schema{
		Attributes: map[string]dschema.Attribute{
			"id":              dschema.StringAttribute{Computed: true},
			"url":             dschema.StringAttribute{Required: true},
			"request_headers": dschema.MapAttribute{ElementType: types.StringType, Optional: true, Sensitive: true},
			"status_code":     dschema.Int64Attribute{Computed: true},
			"response_body":   dschema.StringAttribute{Computed: true},
		},
	}
}

func (d getDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data getData
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	url := data.URL.ValueString()
	httpReq, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		resp.Diagnostics.AddError("Error creating request", err.Error())
		return
	}
	headers := map[string]string{}
	resp.Diagnostics.Append(data.RequestHeaders.ElementsAs(ctx, &headers, false)...)
	if resp.Diagnostics.HasError() {
		return
	}
	for k, v := range headers {
		httpReq.Header.Set(k, v)
	}
	httpResp, err := d.client.Do(httpReq)
	if err != nil {
		resp.Diagnostics.AddError("Error making request", fmt.Sprintf("GET %s: %s", url, err))
		return
	}
	defer httpResp.Body.Close()
	body, err := io.ReadAll(httpResp.Body)
	if err != nil {
		resp.Diagnostics.AddError("Error reading response body", err.Error())
		return
	}
	data.ID = types.StringValue(url)
	data.StatusCode = types.Int64Value(int64(httpResp.StatusCode))
	data.ResponseBody = types.StringValue(string(body))
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
