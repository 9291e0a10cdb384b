package provider

import (
	"context"
	"encoding/json"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// decoded is a model as the client decodes the API's JSON.
func decoded(t *testing.T, body string) *oxen.Model {
	t.Helper()
	var m oxen.Model
	if err := json.Unmarshal([]byte(body), &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// Every number reaches Terraform as the API wrote it, at Terraform's
// precision: the decimal, never the float64 nearest to it.
func TestModelModelNumbersAsWritten(t *testing.T) {
	m := decoded(t, `{"id":"n","object":"model","created":1.75e9,"owned_by":"oxen","context_length":200000,
		"max_output_tokens":null,"pricing":{"input_cost_per_token":3e-6,"output_cost_per_token":0.000015,
		"cost_per_image_grid":{"high":{"4K":1.47,"2K":null}},"cost_per_second_by_resolution":{"480p":0.096}},
		"fine_tuning":{"cost_per_second":2.5E-4}}`)
	mm, err := newModelModel(m)
	if err != nil {
		t.Fatal(err)
	}
	million, _, _ := big.ParseFloat("1000000", 10, 512, big.ToNearestEven)
	for name, c := range map[string]struct {
		got  types.Number
		want string // the number in Terraform's 'f' form, "" for null
	}{
		"created":                     {mm.Created, "1750000000"},
		"context_length":              {mm.ContextLength, "200000"},
		"max_output_tokens":           {mm.MaxOutputTokens, ""},
		"input_cost_per_token":        {mm.Pricing.InputCostPerToken, "0.000003"},
		"output_cost_per_token":       {mm.Pricing.OutputCostPerToken, "0.000015"},
		"cost_per_image_grid.high.4K": {mm.Pricing.CostPerImageGrid["high"]["4K"], "1.47"},
		"cost_per_image_grid.high.2K": {mm.Pricing.CostPerImageGrid["high"]["2K"], ""},
		"480p":                        {mm.Pricing.CostPerSecondByResolution["480p"], "0.096"},
		"fine_tuning.cost_per_second": {mm.FineTuning.CostPerSecond, "0.00025"},
		"cost_per_second (absent)":    {mm.Pricing.CostPerSecond, ""},
	} {
		if c.want == "" {
			if !c.got.IsNull() {
				t.Errorf("%s = %s, want null", name, c.got)
			}
			continue
		}
		if got := c.got.ValueBigFloat(); got == nil || got.Text('f', -1) != c.want || got.Prec() != numberPrecision {
			t.Errorf("%s = %v, want %s at %d bits", name, got, c.want, numberPrecision)
		}
	}
	if got := new(big.Float).Mul(mm.Pricing.InputCostPerToken.ValueBigFloat(), million); got.Text('f', -1) != "3" {
		t.Errorf("input_cost_per_token * 1000000 = %s, want 3", got.Text('f', -1))
	}
}

// The API's nulls and absences: objects null, lists empty, the first
// deployment's status, and the request_schema normalized.
func TestModelModelShapes(t *testing.T) {
	bare, err := newModelModel(&oxen.Model{ID: "bare", Object: "model", OwnedBy: "oxen"})
	if err != nil {
		t.Fatal(err)
	}
	if bare.Capabilities != nil || bare.Pricing != nil || bare.FineTuning != nil || bare.Developer != nil ||
		!bare.Status.IsNull() || !bare.Created.IsNull() || !bare.RequestSchema.IsNull() || bare.Deployments == nil {
		t.Errorf("bare model = %+v", bare)
	}
	full, err := newModelModel(decoded(t, `{"id":"f","capabilities":{"input":["text"]},"deployments":[
		{"status":"deploying"},{"status":"active"}],"request_schema":{"type": "object", "a": 1.50}}`))
	if err != nil {
		t.Fatal(err)
	}
	if full.Status.ValueString() != "deploying" || len(full.Deployments) != 2 ||
		full.Capabilities.Output == nil || full.RequestSchema.ValueString() != `{"a":1.50,"type":"object"}` {
		t.Errorf("full model = %+v", full)
	}
}

// Values the API sends that Terraform cannot hold are named, with the model.
func TestModelModelUnreadable(t *testing.T) {
	for body, want := range map[string]string{
		`{"id":"broken","request_schema":"{"}`:                      `Unreadable request_schema: The request_schema of model "broken" is not valid JSON`,
		`{"id":"huge","pricing":{"cost_per_second":1e99999999999}}`: `Unreadable number: The pricing.cost_per_second of model "huge" is 1e99999999999`,
	} {
		m := decoded(t, body)
		if body == `{"id":"broken","request_schema":"{"}` {
			m.RequestSchema = []byte(`{"type":`)
		}
		_, err := newModelModel(m)
		d := modelDiag("the model", err)
		if err == nil || !strings.Contains(d.Summary()+": "+d.Detail(), want) {
			t.Errorf("%s: %v, want %q", body, d, want)
		}
	}
}

// The resource's deployments are the data sources' nested object.
func TestDeploymentsValue(t *testing.T) {
	var diags diag.Diagnostics
	got := deploymentsValue(context.Background(), []oxen.Deployment{{Status: "active"}}, &diags)
	if diags.HasError() {
		t.Fatal(diags)
	}
	want := types.ListValueMust(types.ObjectType{AttrTypes: deploymentAttrTypes}, []attr.Value{
		types.ObjectValueMust(deploymentAttrTypes, map[string]attr.Value{"status": types.StringValue("active")}),
	})
	if !got.Equal(want) {
		t.Errorf("deployments = %v, want %v", got, want)
	}
	if empty := deploymentsValue(context.Background(), nil, &diags); empty.IsNull() || len(empty.Elements()) != 0 {
		t.Errorf("no deployments = %v, want an empty list", empty)
	}
	if rt := deploymentsResourceAttribute("d").GetType(); !rt.Equal(types.ListType{ElemType: types.ObjectType{AttrTypes: deploymentAttrTypes}}) {
		t.Errorf("the resource's deployments are %v", rt)
	}
}

// Prices reach Terraform as the API wrote them: arithmetic on them gives
// what the same decimals written in HCL give, without binary noise.
func TestAccModelNumbersAsWritten(t *testing.T) {
	env := newTestEnv(t)
	cfg := env.config(`
data "oxen_model" "sonnet" {
  id = "claude-sonnet-4-6"
}
data "oxen_model" "image" {
  id = "gpt-image-1"
}
locals {
  token = data.oxen_model.sonnet.pricing
  grid  = data.oxen_model.image.pricing.cost_per_image_grid
}
output "per_million" {
  value = local.token.input_cost_per_token * 1000000
}
output "per_million_text" {
  value = tostring(local.token.input_cost_per_token * 1000000)
}
output "budget" {
  value = tostring(1000000 * local.token.input_cost_per_token + 1000000 * local.token.output_cost_per_token +
    1000 * local.grid.low["1K"] + 1000 * local.grid.medium["1K"] + 1000 * local.grid.high["4K"])
}
# Where 512-bit arithmetic itself leaves a last digit, the prices leave the
# same one as the decimals written in HCL.
output "same_as_hcl" {
  value = (1000000 * (local.token.input_cost_per_token + local.token.output_cost_per_token) +
    local.grid.low["1K"] + local.grid.medium["1K"] + local.grid.high["4K"] ==
  1000000 * (3e-6 + 1.5e-5) + 0.011 + 0.042 + 1.47)
}
`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("per_million", knownvalue.NumberExact(big.NewFloat(3))),
				statecheck.ExpectKnownOutputValue("per_million_text", knownvalue.StringExact("3")),
				statecheck.ExpectKnownOutputValue("budget", knownvalue.StringExact("1541")),
				statecheck.ExpectKnownOutputValue("same_as_hcl", knownvalue.Bool(true)),
			},
		}},
	})
}
