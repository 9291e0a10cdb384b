package pricing

import (
	"math/big"
	"testing"
)

func rat(t *testing.T, decimal string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(decimal)
	if !ok {
		t.Fatalf("bad decimal %q", decimal)
	}
	return r
}

func TestDecimal_isThePublishedDecimal(t *testing.T) {
	for f, want := range map[string]string{
		"3e-6":    "3/1000000",
		"3e-06":   "3/1000000",
		"1.5E-05": "3/200000",
		"0.00078": "39/50000",
		"0.1":     "1/10",
		"1.47":    "147/100",
		"-0.1":    "-1/10",
		"0":       "0",
		"1e3":     "1000",
	} {
		if got := Decimal(f); got == nil || got.RatString() != want {
			t.Errorf("Decimal(%q) = %v; want exactly %s", f, got, want)
		}
	}
}

func TestDecimal_notFinite(t *testing.T) {
	for _, f := range []string{"NaN", "+Inf", "-Inf", "1e9999999", ""} {
		if got := Decimal(f); got != nil {
			t.Errorf("Decimal(%q) = %s, want nil", f, got.RatString())
		}
	}
}

func TestCostPerHour(t *testing.T) {
	cases := []struct {
		name    string
		pricing Pricing
		want    string // "" when not billed by time
	}{
		// my-custom-model: 3,600 × 0.00078
		{"custom model", Pricing{Method: MethodTime, PerSecond: rat(t, "0.00078")}, "2.808"},
		// vision-tagger-ft: 3,600 × 0.00125
		{"another custom model", Pricing{Method: MethodTime, PerSecond: rat(t, "0.00125")}, "4.5"},
		{"free", Pricing{Method: MethodTime, PerSecond: rat(t, "0")}, "0"},
		{"time without a price", Pricing{Method: MethodTime}, ""},
		{"token", Pricing{Method: MethodToken, InputPerToken: rat(t, "0.000003"), OutputPerToken: rat(t, "0.000015")}, ""},
		// A video model's cost_per_second is per second of video produced,
		// not per second of running.
		{"video", Pricing{Method: MethodPerVideoSecond, PerSecond: rat(t, "0.3")}, ""},
		{"per image", Pricing{Method: MethodPerImage, PerImage: rat(t, "0.012")}, ""},
		{"no method", Pricing{PerSecond: rat(t, "0.00078")}, ""},
		{"a method of the future", Pricing{Method: "per_gpu_hour", PerSecond: rat(t, "0.00078")}, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, billed := CostPerHour(tc.pricing)
			if tc.want == "" {
				if billed || got != nil {
					t.Fatalf("got %v, %v; want not billed by time", got, billed)
				}
				return
			}
			if !billed || got == nil || got.Cmp(rat(t, tc.want)) != 0 {
				t.Fatalf("got %v, %v; want exactly %s", got, billed, tc.want)
			}
		})
	}
}

func TestCostPerHour_leavesThePriceAlone(t *testing.T) {
	perSecond := rat(t, "0.00078")
	CostPerHour(Pricing{Method: MethodTime, PerSecond: perSecond})
	if perSecond.Cmp(rat(t, "0.00078")) != 0 {
		t.Fatalf("the pricing's cost_per_second became %s", perSecond.RatString())
	}
}
