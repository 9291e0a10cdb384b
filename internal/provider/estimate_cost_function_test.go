package provider

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"
)

// The pricing of the simulator's catalog (internal/oxensim/catalog.json),
// as the oxen_model data source hands it to the function.
var (
	sonnetPricing = map[string]any{ // claude-sonnet-4-6
		"method": "token", "input_cost_per_token": 3e-06, "output_cost_per_token": 1.5e-05,
	}
	customModelPricing = map[string]any{ // my-custom-model
		"method": "time", "cost_per_second": 0.00078,
	}
	gptImage1Pricing = map[string]any{
		"method": "per_image",
		"cost_per_image_grid": map[string]map[string]float64{
			"low":    {"1K": 0.011, "2K": 0.022},
			"medium": {"1K": 0.042, "2K": 0.084},
			"high":   {"1K": 0.167, "4K": 1.47},
		},
	}
	flux2DevPricing = map[string]any{
		"method": "per_image", "cost_per_image": 0.012,
	}
	seedancePricing = map[string]any{ // seedance-1-pro
		"method":                        "per_video_output_second",
		"cost_per_second_by_resolution": map[string]float64{"480p": 0.096, "720p": 0.144, "1080p": 0.24},
	}
	sora2ProPricing = map[string]any{
		"method": "per_video_output_second", "cost_per_second": 0.3, "cost_per_second_high_res": 0.5,
	}
	veo31Pricing = map[string]any{
		"method": "per_video_output_second", "cost_per_second": 0.2, "cost_per_second_with_audio": 0.4,
	}
	wan22Pricing = map[string]any{ // wan-2-2-text-to-video
		"method": "per_video_output_second", "cost_per_second": 0.08, "cost_per_second_high_res": 0.16,
		"cost_per_second_by_resolution": map[string]float64{"480p": 0.04, "720p": 0.08},
	}
)

// pricingValue builds the pricing argument; attributes left out are null.
func pricingValue(t *testing.T, fields map[string]any) types.Object {
	t.Helper()
	attrTypes := pricingAttrTypes()
	gridRow := types.MapType{ElemType: types.NumberType}
	vals := map[string]attr.Value{}
	for name := range attrTypes {
		v, present := fields[name]
		switch name {
		case "method":
			vals[name] = types.StringNull()
			if present {
				vals[name] = types.StringValue(pricingField[string](t, name, v))
			}
		case "cost_per_image_grid":
			vals[name] = types.MapNull(gridRow)
			if present {
				rows := map[string]attr.Value{}
				for q, row := range pricingField[map[string]map[string]float64](t, name, v) {
					rows[q] = float64Map(row)
				}
				vals[name] = types.MapValueMust(gridRow, rows)
			}
		case "cost_per_second_by_resolution":
			vals[name] = types.MapNull(types.NumberType)
			if present {
				vals[name] = float64Map(pricingField[map[string]float64](t, name, v))
			}
		default:
			vals[name] = types.NumberNull()
			if present {
				vals[name] = hclNumber(t, pricingField[float64](t, name, v))
			}
		}
	}
	for name := range fields {
		if _, ok := attrTypes[name]; !ok {
			t.Fatalf("pricingValue: no pricing attribute %q", name)
		}
	}
	return types.ObjectValueMust(attrTypes, vals)
}

// hclNumber is f as Terraform holds it when written in HCL: its shortest
// decimal at Terraform's precision.
func hclNumber(t *testing.T, f float64) types.Number {
	n, err := parseNumber(strconv.FormatFloat(f, 'g', -1, 64))
	if err != nil {
		t.Fatal(err)
	}
	return types.NumberValue(n)
}

// pricingField is the value of a pricing attribute given to pricingValue, as the
// Go type that attribute takes.
func pricingField[T any](t *testing.T, name string, v any) T {
	t.Helper()
	x, ok := v.(T)
	if !ok {
		t.Fatalf("pricingValue: %s is a %T, want a %T", name, v, x)
	}
	return x
}

func float64Map(m map[string]float64) types.Map {
	elems := map[string]attr.Value{}
	for k, f := range m {
		elems[k] = hclNumber(nil, f)
	}
	return types.MapValueMust(types.NumberType, elems)
}

