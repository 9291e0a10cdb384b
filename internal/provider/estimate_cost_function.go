package provider

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
)

// estimate_cost turns an oxen_model's pricing and a usage into US dollars.
//
// All arithmetic is exact: every price is taken at its shortest decimal
// representation (the digits the API sent, 3e-06 rather than the binary
// float64 nearest to it), every usage number at the decimal Terraform shows
// for it, and products and sums are big.Rat. The result is therefore the
// exact decimal a reviewer gets with pencil and paper: 1,000,000 tokens at
// 3e-06 cost exactly 3.

var _ function.Function = &estimateCostFunction{}

// Argument positions, for function.NewArgumentFuncError.
const (
	argPricing int64 = 0
	argUsage   int64 = 1
)

// Pricing methods of the API, in the order the docs list them.
const (
	methodToken     = "token"
	methodTime      = "time"
	methodPerImage  = "per_image"
	methodPerVideo  = "per_video_output_second"
	knownMethodList = "`token`, `time`, `per_image`, `per_video_output_second`"
)

// Usage keys, in the order the docs list them.
const (
	keyInputTokens  = "input_tokens"
	keyOutputTokens = "output_tokens"
	keySeconds      = "seconds"
	keyImages       = "images"
	keyVideoSeconds = "video_seconds"
	keyHighRes      = "high_res"
	keyWithAudio    = "with_audio"
	keyResolution   = "resolution"
	keyQuality      = "quality"
)

type usageKind int

const (
	usageWholeNumber usageKind = iota // a count: tokens, images
	usageNumber                       // a duration in seconds
	usageBool
	usageString
)

// usageKeys lists every key usage accepts, with the kind of its value.
var usageKeys = []struct {
	name string
	kind usageKind
}{
	{keyInputTokens, usageWholeNumber},
	{keyOutputTokens, usageWholeNumber},
	{keySeconds, usageNumber},
	{keyImages, usageWholeNumber},
	{keyVideoSeconds, usageNumber},
	{keyHighRes, usageBool},
	{keyWithAudio, usageBool},
	{keyResolution, usageString},
	{keyQuality, usageString},
}

// methodKeys are the usage keys each pricing method reads. A non-null key
// outside its method's list is an error, never silently ignored: a budget
// built on a key the price does not depend on would be wrong without anyone
// noticing.
var methodKeys = map[string][]string{
	methodToken:    {keyInputTokens, keyOutputTokens},
	methodTime:     {keySeconds},
	methodPerImage: {keyImages, keyQuality, keyResolution},
	methodPerVideo: {keyVideoSeconds, keyResolution, keyHighRes, keyWithAudio},
}

// NewEstimateCostFunction returns the estimate_cost provider function.
func NewEstimateCostFunction() function.Function {
	return &estimateCostFunction{}
}

type estimateCostFunction struct{}

// pricingAttrTypes is the type of oxen_model's pricing attribute, taken from
// the schema so the function's parameter can never drift from it.
func pricingAttrTypes() map[string]attr.Type {
	return modelAttrTypes()["pricing"].(basetypes.ObjectType).AttrTypes
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
			"| `per_image` | `images × cost_per_image_grid[quality][resolution]` when the model has a grid, else `images × cost_per_image` | `images` (required); `quality` and `resolution` (required with a grid, not accepted without one) |\n" +
			"| `per_video_output_second` | `video_seconds × rate` | `video_seconds` (required); at most one of `resolution` (only for a model with `cost_per_second_by_resolution`), `high_res = true`, `with_audio = true` |\n\n" +
			"The rate of `per_video_output_second` is `cost_per_second_by_resolution[resolution]` when `resolution` is " +
			"given, `cost_per_second_high_res` when `high_res = true`, `cost_per_second_with_audio` when " +
			"`with_audio = true`, and `cost_per_second` otherwise. The API publishes no combined rate (such as " +
			"high resolution with audio), so asking for two of these at once is an error rather than a guess. " +
			"`video_seconds` is the length of the video produced; `seconds` is not accepted as an alias, because for " +
			"`time` pricing it means running time, a different quantity.\n\n" +
			"Errors, each naming the argument at fault:\n\n" +
			"- a `usage` key not in the list above (the message lists the accepted ones), or a key the model's " +
			"pricing method does not read: a price that does not depend on a key would silently ignore it;\n" +
			"- a key the method needs but `usage` lacks, such as `images` for `per_image`, or `quality` and " +
			"`resolution` for a model priced by a grid (the message lists the qualities and resolutions the model has);\n" +
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
					"`{ input_tokens = 1000000, output_tokens = 200000 }`.",
			},
		},
		Return: function.NumberReturn{},
	}
}

