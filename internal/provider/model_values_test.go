package provider

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// Every attribute of the model schema has a field of the same type in the
// mapping, and the mapping fills nothing the schema lacks.
func TestModelFieldsMatchSchema(t *testing.T) {
	if _, err := modelWriter(); err != nil {
		t.Fatal(err)
	}
	// The data sources' schemas hold the model attributes where the
	// mapping expects them.
	ctx := context.Background()
	var one datasource.SchemaResponse
	(&ModelDataSource{}).Schema(ctx, datasource.SchemaRequest{}, &one)
	for name, typ := range modelAttrTypes() {
		if got := one.Schema.Attributes[name]; name != "id" && (got == nil || !got.GetType().Equal(typ)) {
			t.Errorf("oxen_model's %s is %v, want the model attribute's %v", name, got, typ)
		}
	}
	models, ok := modelsSchemaType().(tftypes.Object)
	if !ok {
		t.Fatalf("oxen_models is a %s", modelsSchemaType())
	}
	if err := sameType("", models.AttributeTypes["models"],
		tftypes.List{ElementType: newObjectFields(modelFields).typ}); err != nil {
		t.Errorf("oxen_models' models: %v", err)
	}
}

// A schema attribute without a field, a field without an attribute and a
// field of another type are each named, so a drift is an error diagnostic,
// not a panic.
func TestModelFieldsDriftIsNamed(t *testing.T) {
	attrs := modelSchemaAttributes()
	attrs["parameters"] = computedString("An attribute added to the schema only.")
	delete(attrs, "summary")
	pricing, ok := attrs["pricing"].(schema.SingleNestedAttribute)
	if !ok {
		t.Fatalf("pricing is %T", attrs["pricing"])
	}
	pricing.Attributes["cost_per_image"] = computedString("Now a string.")
	attrs["pricing"] = pricing
	err := sameType("", objectTFType(attrTypes(attrs)), newObjectFields(modelFields).typ)
	if err == nil {
		t.Fatal("no difference found")
	}
	for _, want := range []string{
		"attribute parameters has no field in the mapping",
		"field summary of the mapping is not in the schema",
		"pricing.cost_per_image is tftypes.String in the schema but tftypes.Number in the mapping",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}

	// The catalog's state refuses a schema whose models differ.
	typ := tftypes.Object{AttributeTypes: map[string]tftypes.Type{
		"ids":    tftypes.List{ElementType: tftypes.String},
		"models": tftypes.List{ElementType: objectTFType(attrTypes(attrs))},
	}}
	if _, err := catalogState(typ, nil, nil); err == nil || !strings.Contains(err.Error(), "parameters") {
		t.Errorf("catalogState with a drifted schema: %v", err)
	}
}

func ptr[T any](v T) *T { return &v }

// modelObjectValue is m as the attribute values of a model object.
func modelObjectValue(m *oxen.Model) (map[string]tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	state, err := modelState(modelTFType(), m, nil)
	var vals map[string]tftypes.Value
	if err == nil {
		var v tftypes.Value
		if v, err = (&tfprotov6.DynamicValue{MsgPack: state}).Unmarshal(modelTFType()); err == nil {
			err = v.As(&vals)
		}
	}
	if err != nil {
		diags.Append(mappingDiag("the model", err))
	}
	return vals, diags
}