// num is a number as Terraform parses it from a configuration: the decimal
// at 512 bits.
func num(t *testing.T, decimal string) types.Number {
	t.Helper()
	return types.NumberValue(dec(t, decimal))
}

func dec(t *testing.T, decimal string) *big.Float {
	t.Helper()
	f, _, err := big.ParseFloat(decimal, 10, 512, big.ToNearestEven)
	if err != nil {
		t.Fatalf("bad decimal %q: %s", decimal, err)
	}
	return f
}

// usageValue builds the usage argument as Terraform sends an object
// literal: a dynamic value holding an object of the literal's type.
func usageValue(values map[string]attr.Value) types.Dynamic {
	attrTypes := map[string]attr.Type{}
	for k, v := range values {
		attrTypes[k] = v.Type(context.Background())
	}
	return types.DynamicValue(types.ObjectValueMust(attrTypes, values))
}

func runEstimateCost(t *testing.T, pricing, usage attr.Value) (types.Number, *function.FuncError) {
	t.Helper()
	resp := &function.RunResponse{Result: function.NewResultData(types.NumberUnknown())}
	NewEstimateCostFunction().Run(context.Background(), function.RunRequest{
		Arguments: function.NewArgumentsData([]attr.Value{pricing, usage}),
	}, resp)
	if resp.Error != nil {
		return types.NumberUnknown(), resp.Error
	}
	n, ok := resp.Result.Value().(types.Number)
	if !ok {
		t.Fatalf("result is a %T, not a number", resp.Result.Value())
	}
	return n, nil
}

// Each usage key and each price goes from its Terraform value to the right
// field of internal/pricing, whose own tests hold the arithmetic.
func TestEstimateCost_methods(t *testing.T) {
	type u = map[string]attr.Value
	cases := []struct {
		name    string
		pricing map[string]any
		usage   func(t *testing.T) u
		want    string // the hand-computed cost, as an exact decimal
	}{
		{"token/sonnet in and out", sonnetPricing, func(t *testing.T) u {
			// 1,000,000 × 0.000003 = 3; 200,000 × 0.000015 = 3; 3 + 3 = 6
			return u{"input_tokens": num(t, "1000000"), "output_tokens": num(t, "200000")}
		}, "6"},
		{"token/null key counts as absent", sonnetPricing, func(t *testing.T) u {
			return u{"input_tokens": num(t, "1000000"), "output_tokens": types.NumberNull()}
		}, "3"},
		{"token/null of dynamic type counts as absent", sonnetPricing, func(t *testing.T) u {
			return u{"input_tokens": num(t, "1000000"), "quality": types.DynamicNull()}
		}, "3"},
		{"time/my-custom-model one hour", customModelPricing, func(t *testing.T) u {
			return u{"seconds": num(t, "3600")} // 3,600 × 0.00078 = 2.808
		}, "2.808"},
		{"per_image/gpt-image-1 high 4K", gptImage1Pricing, func(t *testing.T) u {
			// 10 × 1.47 = 14.7
			return u{"images": num(t, "10"), "quality": types.StringValue("high"), "resolution": types.StringValue("4K")}
		}, "14.7"},
		{"per_image/flux-2-dev flat price", flux2DevPricing, func(t *testing.T) u {
			return u{"images": num(t, "250")} // 250 × 0.012 = 3
		}, "3"},
		{"video/seedance-1-pro 720p", seedancePricing, func(t *testing.T) u {
			// 10 × 0.144 = 1.44
			return u{"video_seconds": num(t, "10"), "resolution": types.StringValue("720p")}
		}, "1.44"},
		{"video/sora-2-pro high_res", sora2ProPricing, func(t *testing.T) u {
			return u{"video_seconds": num(t, "12"), "high_res": types.BoolValue(true)} // 12 × 0.5 = 6
		}, "6"},
		{"video/veo-3-1 with_audio", veo31Pricing, func(t *testing.T) u {
			return u{"video_seconds": num(t, "8"), "with_audio": types.BoolValue(true)} // 8 × 0.4 = 3.2
		}, "3.2"},
		{"video/wan-2-2 base", wan22Pricing, func(t *testing.T) u {
			return u{"video_seconds": num(t, "10")} // 10 × 0.08 = 0.8
		}, "0.8"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ferr := runEstimateCost(t, pricingValue(t, tc.pricing), usageValue(tc.usage(t)))
			if ferr != nil {
				t.Fatalf("unexpected error: %s", ferr.Text)
			}
			assertCost(t, got, tc.want)
		})
	}
}