func (f *estimateCostFunction) Run(ctx context.Context, req function.RunRequest, resp *function.RunResponse) {
	var pricingArg types.Object
	var usageArg types.Dynamic
	resp.Error = req.Arguments.Get(ctx, &pricingArg, &usageArg)
	if resp.Error != nil {
		return
	}

	// Keys are checked before values are looked at, so a misspelt key is
	// reported even while the plan still has unknown values.
	u, unknown, ferr := readUsage(usageArg)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	p, pricingUnknown, ferr := readPricing(pricingArg)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	if unknown || pricingUnknown {
		resp.Error = resp.Result.Set(ctx, types.NumberUnknown())
		return
	}

	cost, ferr := estimateCost(p, u)
	if ferr != nil {
		resp.Error = ferr
		return
	}
	resp.Error = resp.Result.Set(ctx, numberFromRat(cost))
}

// costPricing is a pricing object with its prices as exact decimals; nil
// where the API has null.
type costPricing struct {
	method             *string
	inputPerToken      *big.Rat
	outputPerToken     *big.Rat
	perSecond          *big.Rat
	perImage           *big.Rat
	perSecondHighRes   *big.Rat
	perSecondWithAudio *big.Rat
	grid               map[string]map[string]*big.Rat // quality -> resolution -> cost
	byResolution       map[string]*big.Rat
}

// costUsage holds the non-null keys of usage.
type costUsage struct {
	numbers map[string]*big.Rat
	bools   map[string]bool
	strings map[string]string
}

func (u costUsage) has(key string) bool {
	if _, ok := u.numbers[key]; ok {
		return true
	}
	if _, ok := u.bools[key]; ok {
		return true
	}
	_, ok := u.strings[key]
	return ok
}

// readUsage validates the usage argument. unknown reports that some value
// is not known yet.
func readUsage(arg types.Dynamic) (costUsage, bool, *function.FuncError) {
	u := costUsage{numbers: map[string]*big.Rat{}, bools: map[string]bool{}, strings: map[string]string{}}
	if arg.IsUnknown() || arg.IsUnderlyingValueUnknown() {
		return u, true, nil
	}
	if arg.IsNull() || arg.IsUnderlyingValueNull() {
		return u, false, function.NewArgumentFuncError(argUsage, "usage must be an object such as "+
			"{ input_tokens = 1000000 }, not null")
	}

	var values map[string]attr.Value
	switch v := arg.UnderlyingValue().(type) {
	case basetypes.ObjectValue:
		values = v.Attributes()
	case basetypes.MapValue:
		values = v.Elements()
	default:
		return u, false, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage must be an object such as "+
			"{ input_tokens = 1000000 }, got a value of type %s", costTypeName(v)))
	}

	kinds := map[string]usageKind{}
	for _, k := range usageKeys {
		kinds[k.name] = k.kind
	}
	var unknownKeys []string
	for name := range values {
		if _, ok := kinds[name]; !ok {
			unknownKeys = append(unknownKeys, fmt.Sprintf("%q", name))
		}
	}
	if len(unknownKeys) > 0 {
		sort.Strings(unknownKeys)
		noun := "key"
		if len(unknownKeys) > 1 {
			noun = "keys"
		}
		return u, false, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage has the unknown %s %s; "+
			"the accepted keys are %s", noun, strings.Join(unknownKeys, ", "), acceptedKeys()))
	}

	unknown := false
	for _, k := range usageKeys {
		v, ok := values[k.name]
		if !ok {
			continue
		}
		if dv, isDynamic := v.(basetypes.DynamicValue); isDynamic {
			if dv.IsUnknown() || dv.IsUnderlyingValueUnknown() {
				unknown = true
				continue
			}
			if dv.IsNull() || dv.IsUnderlyingValueNull() {
				continue
			}
			v = dv.UnderlyingValue()
		}
		if v.IsUnknown() {
			unknown = true
			continue
		}
		if v.IsNull() {
			continue
		}
		switch k.kind {
		case usageWholeNumber, usageNumber:
			r, ferr := usageNumberValue(k.name, v, k.kind == usageWholeNumber)
			if ferr != nil {
				return u, false, ferr
			}
			u.numbers[k.name] = r
		case usageBool:
			b, ferr := usageBoolValue(k.name, v)
			if ferr != nil {
				return u, false, ferr
			}
			u.bools[k.name] = b
		case usageString:
			s, ok := v.(basetypes.StringValue)
			if !ok {
				return u, false, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be a string, "+
					"got a value of type %s", k.name, costTypeName(v)))
			}
			u.strings[k.name] = s.ValueString()
		}
	}
	return u, unknown, nil
}

