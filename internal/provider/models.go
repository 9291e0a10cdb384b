package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/big"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// This file is the one place that maps an Oxen Model to Terraform: the
// schema attributes that describe a model, and the values that fill them.
// oxen_model uses them at the top level, oxen_models as the element of its
// models list, and the attribute types are derived from the schema so the
// two can never disagree.

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

func computedInt64(desc string) schema.Int64Attribute {
	return schema.Int64Attribute{Computed: true, MarkdownDescription: desc}
}

func computedFloat64(desc string) schema.Float64Attribute {
	return schema.Float64Attribute{Computed: true, MarkdownDescription: desc}
}

func computedStringList(desc string) schema.ListAttribute {
	return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
}

// modelSchemaAttributes describes every field of a Model except raw_json.
func modelSchemaAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":           computedString("Model identifier used in API calls, such as `claude-sonnet-4-6`."),
		"object":       computedString("Object type; always `model`."),
		"created":      computedInt64("Unix timestamp (seconds) when the model was registered."),
		"owned_by":     computedString("`oxen` for base models; the owner namespace for custom models."),
		"display_name": computedString("Human-readable name."),
		"description":  computedString("Full description, or null."),
		"summary":      computedString("Brief summary, or null."),
		"model_type":   computedString("`base` or `custom`. Other values the API may add are passed through."),
		"endpoint": computedString("API endpoint to call the model with: `/chat/completions`, `/images/generate` " +
			"or `/videos/generate`."),
		"capabilities": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Input and output modalities, such as `text`, `image`, `video`, `audio`.",
			Attributes: map[string]schema.Attribute{
				"input":  computedStringList("Modalities the model accepts."),
				"output": computedStringList("Modalities the model produces."),
			},
		},
		"pricing": schema.SingleNestedAttribute{
			Computed: true,
			MarkdownDescription: "How the model is billed, in US dollars. Fields that do not apply to the " +
				"pricing method are null. Pass this object to `provider::oxen::estimate_cost` to turn usage into cost.",
			Attributes: map[string]schema.Attribute{
				"method": computedString("`token`, `time`, `per_image` or `per_video_output_second`. " +
					"A method the API adds later is passed through unchanged."),
				"input_cost_per_token":       computedFloat64("Cost per input token (token pricing)."),
				"output_cost_per_token":      computedFloat64("Cost per output token (token pricing)."),
				"cost_per_second":            computedFloat64("Cost per second (time and video pricing)."),
				"cost_per_image":             computedFloat64("Fixed cost per image (image pricing)."),
				"cost_per_second_high_res":   computedFloat64("Cost per second of high-resolution video."),
				"cost_per_second_with_audio": computedFloat64("Cost per second of video with audio."),
				"cost_per_image_grid": schema.MapAttribute{
					Computed:    true,
					ElementType: types.MapType{ElemType: types.Float64Type},
					MarkdownDescription: "Cost per image keyed by quality, then by resolution tier, such as " +
						"`{ high = { \"4K\" = 1.47 } }`.",
				},
				"cost_per_second_by_resolution": schema.MapAttribute{
					Computed:            true,
					ElementType:         types.Float64Type,
					MarkdownDescription: "Cost per output second keyed by resolution, such as `{ \"480p\" = 0.096 }`.",
				},
			},
		},
		"fine_tuning": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Fine-tuning options, or null when the model cannot be fine-tuned.",
			Attributes: map[string]schema.Attribute{
				"actions":         computedStringList("Supported fine-tuning action types."),
				"cost_per_second": computedFloat64("Cost per second of fine-tuning, or null."),
			},
		},
		"deployments": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Deployments of the model. Empty for base models.",
			NestedObject: schema.NestedAttributeObject{
				Attributes: map[string]schema.Attribute{
					"status": computedString("`active`, `inactive`, `deploying`, `deactivating`, `error` or `unknown`."),
				},
			},
		},
		"status": computedString("Status of the first deployment (see `deployments`), or null when the model " +
			"has none, as for base models."),
		"developer": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "The developer that publishes the model, or null.",
			Attributes: map[string]schema.Attribute{
				"name": computedString("Developer name, such as `Anthropic`."),
				"logo": computedString("URL of the developer's logo, or null."),
			},
		},
		"source_model":   computedString("Base model this model was fine-tuned from, or null."),
		"image_url":      computedString("Image asset URL, or null."),
		"released_at":    computedString("Release timestamp (RFC 3339), or null."),
		"context_length": computedInt64("Context window in tokens, or null when the API does not say."),
		"max_output_tokens": computedInt64("Largest number of tokens one response can hold, or null when " +
			"the API does not say."),
		"request_schema": schema.StringAttribute{
			Computed:   true,
			CustomType: jsontypes.NormalizedType{},
			MarkdownDescription: "JSON Schema of the model's request parameters, as normalized JSON (key order " +
				"and spacing never cause a diff), or null. Decode it with `jsondecode()`.",
		},
	}
}