// assertCost compares exactly: the result must be the 512-bit number that
// Terraform reads from the decimal want, and print as want.
func assertCost(t *testing.T, got types.Number, want string) {
	t.Helper()
	if got.IsUnknown() || got.IsNull() {
		t.Fatalf("got %s, want %s", got, want)
	}
	g := got.ValueBigFloat()
	if g.Cmp(dec(t, want)) != 0 {
		t.Fatalf("got %s, want exactly %s", g.Text('f', 40), want)
	}
	if s := g.Text('f', -1); s != want {
		t.Fatalf("prints as %s, want %s", s, want)
	}
}

func TestEstimateCost_usageAsMapOfStrings(t *testing.T) {
	// tomap({ images = 4, quality = "high", resolution = "1K" }) makes every
	// value a string, as Terraform converts the number.
	usage := types.DynamicValue(types.MapValueMust(types.StringType, map[string]attr.Value{
		"images": types.StringValue("4"), "quality": types.StringValue("high"), "resolution": types.StringValue("1K"),
	}))
	got, ferr := runEstimateCost(t, pricingValue(t, gptImage1Pricing), usage)
	if ferr != nil {
		t.Fatalf("unexpected error: %s", ferr.Text)
	}
	assertCost(t, got, "0.668") // 4 × 0.167
}

func TestEstimateCost_unknownValuesGiveUnknownResult(t *testing.T) {
	cases := map[string]struct {
		pricing attr.Value
		usage   attr.Value
	}{
		"usage unknown": {pricingValue(t, sonnetPricing), types.DynamicUnknown()},
		"usage key unknown": {pricingValue(t, sonnetPricing), usageValue(map[string]attr.Value{
			"input_tokens": types.NumberUnknown(), "output_tokens": num(t, "10"),
		})},
		"pricing unknown": {types.ObjectUnknown(pricingAttrTypes()), usageValue(map[string]attr.Value{
			"input_tokens": num(t, "10"),
		})},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, ferr := runEstimateCost(t, tc.pricing, tc.usage)
			if ferr != nil {
				t.Fatalf("unexpected error: %s", ferr.Text)
			}
			if !got.IsUnknown() {
				t.Fatalf("got %s, want unknown", got)
			}
		})
	}
}