func acceptedKeys() string {
	names := make([]string, len(usageKeys))
	for i, k := range usageKeys {
		names[i] = k.name
	}
	return strings.Join(names, ", ")
}

// usageNumberValue reads a number of usage exactly. A string holding a
// number is accepted too, as Terraform converts one into the other (tomap
// turns { images = 4, quality = "high" } into strings).
func usageNumberValue(key string, v attr.Value, whole bool) (*big.Rat, *function.FuncError) {
	var text string
	switch n := v.(type) {
	case basetypes.NumberValue:
		bf := n.ValueBigFloat()
		if bf.IsInf() {
			return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be a finite number, got %s", key, bf.Text('g', -1)))
		}
		// The shortest decimal that identifies the number at its precision:
		// the digits that were written in the configuration.
		text = bf.Text('g', -1)
	case basetypes.StringValue:
		text = strings.TrimSpace(n.ValueString())
	default:
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be a number, got a value of type %s", key, costTypeName(v)))
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be a number, got %q", key, text))
	}
	if r.Sign() < 0 {
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must not be negative, got %s", key, costDecimalText(r)))
	}
	if whole && !r.IsInt() {
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be a whole number, got %s", key, costDecimalText(r)))
	}
	return r, nil
}

func usageBoolValue(key string, v attr.Value) (bool, *function.FuncError) {
	switch b := v.(type) {
	case basetypes.BoolValue:
		return b.ValueBool(), nil
	case basetypes.StringValue:
		switch b.ValueString() {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return false, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be true or false, got %q", key, b.ValueString()))
	}
	return false, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be true or false, got a value of type %s", key, costTypeName(v)))
}

// typeName names the Terraform type of v for an error message.
func costTypeName(v attr.Value) string {
	switch v.(type) {
	case basetypes.NumberValue, basetypes.Float64Value, basetypes.Int64Value:
		return "number"
	case basetypes.StringValue:
		return "string"
	case basetypes.BoolValue:
		return "bool"
	case basetypes.ObjectValue:
		return "object"
	case basetypes.MapValue:
		return "map"
	case basetypes.ListValue:
		return "list"
	case basetypes.TupleValue:
		return "tuple"
	case basetypes.SetValue:
		return "set"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", v), "basetypes")
}

// decimalText prints r as a plain decimal when it has a finite one, which
// every number read from a configuration does.
func costDecimalText(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	if n, exact := r.FloatPrec(); exact {
		return r.FloatString(n)
	}
	return r.RatString()
}

// readPricing validates the pricing argument.
func readPricing(arg types.Object) (costPricing, bool, *function.FuncError) {
	var p costPricing
	if arg.IsUnknown() {
		return p, true, nil
	}
	if arg.IsNull() {
		return p, false, function.NewArgumentFuncError(argPricing, "pricing is null: the model publishes no pricing, "+
			"so its cost cannot be estimated")
	}
	attrs := arg.Attributes()
	unknown := false

	if m, ok := attrs["method"].(basetypes.StringValue); ok {
		switch {
		case m.IsUnknown():
			unknown = true
		case !m.IsNull():
			s := m.ValueString()
			p.method = &s
		}
	}

	price := func(name string) (*big.Rat, *function.FuncError) {
		v, ok := attrs[name].(basetypes.Float64Value)
		if !ok || v.IsNull() {
			return nil, nil
		}
		if v.IsUnknown() {
			unknown = true
			return nil, nil
		}
		return priceRat("pricing."+name, v.ValueFloat64())
	}
	var ferr *function.FuncError
	for _, field := range []struct {
		name   string
		target **big.Rat
	}{
		{"input_cost_per_token", &p.inputPerToken},
		{"output_cost_per_token", &p.outputPerToken},
		{"cost_per_second", &p.perSecond},
		{"cost_per_image", &p.perImage},
		{"cost_per_second_high_res", &p.perSecondHighRes},
		{"cost_per_second_with_audio", &p.perSecondWithAudio},
	} {
		if *field.target, ferr = price(field.name); ferr != nil {
			return p, false, ferr
		}
	}

	priceMap := func(name string, m basetypes.MapValue) (map[string]*big.Rat, *function.FuncError) {
		if m.IsUnknown() {
			unknown = true
			return nil, nil
		}
		if m.IsNull() {
			return nil, nil
		}
		out := map[string]*big.Rat{}
		for k, ev := range m.Elements() {
			fv, ok := ev.(basetypes.Float64Value)
			if !ok || fv.IsNull() {
				continue
			}
			if fv.IsUnknown() {
				unknown = true
				continue
			}
			r, ferr := priceRat(fmt.Sprintf("%s[%q]", name, k), fv.ValueFloat64())
			if ferr != nil {
				return nil, ferr
			}
			out[k] = r
		}
		return out, nil
	}

	if byRes, ok := attrs["cost_per_second_by_resolution"].(basetypes.MapValue); ok {
		if p.byResolution, ferr = priceMap("pricing.cost_per_second_by_resolution", byRes); ferr != nil {
			return p, false, ferr
		}
	}
	if grid, ok := attrs["cost_per_image_grid"].(basetypes.MapValue); ok {
		switch {
		case grid.IsUnknown():
			unknown = true
		case !grid.IsNull():
			p.grid = map[string]map[string]*big.Rat{}
			for quality, qv := range grid.Elements() {
				row, ok := qv.(basetypes.MapValue)
				if !ok {
					continue
				}
				prices, ferr := priceMap(fmt.Sprintf("pricing.cost_per_image_grid[%q]", quality), row)
				if ferr != nil {
					return p, false, ferr
				}
				if len(prices) > 0 {
					p.grid[quality] = prices
				}
			}
		}
	}
	return p, unknown, nil
}

// priceRat turns a price into the exact decimal it was published as: the
// shortest decimal that round-trips to the float64.
func priceRat(name string, f float64) (*big.Rat, *function.FuncError) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return nil, function.NewArgumentFuncError(argPricing, fmt.Sprintf("%s must be a finite number, got %v", name, f))
	}
	if f < 0 {
		return nil, function.NewArgumentFuncError(argPricing, fmt.Sprintf("%s must not be negative, got %s", name,
			strconv.FormatFloat(f, 'g', -1, 64)))
	}
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(f, 'g', -1, 64))
	if !ok {
		return nil, function.NewArgumentFuncError(argPricing, fmt.Sprintf("%s is not a decimal number: %v", name, f))
	}
	return r, nil
}

