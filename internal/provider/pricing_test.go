package provider

import (
	"encoding/json"
	"math/big"
	"testing"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/pricing"
)

func TestPricingFromAPI(t *testing.T) {
	method := "time"
	got := pricingFromAPI(&oxen.Pricing{
		Method:                    &method,
		CostPerSecond:             "0.00078",
		CostPerImage:              "3e-06",
		CostPerImageGrid:          map[string]map[string]json.Number{"high": {"4K": "1.47"}},
		CostPerSecondByResolution: map[string]json.Number{"480p": "0.096"},
	})
	if got.Method != "time" {
		t.Errorf("method %q", got.Method)
	}
	for name, c := range map[string]struct {
		got  *big.Rat
		want string
	}{
		"cost_per_second":                       {got.PerSecond, "39/50000"},
		"cost_per_image":                        {got.PerImage, "3/1000000"},
		`cost_per_image_grid["high"]["4K"]`:     {got.ImageGrid["high"]["4K"], "147/100"},
		`cost_per_second_by_resolution["480p"]`: {got.PerSecondByResolution["480p"], "12/125"},
	} {
		if c.got == nil || c.got.RatString() != c.want {
			t.Errorf("%s = %v, want exactly %s", name, c.got, c.want)
		}
	}
	for name, r := range map[string]*big.Rat{
		"input_cost_per_token": got.InputPerToken, "output_cost_per_token": got.OutputPerToken,
		"cost_per_second_high_res": got.PerSecondHighRes, "cost_per_second_with_audio": got.PerSecondWithAudio,
	} {
		if r != nil {
			t.Errorf("%s = %s, want nil as the API sent null", name, r.RatString())
		}
	}
	if p := pricingFromAPI(nil); p.Method != "" || p.PerSecond != nil {
		t.Errorf("a nil pricing gives %+v", p)
	}
}

// The path cost_per_hour takes: my-custom-model's price from the API, an
// hour of it, and the number Terraform shows.
func TestNumberFromRat_costPerHour(t *testing.T) {
	method := "time"
	perHour, billed := pricing.CostPerHour(pricingFromAPI(&oxen.Pricing{Method: &method, CostPerSecond: "0.00078"}))
	if !billed {
		t.Fatal("my-custom-model is not billed by time")
	}
	n := numberFromRat(perHour)
	want, _, _ := big.ParseFloat("2.808", 10, 512, big.ToNearestEven)
	if n.ValueBigFloat().Cmp(want) != 0 || n.ValueBigFloat().Text('f', -1) != "2.808" {
		t.Fatalf("got %s, want exactly 2.808", n.ValueBigFloat().Text('f', 40))
	}
	if !numberFromRat(nil).IsNull() {
		t.Fatal("nil is not null")
	}
}
