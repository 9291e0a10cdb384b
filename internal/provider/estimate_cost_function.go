package provider

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/pricing"
)

// estimate_cost hands an oxen_model's pricing and a usage to internal/pricing,
// which does the arithmetic in exact decimals; this file only maps Terraform
// values in and errors out (the usage argument in estimate_cost_usage.go).

var _ function.Function = &estimateCostFunction{}

// Argument positions, for function.NewArgumentFuncError.
const (
	argPricing int64 = 0
	argUsage   int64 = 1
)

// NewEstimateCostFunction returns the estimate_cost provider function.
func NewEstimateCostFunction() function.Function {
	return &estimateCostFunction{}
}

type estimateCostFunction struct{}

// pricingAttrTypes is the type of oxen_model's pricing attribute, taken from
// the schema so the function's parameter can never drift from it (a test
// checks that it is found).
func pricingAttrTypes() map[string]attr.Type {
	if t, ok := modelAttrTypes()["pricing"].(basetypes.ObjectType); ok {
		return t.AttrTypes
	}
	return nil
}

func (f *estimateCostFunction) Metadata(_ context.Context, _ function.MetadataRequest, resp *function.MetadataResponse) {
	resp.Name = "estimate_cost"
}

func (f *estimateCostFunction) Definition(_ context.Context, _ function.DefinitionRequest, resp *function.DefinitionResponse) {
	resp.Definition = function.Definition{
		Summary: "Estimate the cost of a usage of an Oxen model, in US dollars",
		MarkdownDescription: "Turns the `pricing` of an `oxen_model` (or of an element of `oxen_models`' `models`) and " +
			"an amount of usage into a cost in US dollars, the way the model is billed. Requires Terraform 1.8 or later, " +
			"or OpenTofu 1.7 or later.\n\n" +
			"The arithmetic is exact decimal arithmetic: each price is taken as the decimal the API publishes " +
			"(`3e-06`, not the binary floating-point number nearest to it), so 1,000,000 input tokens at `3e-06` cost " +
			"exactly `3`, and any result can be checked by hand.\n\n" +
			"How each pricing `method` is charged, and the `usage` keys it reads:\n\n" +
			"| `method` | cost | `usage` keys |\n" +
			"|---|---|---|\n" +
			"| `token` | `input_tokens × input_cost_per_token + output_tokens × output_cost_per_token` | `input_tokens`, `output_tokens` (at least one) |\n" +
			"| `time` | `seconds × cost_per_second` | `seconds` (required) |\n" +
			"| `per_image` | `images × cost_per_image` when `usage` names neither `quality` nor `resolution` and the model has that flat price, else `images × cost_per_image_grid[quality][resolution]` | `images` (required); `quality` and `resolution`, both or neither (required for a model priced only by its grid, not accepted without a grid) |\n" +
			"| `per_video_output_second` | `video_seconds × rate` | `video_seconds` (required); at most one of `resolution` (only for a model with `cost_per_second_by_resolution`), `high_res = true`, `with_audio = true` |\n\n" +
			"A model with both a flat price and a table by quality or resolution (`cost_per_image` and " +
			"`cost_per_image_grid`, or `cost_per_second` and `cost_per_second_by_resolution`) charges the flat price " +
			"when `usage` names no `quality` or `resolution`, for images and video alike; a model priced only by its " +
			"table requires them, and the error lists the values the table has.\n\n" +
			"The rate of `per_video_output_second` is `cost_per_second_by_resolution[resolution]` when `resolution` is " +
			"given, `cost_per_second_high_res` when `high_res = true`, `cost_per_second_with_audio` when " +
			"`with_audio = true`, and `cost_per_second` otherwise. The API publishes no combined rate (such as " +
			"high resolution with audio), so asking for two of these at once is an error rather than a guess. " +
			"`video_seconds` is the length of the video produced; `seconds` is not accepted as an alias, because for " +
			"`time` pricing it means running time, a different quantity.\n\n" +
			"Errors, each naming the argument at fault (an error about a `usage` key names `usage`, even when the " +
			"price it asks for is missing from `pricing`):\n\n" +
			"- a `usage` key not in the list above (the message lists the accepted ones), or a key the model's " +
			"pricing method does not read: a price that does not depend on a key would silently ignore it;\n" +
			"- a key the method needs but `usage` lacks, such as `images` for `per_image`, or `quality` and " +
			"`resolution` for a model priced only by a grid, or one of them without the other (the message lists the " +
			"qualities and resolutions the model has);\n" +
			"- a usage that needs a price the model does not publish, such as `output_tokens` when " +
			"`output_cost_per_token` is null, or `high_res = true` when `cost_per_second_high_res` is null;\n" +
			"- a negative or non-finite number, or a token or image count that is not a whole number;\n" +
			"- a null `pricing` or `method`, or a method this version of the provider does not know " +
			"(a newer provider version may).\n\n" +
			"A key set to `null` counts as absent, so a `usage` can be assembled from optional variables. " +
			"When an argument is not known yet during plan, the result is unknown until apply.",
		Parameters: []function.Parameter{
			function.ObjectParameter{
				Name:           "pricing",
				AttributeTypes: pricingAttrTypes(),
				AllowNullValue: true,
				MarkdownDescription: "The `pricing` attribute of an `oxen_model` data source, or of an element of " +
					"`oxen_models`' `models`, passed as it is: `data.oxen_model.x.pricing`. The parameter has the exact " +
					"object type of that attribute, so a hand-written object must set every attribute (`null` where a " +
					"price does not apply); to try a what-if price, start from the model's own pricing: " +
					"`merge(data.oxen_model.x.pricing, { cost_per_second = 0.001 })`. The type is exact rather than " +
					"dynamic on purpose: a misspelt attribute in a hand-written pricing is then rejected by Terraform " +
					"instead of silently becoming a missing price.",
			},
			function.DynamicParameter{
				Name: "usage",
				MarkdownDescription: "An object with only the keys the model's pricing reads: `input_tokens`, " +
					"`output_tokens` and `images` (whole numbers), `seconds` and `video_seconds` (numbers of seconds), " +
					"`high_res` and `with_audio` (booleans), `resolution` and `quality` (strings), such as " +
					"`{ input_tokens = 1000000, output_tokens = 200000 }`. Leave out `quality` and `resolution` to get " +
					"the flat price of a model that has one beside its table.",
			},
		},
		Return: function.NumberReturn{},
	}
}