// estimateCost applies the rules of the pricing method to the usage.
func estimateCost(p costPricing, u costUsage) (*big.Rat, *function.FuncError) {
	if p.method == nil {
		return nil, function.NewArgumentFuncError(argPricing, "pricing.method is null, so the cost cannot be "+
			"estimated; the known methods are "+knownMethodList)
	}
	method := *p.method
	keys, known := methodKeys[method]
	if !known {
		return nil, function.NewArgumentFuncError(argPricing, fmt.Sprintf("pricing method %q is not one this "+
			"version of the provider knows (%s); a newer version may support it", method, knownMethodList))
	}
	for _, k := range usageKeys {
		if !u.has(k.name) || slices.Contains(keys, k.name) {
			continue
		}
		hint := ""
		if method == methodPerVideo && k.name == keySeconds {
			hint = ". Use video_seconds, the length of the video produced; seconds is the running time of time-priced models"
		}
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s does not apply to %s pricing, "+
			"which reads %s%s", k.name, method, strings.Join(keys, ", "), hint))
	}

	switch method {
	case methodToken:
		return tokenCost(p, u)
	case methodTime:
		return timeCost(p, u)
	case methodPerImage:
		return imageCost(p, u)
	default:
		return videoCost(p, u)
	}
}

func tokenCost(p costPricing, u costUsage) (*big.Rat, *function.FuncError) {
	in, hasIn := u.numbers[keyInputTokens]
	out, hasOut := u.numbers[keyOutputTokens]
	if !hasIn && !hasOut {
		return nil, function.NewArgumentFuncError(argUsage, "token pricing needs usage.input_tokens, "+
			"usage.output_tokens or both")
	}
	total := new(big.Rat)
	if hasIn {
		if p.inputPerToken == nil {
			return nil, missingPrice("usage.input_tokens is set", "input_cost_per_token")
		}
		total.Add(total, new(big.Rat).Mul(in, p.inputPerToken))
	}
	if hasOut {
		if p.outputPerToken == nil {
			return nil, missingPrice("usage.output_tokens is set", "output_cost_per_token")
		}
		total.Add(total, new(big.Rat).Mul(out, p.outputPerToken))
	}
	return total, nil
}