// modelAttrTypes is the Terraform type of a model object, derived once from
// its schema. Callers must not modify the map.
var modelAttrTypes = sync.OnceValue(func() map[string]attr.Type {
	obj := schema.NestedAttributeObject{Attributes: modelSchemaAttributes()}
	return obj.Type().(basetypes.ObjectType).AttrTypes
})

// modelTypes is the Terraform wire type of a model object and of each of
// its attributes, derived once from modelAttrTypes.
type modelTypes struct {
	object tftypes.Object
	attrs  map[string]tftypes.Type
}

var modelTFTypes = sync.OnceValue(func() modelTypes {
	obj := types.ObjectType{AttrTypes: modelAttrTypes()}.TerraformType(context.Background()).(tftypes.Object)
	return modelTypes{object: obj, attrs: obj.AttributeTypes}
})

// Wire values of the scalar kinds; a nil pointer is null.
func tfString(s *string) tftypes.Value {
	if s == nil {
		return tftypes.NewValue(tftypes.String, nil)
	}
	return tftypes.NewValue(tftypes.String, *s)
}

func tfInt(i *int64) tftypes.Value {
	if i == nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, new(big.Float).SetInt64(*i))
}

func tfFloat(f *float64) tftypes.Value {
	if f == nil {
		return tftypes.NewValue(tftypes.Number, nil)
	}
	return tftypes.NewValue(tftypes.Number, big.NewFloat(*f))
}

func tfStringList(items []string) tftypes.Value {
	elems := make([]tftypes.Value, len(items))
	for i, s := range items {
		elems[i] = tftypes.NewValue(tftypes.String, s)
	}
	return tftypes.NewValue(tftypes.List{ElementType: tftypes.String}, elems)
}

func tfFloatMap(m map[string]float64) tftypes.Value {
	typ := tftypes.Map{ElementType: tftypes.Number}
	if m == nil {
		return tftypes.NewValue(typ, nil)
	}
	elems := make(map[string]tftypes.Value, len(m))
	for k, f := range m {
		elems[k] = tfFloat(&f)
	}
	return tftypes.NewValue(typ, elems)
}

// tfObject is an object of the given type, or its null when absent.
func tfObject(typ tftypes.Type, present bool, attrs func() map[string]tftypes.Value) tftypes.Value {
	if !present {
		return tftypes.NewValue(typ, nil)
	}
	return tftypes.NewValue(typ, attrs())
}