func (f *estimateCostFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var pricingArg types.Object
	var usageArg types.Dynamic
	if resp.Error = req.Arguments.Get(ctx, &pricingArg, &usageArg); resp.Error != nil {
		return
	}
	// Keys and known values are checked before anything waits for unknown
	// ones, so a misspelt key is reported even in a plan.
	u, usageUnknown, ferr := readUsage(usageArg)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	p, pricingUnknown, ferr := readPricing(pricingArg)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	if usageUnknown || pricingUnknown {
		resp.Error = resp.Result.Set(ctx, types.NumberUnknown())
		return
	}
	cost, err := pricing.Estimate(p, u)
	if err != nil {
		resp.Error = funcError(err)
		return
	}
	resp.Error = resp.Result.Set(ctx, numberFromRat(cost))
}

// funcError reports an error of internal/pricing against the argument at
// fault.
func funcError(err error) *function.FuncError {
	var pe *pricing.PricingError
	if errors.As(err, &pe) {
		return function.NewArgumentFuncError(argPricing, err.Error())
	}
	return function.NewArgumentFuncError(argUsage, err.Error())
}

// readPricing reads the pricing argument, an oxen_model pricing object, back
// into the API's shape, so that its prices become decimals exactly as the
// data source's do. unknown reports that some value is not known yet.
func readPricing(arg types.Object) (p pricing.Pricing, unknown bool, ferr *function.FuncError) {
	if arg.IsUnknown() {
		return p, true, nil
	}
	if arg.IsNull() {
		return p, false, function.NewArgumentFuncError(argPricing, "pricing is null: the model publishes no pricing, "+
			"so its cost cannot be estimated")
	}
	known := func(v attr.Value) bool {
		unknown = unknown || v.IsUnknown()
		return !v.IsUnknown() && !v.IsNull()
	}
	// A price is handed over as the shortest decimal that Terraform's
	// number reads back as, so 0.001 written in HCL is exactly 1/1000.
	price := func(v attr.Value) json.Number {
		if n, ok := v.(basetypes.NumberValue); ok && known(n) {
			return json.Number(n.ValueBigFloat().Text('g', -1))
		}
		return ""
	}
	prices := func(v attr.Value) map[string]json.Number {
		m, ok := v.(basetypes.MapValue)
		if !ok || !known(m) {
			return nil
		}
		out := map[string]json.Number{}
		for k, e := range m.Elements() {
			if text := price(e); text != "" {
				out[k] = text
			}
		}
		return out
	}

	attrs := arg.Attributes()
	api := oxen.Pricing{
		InputCostPerToken:         price(attrs["input_cost_per_token"]),
		OutputCostPerToken:        price(attrs["output_cost_per_token"]),
		CostPerSecond:             price(attrs["cost_per_second"]),
		CostPerImage:              price(attrs["cost_per_image"]),
		CostPerSecondHighRes:      price(attrs["cost_per_second_high_res"]),
		CostPerSecondWithAudio:    price(attrs["cost_per_second_with_audio"]),
		CostPerSecondByResolution: prices(attrs["cost_per_second_by_resolution"]),
	}
	if m, ok := attrs["method"].(basetypes.StringValue); ok && known(m) {
		api.Method = m.ValueStringPointer()
	}
	if grid, ok := attrs["cost_per_image_grid"].(basetypes.MapValue); ok && known(grid) {
		api.CostPerImageGrid = map[string]map[string]json.Number{}
		for quality, row := range grid.Elements() {
			api.CostPerImageGrid[quality] = prices(row)
		}
	}
	p = pricingFromAPI(&api)
	if err := p.Validate(); err != nil {
		return p, false, funcError(err)
	}
	return p, unknown, nil
}