// Terraform values the function cannot read, and an error of each kind from
// internal/pricing (whose tests hold them all), each against the argument at
// fault: a key of usage is the usage's fault, even when the pricing lacks
// the price that key asks for.
func TestEstimateCost_errors(t *testing.T) {
	type u = map[string]attr.Value
	str := types.StringValue
	boolean := types.BoolValue
	cases := []struct {
		name    string
		pricing attr.Value
		usage   func(t *testing.T) attr.Value
		arg     int64
		want    string // the whole error text
	}{
		{"unknown key", pricingValue(t, sonnetPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"tokens": num(t, "5")})
		}, argUsage, `usage has the unknown key "tokens"; the accepted keys are input_tokens, output_tokens, ` +
			`seconds, images, video_seconds, high_res, with_audio, resolution, quality`},
		{"unknown keys, even with unknown values", pricingValue(t, sonnetPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"tokens_in": types.NumberUnknown(), "Input_Tokens": num(t, "5")})
		}, argUsage, `usage has the unknown keys "Input_Tokens", "tokens_in"; the accepted keys are input_tokens, ` +
			`output_tokens, seconds, images, video_seconds, high_res, with_audio, resolution, quality`},
		{"usage not an object", pricingValue(t, sonnetPricing), func(t *testing.T) attr.Value {
			return types.DynamicValue(str("1000000"))
		}, argUsage, `usage must be an object such as { input_tokens = 1000000 }, got a value of type string`},
		{"usage null", pricingValue(t, sonnetPricing), func(t *testing.T) attr.Value {
			return types.DynamicNull()
		}, argUsage, `usage must be an object such as { input_tokens = 1000000 }, not null`},
		{"negative tokens", pricingValue(t, sonnetPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"input_tokens": num(t, "-5")})
		}, argUsage, `usage.input_tokens must not be negative, got -5`},
		{"fractional images", pricingValue(t, flux2DevPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"images": num(t, "2.5")})
		}, argUsage, `usage.images must be a whole number, got 2.5`},
		{"infinite seconds", pricingValue(t, customModelPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"seconds": types.NumberValue(new(big.Float).SetInf(false))})
		}, argUsage, `usage.seconds must be a finite number, got +Inf`},
		{"seconds not a number", pricingValue(t, customModelPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"seconds": str("an hour")})
		}, argUsage, `usage.seconds must be a number, got "an hour"`},
		{"seconds a bool", pricingValue(t, customModelPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"seconds": boolean(true)})
		}, argUsage, `usage.seconds must be a number, got a value of type bool`},
		{"high_res not a bool", pricingValue(t, sora2ProPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"video_seconds": num(t, "1"), "high_res": str("yes")})
		}, argUsage, `usage.high_res must be true or false, got "yes"`},
		{"resolution not a string", pricingValue(t, seedancePricing), func(t *testing.T) attr.Value {
			return usageValue(u{"video_seconds": num(t, "1"), "resolution": num(t, "720")})
		}, argUsage, `usage.resolution must be a string, got a value of type number`},

		{"pricing null", types.ObjectNull(pricingAttrTypes()), func(t *testing.T) attr.Value {
			return usageValue(u{"input_tokens": num(t, "5")})
		}, argPricing, `pricing is null: the model publishes no pricing, so its cost cannot be estimated`},
		{"method null", pricingValue(t, map[string]any{"cost_per_second": 0.1}), func(t *testing.T) attr.Value {
			return usageValue(u{"seconds": num(t, "5")})
		}, argPricing, "pricing.method is null, so the cost cannot be estimated; the known methods are " +
			"`token`, `time`, `per_image`, `per_video_output_second`"},
		{"negative price", pricingValue(t, map[string]any{"method": "time", "cost_per_second": -0.1}), func(t *testing.T) attr.Value {
			return usageValue(u{"seconds": num(t, "5")})
		}, argPricing, `pricing.cost_per_second must not be negative, got -0.1`},

		{"token count without its price", pricingValue(t, map[string]any{"method": "token", "input_cost_per_token": 1e-06}), func(t *testing.T) attr.Value {
			return usageValue(u{"input_tokens": num(t, "5"), "output_tokens": num(t, "5")})
		}, argUsage, `usage.output_tokens is set, but the pricing has no output_cost_per_token: the model does not publish that price`},
		{"time without cost_per_second", pricingValue(t, map[string]any{"method": "time"}), func(t *testing.T) attr.Value {
			return usageValue(u{"seconds": num(t, "5")})
		}, argPricing, `time pricing bills by the second, but the pricing has no cost_per_second: the model does not publish that price`},
		{"grid without quality and resolution", pricingValue(t, gptImage1Pricing), func(t *testing.T) attr.Value {
			return usageValue(u{"images": num(t, "1")})
		}, argUsage, `this model's image price depends on quality and resolution (cost_per_image_grid): set ` +
			`usage.quality to one of "low", "medium", "high", and usage.resolution to one of "1K", "2K", "4K"`},
		{"video with seconds", pricingValue(t, sora2ProPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"seconds": num(t, "10")})
		}, argUsage, `usage.seconds does not apply to per_video_output_second pricing, which reads video_seconds, ` +
			`resolution, high_res, with_audio. Use video_seconds, the length of the video produced; seconds is the ` +
			`running time of time-priced models`},
		{"with_audio without its rate", pricingValue(t, sora2ProPricing), func(t *testing.T) attr.Value {
			return usageValue(u{"video_seconds": num(t, "10"), "with_audio": boolean(true)})
		}, argUsage, `usage.with_audio is true, but the pricing has no cost_per_second_with_audio: the model does not publish that price`},
		{"high_res without its rate", pricingValue(t, veo31Pricing), func(t *testing.T) attr.Value {
			return usageValue(u{"video_seconds": num(t, "10"), "high_res": boolean(true)})
		}, argUsage, `usage.high_res is true, but the pricing has no cost_per_second_high_res: the model does not publish that price`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ferr := runEstimateCost(t, tc.pricing, tc.usage(t))
			if ferr == nil {
				t.Fatalf("got %s, want error %q", got, tc.want)
			}
			if ferr.Text != tc.want {
				t.Errorf("error text\n got: %s\nwant: %s", ferr.Text, tc.want)
			}
			if ferr.FunctionArgument == nil || *ferr.FunctionArgument != tc.arg {
				t.Errorf("error names argument %v, want %d", ferr.FunctionArgument, tc.arg)
			}
		})
	}
}

