package provider

import (
	"context"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	resourceschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// This file holds the schema of an Oxen Model: the attributes that describe
// it, shared by oxen_model (at the top level), oxen_models (as the element
// of its models list) and, for deployments, oxen_model_activation. It is
// the one list of those attributes; models.go holds them in framework types,
// and the fast path of data_source_protocol.go is checked against both.

func computedString(desc string) schema.StringAttribute {
	return schema.StringAttribute{Computed: true, MarkdownDescription: desc}
}

// computedAttribute is computedString for a map of any attribute.
func computedAttribute(desc string) schema.Attribute { return computedString(desc) }

// computedNumber is every number of a model, whole or not: a
// NumberAttribute holds the API's decimal exactly, where a Float64Attribute
// would round 3e-6 to the nearest binary fraction.
func computedNumber(desc string) schema.NumberAttribute {
	return schema.NumberAttribute{Computed: true, MarkdownDescription: desc}
}

func computedStringList(desc string) schema.ListAttribute {
	return schema.ListAttribute{Computed: true, ElementType: types.StringType, MarkdownDescription: desc}
}

// modelSchemaAttributes describes every field of a Model except raw_json.
func modelSchemaAttributes() map[string]schema.Attribute {
	return map[string]schema.Attribute{
		"id":           computedString("Model identifier used in API calls, such as `claude-sonnet-4-6`."),
		"object":       computedString("Object type; always `model`."),
		"created":      computedNumber("Unix timestamp (seconds) when the model was registered."),
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
				"input_cost_per_token":       computedNumber("Cost per input token (token pricing)."),
				"output_cost_per_token":      computedNumber("Cost per output token (token pricing)."),
				"cost_per_second":            computedNumber("Cost per second (time and video pricing)."),
				"cost_per_image":             computedNumber("Fixed cost per image (image pricing)."),
				"cost_per_second_high_res":   computedNumber("Cost per second of high-resolution video."),
				"cost_per_second_with_audio": computedNumber("Cost per second of video with audio."),
				"cost_per_image_grid": schema.MapAttribute{
					Computed:    true,
					ElementType: types.MapType{ElemType: types.NumberType},
					MarkdownDescription: "Cost per image keyed by quality, then by resolution tier, such as " +
						"`{ high = { \"4K\" = 1.47 } }`.",
				},
				"cost_per_second_by_resolution": schema.MapAttribute{
					Computed:            true,
					ElementType:         types.NumberType,
					MarkdownDescription: "Cost per output second keyed by resolution, such as `{ \"480p\" = 0.096 }`.",
				},
			},
		},
		"fine_tuning": schema.SingleNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Fine-tuning options, or null when the model cannot be fine-tuned.",
			Attributes: map[string]schema.Attribute{
				"actions":         computedStringList("Supported fine-tuning action types."),
				"cost_per_second": computedNumber("Cost per second of fine-tuning, or null."),
			},
		},
		"deployments": schema.ListNestedAttribute{
			Computed:            true,
			MarkdownDescription: "Deployments of the model. Empty for base models.",
			NestedObject:        schema.NestedAttributeObject{Attributes: deploymentAttributes(computedAttribute)},
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
		"context_length": computedNumber("Context window in tokens, or null when the API does not say."),
		"max_output_tokens": computedNumber("Largest number of tokens one response can hold, or null when " +
			"the API does not say."),
		"request_schema": schema.StringAttribute{
			Computed:   true,
			CustomType: jsontypes.NormalizedType{},
			MarkdownDescription: "JSON Schema of the model's request parameters, as normalized JSON (key order " +
				"and spacing never cause a diff), or null. Decode it with `jsondecode()`.",
		},
	}
}

// deploymentDescriptions documents the attributes of one deployment, for
// the data sources and the resource alike.
var deploymentDescriptions = map[string]string{
	"status": "`active`, `inactive`, `deploying`, `deactivating`, `error` or `unknown`.",
}

// deploymentAttributes builds the attributes of one deployment with the
// given computed-attribute constructor of a schema package.
func deploymentAttributes[A any](computed func(desc string) A) map[string]A {
	attrs := make(map[string]A, len(deploymentDescriptions))
	for name, desc := range deploymentDescriptions {
		attrs[name] = computed(desc)
	}
	return attrs
}

// deploymentsResourceAttribute is the deployments attribute of the
// activation resource: the same nested object as the data sources'.
func deploymentsResourceAttribute(desc string) resourceschema.ListNestedAttribute {
	return resourceschema.ListNestedAttribute{
		Computed:            true,
		MarkdownDescription: desc,
		NestedObject: resourceschema.NestedAttributeObject{
			Attributes: deploymentAttributes(func(desc string) resourceschema.Attribute {
				return resourceschema.StringAttribute{Computed: true, MarkdownDescription: desc}
			}),
		},
	}
}

// deploymentAttrTypes is the type of one element of deployments.
var deploymentAttrTypes = attrTypes(deploymentAttributes(computedAttribute))

// attrTypes is the type of each attribute of a schema's object.
func attrTypes[A interface{ GetType() attr.Type }](attrs map[string]A) map[string]attr.Type {
	types := make(map[string]attr.Type, len(attrs))
	for name, a := range attrs {
		types[name] = a.GetType()
	}
	return types
}

// modelAttrTypes is the Terraform type of a model object, derived once from
// its schema. Callers must not modify the map.
var modelAttrTypes = sync.OnceValue(func() map[string]attr.Type {
	return attrTypes(modelSchemaAttributes())
})

// modelTFType is the same type on the wire.
var modelTFType = sync.OnceValue(func() tftypes.Object {
	return objectTFType(modelAttrTypes())
})

// objectTFType is the wire type of an object with the given attributes.
func objectTFType(attrs map[string]attr.Type) tftypes.Object {
	obj := tftypes.Object{AttributeTypes: make(map[string]tftypes.Type, len(attrs))}
	for name, t := range attrs {
		obj.AttributeTypes[name] = t.TerraformType(context.Background())
	}
	return obj
}