func timeCost(p costPricing, u costUsage) (*big.Rat, *function.FuncError) {
	seconds, ok := u.numbers[keySeconds]
	if !ok {
		return nil, function.NewArgumentFuncError(argUsage, "time pricing needs usage.seconds, the running time "+
			"to be billed")
	}
	if p.perSecond == nil {
		return nil, missingPrice("time pricing bills by the second", "cost_per_second")
	}
	return new(big.Rat).Mul(seconds, p.perSecond), nil
}

func imageCost(p costPricing, u costUsage) (*big.Rat, *function.FuncError) {
	images, ok := u.numbers[keyImages]
	if !ok {
		return nil, function.NewArgumentFuncError(argUsage, "per_image pricing needs usage.images, the number "+
			"of images to be generated")
	}
	quality, hasQuality := u.strings[keyQuality]
	resolution, hasResolution := u.strings[keyResolution]

	if len(p.grid) == 0 {
		if hasQuality || hasResolution {
			return nil, function.NewArgumentFuncError(argUsage, "this model charges one cost_per_image whatever "+
				"the quality and resolution (its pricing has no cost_per_image_grid); remove usage.quality and "+
				"usage.resolution")
		}
		if p.perImage == nil {
			return nil, missingPrice("per_image pricing bills by the image", "cost_per_image (nor a cost_per_image_grid)")
		}
		return new(big.Rat).Mul(images, p.perImage), nil
	}

	qualities := keysByPrice(cheapestPerRow(p.grid))
	if !hasQuality || !hasResolution {
		var missing []string
		if !hasQuality {
			missing = append(missing, "usage.quality to one of "+costQuoteAll(qualities))
		}
		if !hasResolution {
			var all []string
			seen := map[string]bool{}
			for _, q := range qualities {
				for _, r := range keysByPrice(p.grid[q]) {
					if !seen[r] {
						seen[r] = true
						all = append(all, r)
					}
				}
			}
			missing = append(missing, "usage.resolution to one of "+costQuoteAll(all))
		}
		return nil, function.NewArgumentFuncError(argUsage, "this model's image price depends on quality and "+
			"resolution (cost_per_image_grid): set "+strings.Join(missing, ", and "))
	}
	row, ok := p.grid[quality]
	if !ok {
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.quality %q is not priced for this "+
			"model; its qualities are %s", quality, costQuoteAll(qualities)))
	}
	price, ok := row[resolution]
	if !ok {
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.resolution %q is not priced for "+
			"quality %q; the resolutions of quality %q are %s", resolution, quality, quality, costQuoteAll(keysByPrice(row))))
	}
	return new(big.Rat).Mul(images, price), nil
}