// Every field reaches the value Terraform decodes, nulls as nulls, across
// the msgpack forms of short and long strings, small and large numbers
// and collections of more than 15 elements.
func TestModelObjectValue(t *testing.T) {
	long := strings.Repeat("x", 300)
	many := make([]string, 20)
	for i := range many {
		many[i] = strings.Repeat("m", i+1)
	}
	full := &oxen.Model{
		ID: "full-model", Object: "model", Created: 1_700_000_000, OwnedBy: "team-a",
		DisplayName: ptr("Full"), Description: ptr(long), Summary: ptr(strings.Repeat("s", 40)),
		ModelType: ptr("custom"), Endpoint: ptr("/images/generate"),
		Capabilities: &oxen.Capabilities{Input: many, Output: []string{"image"}},
		Pricing: &oxen.Pricing{
			Method: ptr("per_image"), InputCostPerToken: ptr(3e-6), OutputCostPerToken: ptr(-1.5),
			CostPerSecond: ptr(0.0), CostPerImage: ptr(40.0), CostPerSecondHighRes: ptr(1e12),
			CostPerSecondWithAudio:    ptr(-200.0),
			CostPerImageGrid:          map[string]map[string]float64{"high": {"4K": 1.47, "1K": 0.5}, "low": {}},
			CostPerSecondByResolution: map[string]float64{"480p": 0.096},
		},
		FineTuning:    &oxen.FineTuning{Actions: []string{"image_edit"}, CostPerSecond: ptr(0.002)},
		Deployments:   []oxen.Deployment{{Status: "deploying"}, {Status: "active"}},
		Developer:     &oxen.Developer{Name: "Acme"},
		SourceModel:   ptr("flux-2-dev"),
		ImageURL:      ptr("https://example.com/x.png"),
		ReleasedAt:    ptr("2026-01-02T03:04:05Z"),
		ContextLength: ptr(int64(200_000)), MaxOutputTok: ptr(int64(-1)),
		RequestSchema: []byte(`{"type": "object", "a": 1.50}`),
	}
	vals, diags := modelObjectValue(full)
	if diags.HasError() {
		t.Fatal(diags)
	}
	num := func(f float64) tftypes.Value { return tftypes.NewValue(tftypes.Number, big.NewFloat(f)) }
	str := func(s string) tftypes.Value { return tftypes.NewValue(tftypes.String, s) }
	t.Run("full", func(t *testing.T) {
		for name, want := range map[string]tftypes.Value{
			"id": str("full-model"), "object": str("model"), "created": num(1_700_000_000), "owned_by": str("team-a"),
			"display_name": str("Full"), "description": str(long), "summary": str(strings.Repeat("s", 40)),
			"model_type": str("custom"), "endpoint": str("/images/generate"), "status": str("deploying"),
			"source_model": str("flux-2-dev"), "image_url": str("https://example.com/x.png"),
			"released_at": str("2026-01-02T03:04:05Z"), "context_length": num(200_000), "max_output_tokens": num(-1),
			"request_schema": str(`{"a":1.50,"type":"object"}`),
		} {
			if !vals[name].Equal(want) {
				t.Errorf("%s = %v, want %v", name, vals[name], want)
			}
		}
		checkAttr(t, vals, "capabilities", "input", tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, stringValues(many)))
		checkAttr(t, vals, "pricing", "output_cost_per_token", num(-1.5))
		checkAttr(t, vals, "pricing", "input_cost_per_token", num(3e-6))
		checkAttr(t, vals, "pricing", "cost_per_second", num(0))
		checkAttr(t, vals, "pricing", "cost_per_image", num(40))
		checkAttr(t, vals, "pricing", "cost_per_second_high_res", num(1e12))
		checkAttr(t, vals, "pricing", "cost_per_second_with_audio", num(-200))
		grid := tftypes.Map{ElementType: tftypes.Map{ElementType: tftypes.Number}}
		checkAttr(t, vals, "pricing", "cost_per_image_grid", tftypes.NewValue(grid, map[string]tftypes.Value{
			"high": tftypes.NewValue(grid.ElementType, map[string]tftypes.Value{"4K": num(1.47), "1K": num(0.5)}),
			"low":  tftypes.NewValue(grid.ElementType, map[string]tftypes.Value{}),
		}))
		checkAttr(t, vals, "fine_tuning", "cost_per_second", num(0.002))
		checkAttr(t, vals, "developer", "logo", tftypes.NewValue(tftypes.String, nil))
		deps, err := types.ListType{ElemType: types.ObjectType{AttrTypes: deploymentAttrTypes}}.ValueFromTerraform(context.Background(), vals["deployments"])
		if err != nil || deps.String() != `[{"status":"deploying"},{"status":"active"}]` {
			t.Errorf("deployments = %v (%v)", deps, err)
		}
	})

	t.Run("only the required fields", func(t *testing.T) {
		vals, diags := modelObjectValue(&oxen.Model{ID: "bare", Object: "model", OwnedBy: "oxen"})
		if diags.HasError() {
			t.Fatal(diags)
		}
		for name, v := range vals {
			switch name {
			case "id", "object", "owned_by", "created":
				if v.IsNull() {
					t.Errorf("%s is null", name)
				}
			case "deployments":
				var elems []tftypes.Value
				if err := v.As(&elems); err != nil || len(elems) != 0 {
					t.Errorf("deployments = %v, want an empty list", v)
				}
			default:
				if !v.IsNull() {
					t.Errorf("%s = %v, want null", name, v)
				}
			}
		}
	})

	t.Run("a request_schema that is not JSON", func(t *testing.T) {
		_, diags := modelObjectValue(&oxen.Model{ID: "broken", RequestSchema: []byte(`{"type":`)})
		if !diags.HasError() || diags[0].Summary() != "Unreadable request_schema" ||
			!strings.Contains(diags[0].Detail(), `The request_schema of model "broken" is not valid JSON`) {
			t.Errorf("diagnostics = %v", diags)
		}
	})
}

func stringValues(items []string) []tftypes.Value {
	vals := make([]tftypes.Value, len(items))
	for i, s := range items {
		vals[i] = tftypes.NewValue(tftypes.String, s)
	}
	return vals
}

// checkAttr compares one attribute of a nested object.
func checkAttr(t *testing.T, vals map[string]tftypes.Value, object, name string, want tftypes.Value) {
	t.Helper()
	var attrs map[string]tftypes.Value
	if err := vals[object].As(&attrs); err != nil {
		t.Fatalf("%s: %v", object, err)
	}
	if !attrs[name].Equal(want) {
		t.Errorf("%s.%s = %v, want %v", object, name, attrs[name], want)
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
	if rt := deploymentsResourceAttribute("d").GetType(); !rt.Equal(types.ListType{ElemType: types.ObjectType{AttrTypes: deploymentAttrTypes}}) {
		t.Errorf("the resource's deployments are %v", rt)
	}
}