// modelValues maps m to the wire values of modelSchemaAttributes, attribute
// by attribute. Going straight to wire values, rather than through the
// framework's attr.Value, keeps a 5,000-model read cheap; the types come
// from the schema, and the acceptance tests check every attribute.
func modelValues(m *oxen.Model) (map[string]tftypes.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	t := modelTFTypes().attrs
	vals := map[string]tftypes.Value{
		"id":                tftypes.NewValue(tftypes.String, m.ID),
		"object":            tftypes.NewValue(tftypes.String, m.Object),
		"created":           tfInt(&m.Created),
		"owned_by":          tftypes.NewValue(tftypes.String, m.OwnedBy),
		"display_name":      tfString(m.DisplayName),
		"description":       tfString(m.Description),
		"summary":           tfString(m.Summary),
		"model_type":        tfString(m.ModelType),
		"endpoint":          tfString(m.Endpoint),
		"source_model":      tfString(m.SourceModel),
		"image_url":         tfString(m.ImageURL),
		"released_at":       tfString(m.ReleasedAt),
		"context_length":    tfInt(m.ContextLength),
		"max_output_tokens": tfInt(m.MaxOutputTok),
		"status":            tftypes.NewValue(tftypes.String, nil),
		"deployments":       deploymentsTFValue(m.Deployments),
		"request_schema":    tftypes.NewValue(tftypes.String, nil),
	}
	if len(m.Deployments) > 0 {
		vals["status"] = tftypes.NewValue(tftypes.String, m.Status())
	}
	vals["capabilities"] = tfObject(t["capabilities"], m.Capabilities != nil, func() map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"input":  tfStringList(m.Capabilities.Input),
			"output": tfStringList(m.Capabilities.Output),
		}
	})
	vals["pricing"] = tfObject(t["pricing"], m.Pricing != nil, func() map[string]tftypes.Value {
		p := m.Pricing
		gridType := t["pricing"].(tftypes.Object).AttributeTypes["cost_per_image_grid"]
		grid := tftypes.NewValue(gridType, nil)
		if p.CostPerImageGrid != nil {
			rows := make(map[string]tftypes.Value, len(p.CostPerImageGrid))
			for quality, byRes := range p.CostPerImageGrid {
				rows[quality] = tfFloatMap(byRes)
			}
			grid = tftypes.NewValue(gridType, rows)
		}
		return map[string]tftypes.Value{
			"method":                        tfString(p.Method),
			"input_cost_per_token":          tfFloat(p.InputCostPerToken),
			"output_cost_per_token":         tfFloat(p.OutputCostPerToken),
			"cost_per_second":               tfFloat(p.CostPerSecond),
			"cost_per_image":                tfFloat(p.CostPerImage),
			"cost_per_second_high_res":      tfFloat(p.CostPerSecondHighRes),
			"cost_per_second_with_audio":    tfFloat(p.CostPerSecondWithAudio),
			"cost_per_image_grid":           grid,
			"cost_per_second_by_resolution": tfFloatMap(p.CostPerSecondByResolution),
		}
	})
	vals["fine_tuning"] = tfObject(t["fine_tuning"], m.FineTuning != nil, func() map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"actions":         tfStringList(m.FineTuning.Actions),
			"cost_per_second": tfFloat(m.FineTuning.CostPerSecond),
		}
	})
	vals["developer"] = tfObject(t["developer"], m.Developer != nil, func() map[string]tftypes.Value {
		return map[string]tftypes.Value{
			"name": tftypes.NewValue(tftypes.String, m.Developer.Name),
			"logo": tfString(m.Developer.Logo),
		}
	})
	if len(m.RequestSchema) > 0 {
		s, err := normalizeJSON(m.RequestSchema)
		if err != nil {
			diags.AddError("Unreadable request_schema", fmt.Sprintf("The request_schema of model %q is not valid JSON: %s", m.ID, err))
		} else {
			vals["request_schema"] = tftypes.NewValue(tftypes.String, s)
		}
	}
	return vals, diags
}

// deploymentAttrTypes is the type of one element of deployments.
var deploymentAttrTypes = map[string]attr.Type{"status": types.StringType}

// deploymentTFType is the same type on the wire.
var deploymentTFType = types.ObjectType{AttrTypes: deploymentAttrTypes}.TerraformType(context.Background()).(tftypes.Object)

// deploymentsTFValue maps the deployment list to its wire value.
func deploymentsTFValue(deps []oxen.Deployment) tftypes.Value {
	elems := make([]tftypes.Value, len(deps))
	for i, d := range deps {
		elems[i] = tftypes.NewValue(deploymentTFType, map[string]tftypes.Value{
			"status": tftypes.NewValue(tftypes.String, d.Status),
		})
	}
	return tftypes.NewValue(tftypes.List{ElementType: deploymentTFType}, elems)
}

// deploymentsValue is the same list as a framework value, for the
// activation resource's state.
func deploymentsValue(ctx context.Context, deps []oxen.Deployment, diags *diag.Diagnostics) types.List {
	v, err := types.ListType{ElemType: types.ObjectType{AttrTypes: deploymentAttrTypes}}.ValueFromTerraform(ctx, deploymentsTFValue(deps))
	if err != nil {
		diags.AddError("Could not map the deployments", "This is a bug in the provider; please report it: "+err.Error())
		return types.ListNull(types.ObjectType{AttrTypes: deploymentAttrTypes})
	}
	return v.(types.List)
}

// normalizeJSON re-encodes a JSON document with sorted keys and no
// insignificant space, keeping numbers exactly as written.
func normalizeJSON(raw []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimRight(buf.Bytes(), "\n")), nil
}

// setState writes a data source's whole state at once from the wire values
// of its attributes, without the reflection of State.Set, whose cost grows
// with every value of a 5,000-model catalog.
func setState(ctx context.Context, state *tfsdk.State, vals map[string]tftypes.Value) {
	state.Raw = tftypes.NewValue(state.Schema.Type().TerraformType(ctx), vals)
}

// configValues is a data source's configuration as wire values, attribute
// by attribute: the arguments as written, every computed attribute null. The
// map is a copy: As hands out the configuration's own map, and writing the
// state into it would make the framework compare the state with itself,
// walking every value of a catalog.
func configValues(cfg tfsdk.Config) (map[string]tftypes.Value, error) {
	var vals map[string]tftypes.Value
	if err := cfg.Raw.As(&vals); err != nil {
		return nil, err
	}
	return maps.Clone(vals), nil
}
