// Package pricing turns a model's published prices and an amount of usage
// into a cost, in exact decimal arithmetic.
//
// Every price is taken at the decimal the API published (3e-06 is exactly
// 3/1000000, not the binary fraction nearest to it) and every product and sum
// is a big.Rat, so a result is the decimal a reviewer gets with pencil and
// paper. The package knows nothing of Terraform: the provider maps its values
// in and out, and maps the typed errors to the argument at fault.
package pricing

import (
	"fmt"
	"math/big"
	"slices"
)

// The pricing methods of the API, in the order its reference lists them.
const (
	MethodToken          = "token"
	MethodTime           = "time"
	MethodPerImage       = "per_image"
	MethodPerVideoSecond = "per_video_output_second"
)

// Pricing is how a model is billed. A nil price is one the model does not
// publish (null in the API).
type Pricing struct {
	// Method as the API sent it; "" when it sent none. A method this
	// package does not know is kept, so that Estimate can say so.
	Method string

	InputPerToken      *big.Rat
	OutputPerToken     *big.Rat
	PerSecond          *big.Rat
	PerImage           *big.Rat
	PerSecondHighRes   *big.Rat
	PerSecondWithAudio *big.Rat

	// ImageGrid is cost_per_image_grid: quality -> resolution -> price.
	ImageGrid map[string]map[string]*big.Rat
	// PerSecondByResolution is cost_per_second_by_resolution.
	PerSecondByResolution map[string]*big.Rat
}

// Decimal returns the exact value of a price as written in decimal, such as
// the JSON number 3e-6 (exactly 3/1000000, where a float64 would hold the
// binary fraction nearest to it). Text that is not a finite decimal, or whose
// exponent is too large to expand, gives nil.
func Decimal(text string) *big.Rat {
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return nil
	}
	return r
}

// Validate reports a negative price, naming it.
func (p Pricing) Validate() error {
	for _, f := range []struct {
		field string
		price *big.Rat
	}{
		{"input_cost_per_token", p.InputPerToken},
		{"output_cost_per_token", p.OutputPerToken},
		{"cost_per_second", p.PerSecond},
		{"cost_per_image", p.PerImage},
		{"cost_per_second_high_res", p.PerSecondHighRes},
		{"cost_per_second_with_audio", p.PerSecondWithAudio},
	} {
		if err := nonNegative(f.field, f.price); err != nil {
			return err
		}
	}
	if err := validTable("cost_per_second_by_resolution", p.PerSecondByResolution); err != nil {
		return err
	}
	for _, quality := range sortedKeys(p.ImageGrid) {
		if err := validTable(fmt.Sprintf("cost_per_image_grid[%q]", quality), p.ImageGrid[quality]); err != nil {
			return err
		}
	}
	return nil
}

func nonNegative(field string, price *big.Rat) error {
	if price != nil && price.Sign() < 0 {
		return pricingError(field, "pricing.%s must not be negative, got %s", field, decimal(price))
	}
	return nil
}

// validTable checks the prices of a table; an entry of a table is a price,
// never nil (a price the model does not publish is left out).
func validTable(field string, table map[string]*big.Rat) error {
	for _, key := range sortedKeys(table) {
		entry := fmt.Sprintf("%s[%q]", field, key)
		if table[key] == nil {
			return pricingError(entry, "pricing.%s has no price", entry)
		}
		if err := nonNegative(entry, table[key]); err != nil {
			return err
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// secondsPerHour turns a price per second into a price per hour.
var secondsPerHour = big.NewRat(3600, 1)

// CostPerHour is what an hour of a running deployment of the model costs:
// cost_per_second × 3600.
//
// A model is billed by time when its method is "time" and it publishes a
// cost_per_second: the API bills a custom (fine-tuned) deployment for every
// second it is up, whether or not it serves requests, and prices it that way.
// Every other method bills by use (tokens, images, seconds of video
// produced), so being up has no price of its own and billedByTime is false,
// as it is for a "time" model that publishes no cost_per_second.
func CostPerHour(p Pricing) (perHour *big.Rat, billedByTime bool) {
	if p.Method != MethodTime || p.PerSecond == nil {
		return nil, false
	}
	return new(big.Rat).Mul(p.PerSecond, secondsPerHour), true
}
