package provider

import (
	"encoding/json"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/pricing"
)

// numberPrecision is the mantissa of the numbers this provider computes, the
// precision Terraform itself computes with: any realistic decimal cost keeps
// far more digits than the shortest decimal Terraform prints for it.
const numberPrecision = 512

// numberFromRat is an exact cost as a Terraform number; nil is null.
func numberFromRat(r *big.Rat) types.Number {
	if r == nil {
		return types.NumberNull()
	}
	return types.NumberValue(new(big.Float).SetPrec(numberPrecision).SetRat(r))
}

// pricingFromAPI takes the API's prices at the decimals it wrote. A nil
// pricing prices nothing; a null price is not published.
func pricingFromAPI(p *oxen.Pricing) pricing.Pricing {
	if p == nil {
		return pricing.Pricing{}
	}
	var out pricing.Pricing
	if p.Method != nil {
		out.Method = *p.Method
	}
	for _, f := range []struct {
		price  json.Number
		target **big.Rat
	}{
		{p.InputCostPerToken, &out.InputPerToken},
		{p.OutputCostPerToken, &out.OutputPerToken},
		{p.CostPerSecond, &out.PerSecond},
		{p.CostPerImage, &out.PerImage},
		{p.CostPerSecondHighRes, &out.PerSecondHighRes},
		{p.CostPerSecondWithAudio, &out.PerSecondWithAudio},
	} {
		if f.price != "" {
			*f.target = pricing.Decimal(string(f.price))
		}
	}
	if p.CostPerSecondByResolution != nil {
		out.PerSecondByResolution = apiPrices(p.CostPerSecondByResolution)
	}
	if p.CostPerImageGrid != nil {
		out.ImageGrid = map[string]map[string]*big.Rat{}
		for quality, row := range p.CostPerImageGrid {
			out.ImageGrid[quality] = apiPrices(row)
		}
	}
	return out
}

func apiPrices(m map[string]json.Number) map[string]*big.Rat {
	out := make(map[string]*big.Rat, len(m))
	for k, text := range m {
		if r := pricing.Decimal(string(text)); r != nil {
			out[k] = r
		}
	}
	return out
}
