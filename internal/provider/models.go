package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

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

// modelValues maps m to the values of modelSchemaAttributes, attribute by attribute.
func modelValues(ctx context.Context, attrTypes map[string]attr.Type, m *oxen.Model) (map[string]attr.Value, diag.Diagnostics) {
	var diags diag.Diagnostics
	nested := func(name string) map[string]attr.Type {
		switch t := attrTypes[name].(type) {
		case basetypes.ObjectType:
			return t.AttrTypes
		case basetypes.ListType:
			return t.ElemType.(basetypes.ObjectType).AttrTypes
		}
		panic("provider bug: " + name + " is not an object attribute")
	}
	object := func(name string, present bool, attrs map[string]attr.Value) attr.Value {
		if !present {
			return types.ObjectNull(nested(name))
		}
		v, d := types.ObjectValue(nested(name), attrs)
		diags.Append(d...)
		return v
	}
	stringList := func(items []string) attr.Value {
		elems := make([]attr.Value, len(items))
		for i, s := range items {
			elems[i] = types.StringValue(s)
		}
		return types.ListValueMust(types.StringType, elems)
	}

	vals := map[string]attr.Value{
		"id":                types.StringValue(m.ID),
		"object":            types.StringValue(m.Object),
		"created":           types.Int64Value(m.Created),
		"owned_by":          types.StringValue(m.OwnedBy),
		"display_name":      types.StringPointerValue(m.DisplayName),
		"description":       types.StringPointerValue(m.Description),
		"summary":           types.StringPointerValue(m.Summary),
		"model_type":        types.StringPointerValue(m.ModelType),
		"endpoint":          types.StringPointerValue(m.Endpoint),
		"source_model":      types.StringPointerValue(m.SourceModel),
		"image_url":         types.StringPointerValue(m.ImageURL),
		"released_at":       types.StringPointerValue(m.ReleasedAt),
		"context_length":    types.Int64PointerValue(m.ContextLength),
		"max_output_tokens": types.Int64PointerValue(m.MaxOutputTok),
		"status":            types.StringNull(),
	}
	if s := m.Status(); len(m.Deployments) > 0 {
		vals["status"] = types.StringValue(s)
	}

	caps := m.Capabilities
	if caps == nil {
		caps = &oxen.Capabilities{}
	}
	vals["capabilities"] = object("capabilities", m.Capabilities != nil, map[string]attr.Value{
		"input":  stringList(caps.Input),
		"output": stringList(caps.Output),
	})

	p := m.Pricing
	if p == nil {
		p = &oxen.Pricing{}
	}
	pricingTypes := nested("pricing")
	grid, d := types.MapValueFrom(ctx, pricingTypes["cost_per_image_grid"].(basetypes.MapType).ElemType, p.CostPerImageGrid)
	diags.Append(d...)
	byRes, d := types.MapValueFrom(ctx, types.Float64Type, p.CostPerSecondByResolution)
	diags.Append(d...)
	vals["pricing"] = object("pricing", m.Pricing != nil, map[string]attr.Value{
		"method":                        types.StringPointerValue(p.Method),
		"input_cost_per_token":          types.Float64PointerValue(p.InputCostPerToken),
		"output_cost_per_token":         types.Float64PointerValue(p.OutputCostPerToken),
		"cost_per_second":               types.Float64PointerValue(p.CostPerSecond),
		"cost_per_image":                types.Float64PointerValue(p.CostPerImage),
		"cost_per_second_high_res":      types.Float64PointerValue(p.CostPerSecondHighRes),
		"cost_per_second_with_audio":    types.Float64PointerValue(p.CostPerSecondWithAudio),
		"cost_per_image_grid":           grid,
		"cost_per_second_by_resolution": byRes,
	})

	ft := m.FineTuning
	if ft == nil {
		ft = &oxen.FineTuning{}
	}
	vals["fine_tuning"] = object("fine_tuning", m.FineTuning != nil, map[string]attr.Value{
		"actions":         stringList(ft.Actions),
		"cost_per_second": types.Float64PointerValue(ft.CostPerSecond),
	})

	vals["deployments"] = deploymentsValue(m.Deployments, &diags)

	dev := m.Developer
	if dev == nil {
		dev = &oxen.Developer{}
	}
	vals["developer"] = object("developer", m.Developer != nil, map[string]attr.Value{
		"name": types.StringValue(dev.Name),
		"logo": types.StringPointerValue(dev.Logo),
	})

	vals["request_schema"] = jsontypes.NewNormalizedNull()
	if len(m.RequestSchema) > 0 {
		s, err := normalizeJSON(m.RequestSchema)
		if err != nil {
			diags.AddError("Unreadable request_schema", fmt.Sprintf("The request_schema of model %q is not valid JSON: %s", m.ID, err))
		} else {
			vals["request_schema"] = jsontypes.NewNormalizedValue(s)
		}
	}
	return vals, diags
}

// deploymentAttrTypes is the type of one element of deployments.
var deploymentAttrTypes = map[string]attr.Type{"status": types.StringType}

// deploymentsValue maps the deployment list; shared by the model data
// sources and the activation resource.
func deploymentsValue(deps []oxen.Deployment, diags *diag.Diagnostics) types.List {
	elemType := types.ObjectType{AttrTypes: deploymentAttrTypes}
	elems := make([]attr.Value, 0, len(deps))
	for _, d := range deps {
		o, ds := types.ObjectValue(deploymentAttrTypes, map[string]attr.Value{"status": types.StringValue(d.Status)})
		diags.Append(ds...)
		elems = append(elems, o)
	}
	l, ds := types.ListValue(elemType, elems)
	diags.Append(ds...)
	return l
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

// setState writes a data source's whole state at once from its attribute
// values. It skips the reflection of State.Set, whose cost grows with
// every value of a 5,000-model catalog.
func setState(ctx context.Context, state *tfsdk.State, vals map[string]attr.Value, diags *diag.Diagnostics) {
	objType := state.Schema.Type().(basetypes.ObjectType)
	obj, d := types.ObjectValue(objType.AttrTypes, vals)
	diags.Append(d...)
	if d.HasError() {
		return
	}
	raw, err := obj.ToTerraformValue(ctx)
	if err != nil {
		diags.AddError("Could not build the state", "This is a bug in the provider; please report it: "+err.Error())
		return
	}
	state.Raw = raw
}