func TestEstimateCost_typeName(t *testing.T) {
	ctx := context.Background()
	for want, v := range map[string]attr.Value{
		"number":  types.Int64Value(1),
		"string":  types.StringValue("a"),
		"bool":    types.BoolValue(true),
		"object":  types.ObjectValueMust(map[string]attr.Type{"a": types.NumberType}, map[string]attr.Value{"a": types.NumberNull()}),
		"map":     types.MapValueMust(types.StringType, nil),
		"list":    types.ListValueMust(types.StringType, nil),
		"set":     types.SetValueMust(types.StringType, nil),
		"tuple":   types.TupleValueMust(nil, nil),
		"dynamic": types.DynamicNull(),
	} {
		if got := typeName(v); got != want {
			t.Errorf("typeName(%s) = %q, want %q", v.Type(ctx), got, want)
		}
	}
}

func TestEstimateCost_definition(t *testing.T) {
	ctx := context.Background()
	f := NewEstimateCostFunction()
	var meta function.MetadataResponse
	f.Metadata(ctx, function.MetadataRequest{}, &meta)
	if meta.Name != "estimate_cost" {
		t.Fatalf("name %q", meta.Name)
	}
	var def function.DefinitionResponse
	f.Definition(ctx, function.DefinitionRequest{}, &def)
	var validate function.DefinitionValidateResponse
	def.Definition.ValidateImplementation(ctx, function.DefinitionValidateRequest{FuncName: meta.Name}, &validate)
	if validate.Diagnostics.HasError() {
		t.Fatalf("invalid definition: %v", validate.Diagnostics)
	}
	if len(def.Definition.Parameters) != 2 {
		t.Fatalf("%d parameters", len(def.Definition.Parameters))
	}
	// The pricing parameter is exactly the type of oxen_model's pricing, so
	// data.oxen_model.x.pricing converts without loss.
	if got, want := def.Definition.Parameters[0].GetType(), modelAttrTypes()["pricing"]; !got.Equal(want) {
		t.Fatalf("pricing parameter type %s, want %s", got, want)
	}
	if _, ok := def.Definition.Parameters[1].(function.DynamicParameter); !ok {
		t.Fatalf("usage parameter is a %T", def.Definition.Parameters[1])
	}
	if !strings.Contains(def.Definition.MarkdownDescription, "Terraform 1.8") {
		t.Fatalf("description does not say which CLI versions run it")
	}
	var registered bool
	for _, fn := range (&OxenProvider{}).Functions(ctx) {
		var m function.MetadataResponse
		fn().Metadata(ctx, function.MetadataRequest{}, &m)
		registered = registered || m.Name == "estimate_cost"
	}
	if !registered {
		t.Fatal("the provider does not register estimate_cost")
	}
}

// Provider functions need Terraform 1.8 or OpenTofu 1.7; OpenTofu 1.10
// reports its own version, which passes this check.
var functionsSupported = []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_8_0)}

// costIs checks that output is exactly the decimal cost.
func costIs(t *testing.T, output, cost string) statecheck.StateCheck {
	return statecheck.ExpectKnownOutputValue(output, knownvalue.NumberExact(dec(t, cost)))
}

// testFunction is env.test for steps that call a provider function.
func (e *testEnv) testFunction(steps ...resource.TestStep) {
	e.t.Helper()
	e.testOn(functionsSupported, steps...)
}

// estimate is the configuration of an output, name, whose value is
// estimate_cost of pricing (an expression) for usage (an HCL object).
func estimate(name, pricing, usage string) string {
	return fmt.Sprintf("output %q {\n  value = provider::oxen::estimate_cost(%s, %s)\n}\n", name, pricing, usage)
}

// costOf is a configuration whose output "cost" is estimate_cost of the
// model's pricing for usage.
func costOf(model, usage string) string {
	return lookup("m", model) + estimate("cost", "data.oxen_model.m.pricing", usage)
}