func videoCost(p costPricing, u costUsage) (*big.Rat, *function.FuncError) {
	seconds, ok := u.numbers[keyVideoSeconds]
	if !ok {
		return nil, function.NewArgumentFuncError(argUsage, "per_video_output_second pricing needs "+
			"usage.video_seconds, the length of the video to be generated")
	}
	resolution, hasResolution := u.strings[keyResolution]
	highRes := u.bools[keyHighRes]
	withAudio := u.bools[keyWithAudio]

	var chosen []string
	if hasResolution {
		chosen = append(chosen, fmt.Sprintf("resolution = %q", resolution))
	}
	if highRes {
		chosen = append(chosen, "high_res = true")
	}
	if withAudio {
		chosen = append(chosen, "with_audio = true")
	}
	if len(chosen) > 1 {
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage sets %s, but the pricing has one "+
			"rate for each of these options and none for a combination of them; set only one",
			strings.Join(chosen, " and ")))
	}

	var rate *big.Rat
	switch {
	case hasResolution:
		if len(p.byResolution) == 0 {
			return nil, function.NewArgumentFuncError(argUsage, "this model's video price does not depend on "+
				"the resolution (its pricing has no cost_per_second_by_resolution); remove usage.resolution")
		}
		if rate, ok = p.byResolution[resolution]; !ok {
			return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.resolution %q is not priced "+
				"for this model; its resolutions are %s", resolution, costQuoteAll(keysByPrice(p.byResolution))))
		}
	case highRes:
		if rate = p.perSecondHighRes; rate == nil {
			return nil, missingPrice("usage.high_res is true", "cost_per_second_high_res")
		}
	case withAudio:
		if rate = p.perSecondWithAudio; rate == nil {
			return nil, missingPrice("usage.with_audio is true", "cost_per_second_with_audio")
		}
	default:
		if rate = p.perSecond; rate == nil {
			if len(p.byResolution) > 0 {
				return nil, function.NewArgumentFuncError(argUsage, "this model has no flat cost_per_second: its "+
					"video price depends on the resolution; set usage.resolution to one of "+
					costQuoteAll(keysByPrice(p.byResolution)))
			}
			return nil, missingPrice("per_video_output_second pricing bills by the second of video", "cost_per_second")
		}
	}
	return new(big.Rat).Mul(seconds, rate), nil
}

// missingPrice reports a usage that needs a price the model does not publish.
func missingPrice(why, priceName string) *function.FuncError {
	return function.NewArgumentFuncError(argPricing, fmt.Sprintf("%s, but the pricing has no %s: the model "+
		"does not publish that price", why, priceName))
}

// cheapestPerRow gives each quality of a grid its lowest price, to list
// qualities from cheapest to dearest.
func cheapestPerRow(grid map[string]map[string]*big.Rat) map[string]*big.Rat {
	out := map[string]*big.Rat{}
	for q, row := range grid {
		for _, price := range row {
			if out[q] == nil || price.Cmp(out[q]) < 0 {
				out[q] = price
			}
		}
	}
	return out
}

// keysByPrice lists the keys of m from the cheapest price to the dearest,
// then by name: "480p", "720p", "1080p" rather than in string order.
func keysByPrice(m map[string]*big.Rat) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if c := m[keys[i]].Cmp(m[keys[j]]); c != 0 {
			return c < 0
		}
		return keys[i] < keys[j]
	})
	return keys
}

func costQuoteAll(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = strconv.Quote(s)
	}
	return strings.Join(quoted, ", ")
}
