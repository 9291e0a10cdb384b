package pricing

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
)

const knownMethods = "`token`, `time`, `per_image`, `per_video_output_second`"

// methodKeys are the usage keys each pricing method reads. A key outside its
// method's list is an error, never ignored: a budget built on a key the price
// does not depend on would be wrong without anyone noticing.
var methodKeys = map[string][]string{
	MethodToken:          {KeyInputTokens, KeyOutputTokens},
	MethodTime:           {KeySeconds},
	MethodPerImage:       {KeyImages, KeyQuality, KeyResolution},
	MethodPerVideoSecond: {KeyVideoSeconds, KeyResolution, KeyHighRes, KeyWithAudio},
}

// Estimate is the cost of usage u of a model priced p, in the currency of
// its prices. An error is a *UsageError or a *PricingError that names the
// key or price at fault.
func Estimate(p Pricing, u Usage) (*big.Rat, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if p.Method == "" {
		return nil, pricingError("method", "pricing.method is null, so the cost cannot be estimated; "+
			"the known methods are %s", knownMethods)
	}
	keys, known := methodKeys[p.Method]
	if !known {
		return nil, pricingError("method", "pricing method %q is not one this version of the provider knows "+
			"(%s); a newer version may support it", p.Method, knownMethods)
	}
	for _, key := range u.keys() {
		if slices.Contains(keys, key) {
			continue
		}
		hint := ""
		if p.Method == MethodPerVideoSecond && key == KeySeconds {
			hint = ". Use video_seconds, the length of the video produced; seconds is the running time of " +
				"time-priced models"
		}
		return nil, usageError(key, "usage.%s does not apply to %s pricing, which reads %s%s",
			key, p.Method, strings.Join(keys, ", "), hint)
	}

	switch p.Method {
	case MethodToken:
		return tokenCost(p, u)
	case MethodTime:
		return timeCost(p, u)
	case MethodPerImage:
		return imageCost(p, u)
	default:
		return videoCost(p, u)
	}
}

func tokenCost(p Pricing, u Usage) (*big.Rat, error) {
	if u.InputTokens == nil && u.OutputTokens == nil {
		return nil, usageError(KeyInputTokens, "token pricing needs usage.input_tokens, usage.output_tokens or both")
	}
	total := new(big.Rat)
	for _, part := range []struct {
		key    string
		tokens *big.Rat
		price  *big.Rat
		field  string
	}{
		{KeyInputTokens, u.InputTokens, p.InputPerToken, "input_cost_per_token"},
		{KeyOutputTokens, u.OutputTokens, p.OutputPerToken, "output_cost_per_token"},
	} {
		if part.tokens == nil {
			continue
		}
		if part.price == nil {
			return nil, unpublished(part.key, "usage."+part.key+" is set", part.field)
		}
		total.Add(total, new(big.Rat).Mul(part.tokens, part.price))
	}
	return total, nil
}

func timeCost(p Pricing, u Usage) (*big.Rat, error) {
	if u.Seconds == nil {
		return nil, usageError(KeySeconds, "time pricing needs usage.seconds, the running time to be billed")
	}
	if p.PerSecond == nil {
		return nil, pricingError("cost_per_second", "time pricing bills by the second, but the pricing has no "+
			"cost_per_second: the model does not publish that price")
	}
	return new(big.Rat).Mul(u.Seconds, p.PerSecond), nil
}

// imageCost charges images at the flat cost_per_image when the usage names
// neither quality nor resolution and the model has that price, and at the
// grid's price for the quality and resolution otherwise.
func imageCost(p Pricing, u Usage) (*big.Rat, error) {
	if u.Images == nil {
		return nil, usageError(KeyImages, "per_image pricing needs usage.images, the number of images to be generated")
	}
	qualities := keysByPrice(cheapestPerRow(p.ImageGrid))
	flat := u.Quality == nil && u.Resolution == nil
	switch {
	case len(qualities) == 0 && !flat:
		key := KeyQuality
		if u.Quality == nil {
			key = KeyResolution
		}
		return nil, usageError(key, "this model charges one cost_per_image whatever the quality and resolution "+
			"(its pricing has no cost_per_image_grid); remove usage.quality and usage.resolution")
	case flat && p.PerImage != nil:
		return new(big.Rat).Mul(u.Images, p.PerImage), nil
	case len(qualities) == 0:
		return nil, pricingError("cost_per_image", "per_image pricing bills by the image, but the pricing has no "+
			"cost_per_image (nor a cost_per_image_grid): the model does not publish that price")
	}

	if u.Quality == nil || u.Resolution == nil {
		return nil, gridNeedsBoth(p, u, qualities)
	}
	row, ok := p.ImageGrid[*u.Quality]
	if !ok || len(row) == 0 {
		return nil, usageError(KeyQuality, "usage.quality %q is not priced for this model; its qualities are %s",
			*u.Quality, quoteAll(qualities))
	}
	price, ok := row[*u.Resolution]
	if !ok {
		return nil, usageError(KeyResolution, "usage.resolution %q is not priced for quality %q; the resolutions "+
			"of quality %q are %s", *u.Resolution, *u.Quality, *u.Quality, quoteAll(keysByPrice(row)))
	}
	return new(big.Rat).Mul(u.Images, price), nil
}