func TestAccEstimateCost_eachPricingMethod(t *testing.T) {
	env := newTestEnv(t)
	env.testFunction(resource.TestStep{
		Config: env.config(lookup("sonnet", "claude-sonnet-4-6") + lookup("custom", "my-custom-model") +
			lookup("gpt_image", "gpt-image-1") + lookup("flux", "flux-2-dev") +
			lookup("seedance", "seedance-1-pro") + lookup("sora", "sora-2-pro") +
			estimate("token", "data.oxen_model.sonnet.pricing", "{ input_tokens = 1000000, output_tokens = 200000 }") +
			estimate("time", "data.oxen_model.custom.pricing", "{ seconds = 3600 }") +
			estimate("per_image_grid", "data.oxen_model.gpt_image.pricing", `{ images = 10, quality = "high", resolution = "4K" }`) +
			estimate("per_image_flat", "data.oxen_model.flux.pricing", "{ images = 250 }") +
			estimate("per_video_by_resolution", "data.oxen_model.seedance.pricing", `{ video_seconds = 10, resolution = "720p" }`) +
			estimate("per_video_high_res", "data.oxen_model.sora.pricing", "{ video_seconds = 12, high_res = true }") + `
# What a user reads in the plan and in "output": the exact decimal.
output "per_image_grid_text" {
  value = tostring(provider::oxen::estimate_cost(data.oxen_model.gpt_image.pricing, {
    images = 10, quality = "high", resolution = "4K"
  }))
}
output "time_text" {
  value = tostring(provider::oxen::estimate_cost(data.oxen_model.custom.pricing, { seconds = 3600 }))
}
`),
		ConfigStateChecks: []statecheck.StateCheck{
			costIs(t, "token", "6"),                      // 1,000,000 × 0.000003 + 200,000 × 0.000015 = 3 + 3
			costIs(t, "time", "2.808"),                   // 3,600 × 0.00078
			costIs(t, "per_image_grid", "14.7"),          // 10 × 1.47
			costIs(t, "per_image_flat", "3"),             // 250 × 0.012
			costIs(t, "per_video_by_resolution", "1.44"), // 10 × 0.144
			costIs(t, "per_video_high_res", "6"),         // 12 × 0.5
			statecheck.ExpectKnownOutputValue("per_image_grid_text", knownvalue.StringExact("14.7")),
			statecheck.ExpectKnownOutputValue("time_text", knownvalue.StringExact("2.808")),
		},
	})
}

// The documentation's example computes what its comments say. Its terraform
// block names the registry address; the test harness serves the provider
// under its own, so the block is cut and the harness writes one.
func TestAccEstimateCost_documentationExample(t *testing.T) {
	env := newTestEnv(t)
	example, err := os.ReadFile("../../examples/functions/estimate_cost/function.tf")
	if err != nil {
		t.Fatal(err)
	}
	body := regexp.MustCompile(`(?s)terraform \{.*?\n\}\n`).ReplaceAllString(string(example), "")
	if strings.Contains(body, `source = "oxen-ai/oxen"`) {
		t.Fatal("the example's terraform block was not cut")
	}
	env.testFunction(resource.TestStep{
		Config: env.config(body),
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownOutputValue("monthly_cost_usd", knownvalue.ObjectExact(map[string]knownvalue.Check{
				// 40,000,000 × 0.000003 + 8,000,000 × 0.000015 = 120 + 120
				"chat": knownvalue.NumberExact(dec(t, "240")),
				// 2,000 × 0.042
				"images": knownvalue.NumberExact(dec(t, "84")),
				// 600 × 0.08, the flat cost_per_second, as no resolution is named
				"video": knownvalue.NumberExact(dec(t, "48")),
			})),
			costIs(t, "monthly_budget_usd", "372"),
		},
	})
}

// A usage that is only known after apply makes the estimate unknown in the
// plan, and exact once applied.
func TestAccEstimateCost_unknownUntilApply(t *testing.T) {
	env := newTestEnv(t)
	env.testFunction(resource.TestStep{
		Config: env.config(lookup("seedance", "seedance-1-pro") + `
resource "terraform_data" "clip_seconds" {
  input = 2.5
}
output "cost" {
  value = provider::oxen::estimate_cost(data.oxen_model.seedance.pricing, {
    video_seconds = terraform_data.clip_seconds.output
    resolution    = "480p"
  })
}
`),
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectUnknownOutputValue("cost")},
		},
		ConfigStateChecks: []statecheck.StateCheck{
			costIs(t, "cost", "0.24"), // 2.5 × 0.096
		},
	})
}

