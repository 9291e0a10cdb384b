package provider

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/pricing"
)

// The usage argument of estimate_cost is dynamic, so that one function serves
// every pricing method: this file turns whatever value Terraform passes into a
// pricing.Usage, and words the type errors as Terraform's own messages do.

// usageKey is one key of usage and how its value is read into a
// pricing.Usage.
type usageKey struct {
	name string
	read func(u *pricing.Usage, v attr.Value) *function.FuncError
}

func readInto[T any](name string, field func(*pricing.Usage) **T, parse func(key string, v attr.Value) (*T, *function.FuncError)) usageKey {
	return usageKey{name, func(u *pricing.Usage, v attr.Value) (ferr *function.FuncError) {
		*field(u), ferr = parse(name, v)
		return ferr
	}}
}

// usageKeys lists every key usage accepts.
var usageKeys = []usageKey{
	readInto(pricing.KeyInputTokens, func(u *pricing.Usage) **big.Rat { return &u.InputTokens }, usageNumber),
	readInto(pricing.KeyOutputTokens, func(u *pricing.Usage) **big.Rat { return &u.OutputTokens }, usageNumber),
	readInto(pricing.KeySeconds, func(u *pricing.Usage) **big.Rat { return &u.Seconds }, usageNumber),
	readInto(pricing.KeyImages, func(u *pricing.Usage) **big.Rat { return &u.Images }, usageNumber),
	readInto(pricing.KeyVideoSeconds, func(u *pricing.Usage) **big.Rat { return &u.VideoSeconds }, usageNumber),
	readInto(pricing.KeyHighRes, func(u *pricing.Usage) **bool { return &u.HighRes }, usageBool),
	readInto(pricing.KeyWithAudio, func(u *pricing.Usage) **bool { return &u.WithAudio }, usageBool),
	readInto(pricing.KeyResolution, func(u *pricing.Usage) **string { return &u.Resolution }, usageString),
	readInto(pricing.KeyQuality, func(u *pricing.Usage) **string { return &u.Quality }, usageString),
}

// readUsage reads the usage argument; unknown reports that some value is not
// known yet. A key set to null counts as absent.
func readUsage(arg types.Dynamic) (u pricing.Usage, unknown bool, ferr *function.FuncError) {
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
		return u, false, function.NewArgumentFuncError(argUsage, "usage must be an object such as "+
			"{ input_tokens = 1000000 }, got a value of type "+typeName(v))
	}

	if err := pricing.CheckKeys(slices.Collect(maps.Keys(values))); err != nil {
		return u, false, funcError(err)
	}
	for _, k := range usageKeys {
		v, ok := values[k.name]
		if dv, isDynamic := v.(basetypes.DynamicValue); isDynamic && !dv.IsNull() && !dv.IsUnknown() {
			v = dv.UnderlyingValue()
		}
		switch {
		case !ok || v.IsNull():
		case v.IsUnknown():
			unknown = true
		default:
			if ferr := k.read(&u, v); ferr != nil {
				return u, false, ferr
			}
		}
	}
	if err := u.Validate(); err != nil {
		return u, false, funcError(err)
	}
	return u, unknown, nil
}

// usageNumber reads a number of usage exactly, at the digits written in the
// configuration. A string holding a number is accepted too, as Terraform
// converts one into the other (tomap turns { images = 4, quality = "high" }
// into strings).
func usageNumber(key string, v attr.Value) (*big.Rat, *function.FuncError) {
	var text string
	switch n := v.(type) {
	case basetypes.NumberValue:
		text = n.ValueBigFloat().Text('g', -1)
		if n.ValueBigFloat().IsInf() {
			return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be a finite number, got %s", key, text))
		}
	case basetypes.StringValue:
		text = strings.TrimSpace(n.ValueString())
	default:
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be a number, got a value of type %s", key, typeName(v)))
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be a number, got %q", key, text))
	}
	return r, nil
}

func usageBool(key string, v attr.Value) (*bool, *function.FuncError) {
	switch b := v.(type) {
	case basetypes.BoolValue:
		return b.ValueBoolPointer(), nil
	case basetypes.StringValue:
		if s := b.ValueString(); s == "true" || s == "false" {
			return new(s == "true"), nil
		}
		return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be true or false, got %q", key, b.ValueString()))
	}
	return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be true or false, got a value of type %s", key, typeName(v)))
}

func usageString(key string, v attr.Value) (*string, *function.FuncError) {
	if s, ok := v.(basetypes.StringValue); ok {
		return s.ValueStringPointer(), nil
	}
	return nil, function.NewArgumentFuncError(argUsage, fmt.Sprintf("usage.%s must be a string, got a value of type %s", key, typeName(v)))
}

// typeName names the Terraform type of v, as Terraform's own messages do.
func typeName(v attr.Value) string {
	t := v.Type(context.Background()).TerraformType(context.Background())
	for _, kind := range []struct {
		typ  tftypes.Type
		name string
	}{
		{tftypes.Number, "number"}, {tftypes.String, "string"}, {tftypes.Bool, "bool"},
		{tftypes.Object{}, "object"}, {tftypes.Map{}, "map"}, {tftypes.List{}, "list"},
		{tftypes.Tuple{}, "tuple"}, {tftypes.Set{}, "set"},
	} {
		if t.Is(kind.typ) {
			return kind.name
		}
	}
	return "dynamic"
}