// gridNeedsBoth reports a usage that names only one of quality and
// resolution, or neither for a model priced only by its grid.
func gridNeedsBoth(p Pricing, u Usage, qualities []string) *UsageError {
	var resolutions []string
	for _, q := range qualities {
		for _, r := range keysByPrice(p.ImageGrid[q]) {
			if !slices.Contains(resolutions, r) {
				resolutions = append(resolutions, r)
			}
		}
	}
	var missing []string
	key := KeyResolution
	if u.Quality == nil {
		key = KeyQuality
		missing = append(missing, "usage.quality to one of "+quoteAll(qualities))
	}
	if u.Resolution == nil {
		missing = append(missing, "usage.resolution to one of "+quoteAll(resolutions))
	}
	if p.PerImage == nil {
		return usageError(key, "this model's image price depends on quality and resolution (cost_per_image_grid): "+
			"set %s", strings.Join(missing, ", and "))
	}
	given := KeyQuality
	if u.Quality == nil {
		given = KeyResolution
	}
	return usageError(key, "usage.%s picks a price from cost_per_image_grid, which needs both quality and "+
		"resolution: set %s, or remove usage.%s for the flat cost_per_image", given, missing[0], given)
}

func videoCost(p Pricing, u Usage) (*big.Rat, error) {
	if u.VideoSeconds == nil {
		return nil, usageError(KeyVideoSeconds, "per_video_output_second pricing needs usage.video_seconds, the "+
			"length of the video to be generated")
	}
	highRes := u.HighRes != nil && *u.HighRes
	withAudio := u.WithAudio != nil && *u.WithAudio

	var chosen, chosenKeys []string
	if u.Resolution != nil {
		chosen, chosenKeys = append(chosen, fmt.Sprintf("resolution = %q", *u.Resolution)), append(chosenKeys, KeyResolution)
	}
	if highRes {
		chosen, chosenKeys = append(chosen, "high_res = true"), append(chosenKeys, KeyHighRes)
	}
	if withAudio {
		chosen, chosenKeys = append(chosen, "with_audio = true"), append(chosenKeys, KeyWithAudio)
	}
	if len(chosen) > 1 {
		return nil, usageError(chosenKeys[1], "usage sets %s, but the pricing has one rate for each of these "+
			"options and none for a combination of them; set only one", strings.Join(chosen, " and "))
	}

	var rate *big.Rat
	switch {
	case u.Resolution != nil:
		if len(p.PerSecondByResolution) == 0 {
			return nil, usageError(KeyResolution, "this model's video price does not depend on the resolution "+
				"(its pricing has no cost_per_second_by_resolution); remove usage.resolution")
		}
		var ok bool
		if rate, ok = p.PerSecondByResolution[*u.Resolution]; !ok {
			return nil, usageError(KeyResolution, "usage.resolution %q is not priced for this model; its "+
				"resolutions are %s", *u.Resolution, quoteAll(keysByPrice(p.PerSecondByResolution)))
		}
	case highRes:
		if rate = p.PerSecondHighRes; rate == nil {
			return nil, unpublished(KeyHighRes, "usage.high_res is true", "cost_per_second_high_res")
		}
	case withAudio:
		if rate = p.PerSecondWithAudio; rate == nil {
			return nil, unpublished(KeyWithAudio, "usage.with_audio is true", "cost_per_second_with_audio")
		}
	default:
		if rate = p.PerSecond; rate == nil {
			if len(p.PerSecondByResolution) > 0 {
				return nil, usageError(KeyResolution, "this model has no flat cost_per_second: its video price "+
					"depends on the resolution; set usage.resolution to one of %s",
					quoteAll(keysByPrice(p.PerSecondByResolution)))
			}
			return nil, pricingError("cost_per_second", "per_video_output_second pricing bills by the second of "+
				"video, but the pricing has no cost_per_second: the model does not publish that price")
		}
	}
	return new(big.Rat).Mul(u.VideoSeconds, rate), nil
}

// cheapestPerRow gives each quality of a grid its lowest price, to list
// qualities from cheapest to dearest. A quality without prices is left out.
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
	keys := sortedKeys(m)
	slices.SortStableFunc(keys, func(a, b string) int { return m[a].Cmp(m[b]) })
	return keys
}