func TestAccEstimateCost_errors(t *testing.T) {
	env := newTestEnv(t)
	env.testFunction(resource.TestStep{
		Config: env.config(costOf("gpt-image-1", `{ images = 10 }`)),
		ExpectError: wrapped(`this model's image price depends on quality and resolution (cost_per_image_grid): ` +
			`set usage.quality to one of "low", "medium", "high", and usage.resolution to one of "1K", "2K", "4K".`),
	}, resource.TestStep{
		Config: env.config(costOf("claude-sonnet-4-6", `{ input_tokens = 1000, tokens_out = 10 }`)),
		ExpectError: wrapped(`usage has the unknown key "tokens_out"; the accepted keys are input_tokens, ` +
			`output_tokens, seconds, images, video_seconds, high_res, with_audio, resolution, quality.`),
	}, resource.TestStep{
		Config:      env.config(costOf("claude-sonnet-4-6", `{ input_tokens = -1000 }`)),
		ExpectError: wrapped(`usage.input_tokens must not be negative, got -1000.`),
	}, resource.TestStep{
		// A count that is not whole is the usage's mistake, said as such.
		Config:      env.config(costOf("claude-sonnet-4-6", `{ input_tokens = 1000, output_tokens = 1.5 }`)),
		ExpectError: wrapped(`Invalid value for "usage" parameter: usage.output_tokens must be a whole number, got 1.5.`),
	}, resource.TestStep{
		// A usage key that asks for a price the model does not publish is
		// the usage's mistake: Terraform points at the usage argument.
		Config: env.config(costOf("veo-3-1", `{ video_seconds = 8, high_res = true }`)),
		ExpectError: wrapped(`Invalid value for "usage" parameter: usage.high_res is true, but the pricing has no ` +
			`cost_per_second_high_res: the model does not publish that price.`),
	})
}

// Where a model has a flat price and a table by quality or resolution, a
// usage that names neither gets the flat price, for images as for video; to
// pick from the table it names both. flux-2-dev has only a flat price in the
// catalog, so the test gives it a grid the way the docs suggest for a what-if.
func TestAccEstimateCost_flatPriceBesideATable(t *testing.T) {
	env := newTestEnv(t)
	models := lookup("flux", "flux-2-dev") + lookup("wan", "wan-2-2-text-to-video") + `
locals {
  flux_with_grid = merge(data.oxen_model.flux.pricing, {
    cost_per_image_grid = {
      standard = { "1K" = 0.012, "2K" = 0.024 }
      hd       = { "1K" = 0.03, "2K" = 0.05 }
    }
  })
}
`
	env.testFunction(resource.TestStep{
		Config: env.config(models +
			estimate("images_flat", "local.flux_with_grid", "{ images = 4 }") +
			estimate("images_from_grid", "local.flux_with_grid", `{ images = 4, quality = "hd", resolution = "2K" }`) +
			estimate("video_flat", "data.oxen_model.wan.pricing", "{ video_seconds = 10 }") +
			estimate("video_by_resolution", "data.oxen_model.wan.pricing", `{ video_seconds = 10, resolution = "480p" }`)),
		ConfigStateChecks: []statecheck.StateCheck{
			costIs(t, "images_flat", "0.048"),       // 4 × cost_per_image 0.012
			costIs(t, "images_from_grid", "0.2"),    // 4 × cost_per_image_grid["hd"]["2K"] 0.05
			costIs(t, "video_flat", "0.8"),          // 10 × cost_per_second 0.08
			costIs(t, "video_by_resolution", "0.4"), // 10 × cost_per_second_by_resolution["480p"] 0.04
		},
	}, resource.TestStep{
		// Half a grid choice is a mistake, not a request for the flat price.
		Config: env.config(models + estimate("images", "local.flux_with_grid", `{ images = 4, quality = "hd" }`)),
		ExpectError: wrapped(`usage.quality picks a price from cost_per_image_grid, which needs both quality and ` +
			`resolution: set usage.resolution to one of "1K", "2K", or remove usage.quality for the flat cost_per_image.`),
	})
}
