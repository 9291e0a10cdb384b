package pricing

import (
	"errors"
	"math/big"
	"testing"
)

func mustRat(decimal string) *big.Rat {
	r, ok := new(big.Rat).SetString(decimal)
	if !ok {
		panic("bad decimal " + decimal)
	}
	return r
}

func prices(m map[string]string) map[string]*big.Rat {
	out := map[string]*big.Rat{}
	for k, v := range m {
		out[k] = mustRat(v)
	}
	return out
}

// The pricing of the simulator's catalog (internal/oxensim/catalog.json).
var (
	sonnet      = Pricing{Method: MethodToken, InputPerToken: mustRat("0.000003"), OutputPerToken: mustRat("0.000015")}
	gpt5Mini    = Pricing{Method: MethodToken, InputPerToken: mustRat("0.00000025"), OutputPerToken: mustRat("0.000002")}
	customModel = Pricing{Method: MethodTime, PerSecond: mustRat("0.00078")} // my-custom-model
	sdxl        = Pricing{Method: MethodTime, PerSecond: mustRat("0.00055")} // sdxl-lightning
	gptImage1   = Pricing{Method: MethodPerImage, ImageGrid: map[string]map[string]*big.Rat{
		"low":    prices(map[string]string{"1K": "0.011", "2K": "0.022"}),
		"medium": prices(map[string]string{"1K": "0.042", "2K": "0.084"}),
		"high":   prices(map[string]string{"1K": "0.167", "4K": "1.47"}),
	}}
	flux2Dev = Pricing{Method: MethodPerImage, PerImage: mustRat("0.012")}
	seedance = Pricing{Method: MethodPerVideoSecond, // seedance-1-pro
		PerSecondByResolution: prices(map[string]string{"480p": "0.096", "720p": "0.144", "1080p": "0.24"})}
	sora2Pro = Pricing{Method: MethodPerVideoSecond, PerSecond: mustRat("0.3"), PerSecondHighRes: mustRat("0.5")}
	veo31    = Pricing{Method: MethodPerVideoSecond, PerSecond: mustRat("0.2"), PerSecondWithAudio: mustRat("0.4")}
	wan22    = Pricing{Method: MethodPerVideoSecond, PerSecond: mustRat("0.08"), PerSecondHighRes: mustRat("0.16"), // wan-2-2-text-to-video
		PerSecondByResolution: prices(map[string]string{"480p": "0.04", "720p": "0.08"})}
	kling = Pricing{Method: MethodPerVideoSecond, PerSecond: mustRat("0.07")} // kling-v2-5-turbo-pro
	// An image model priced both ways, as wan-2-2 is for video: a flat
	// price, and a grid for those who pick a quality and resolution.
	flatAndGrid = Pricing{Method: MethodPerImage, PerImage: mustRat("0.04"), ImageGrid: map[string]map[string]*big.Rat{
		"standard": prices(map[string]string{"1K": "0.04", "2K": "0.08"}),
		"hd":       prices(map[string]string{"1K": "0.08", "2K": "0.12"}),
	}}
)

func n(decimal string) *big.Rat { return mustRat(decimal) }
func s(v string) *string        { return &v }
func b(v bool) *bool            { return &v }

func TestEstimate(t *testing.T) {
	cases := []struct {
		name    string
		pricing Pricing
		usage   Usage
		want    string // the hand-computed cost, as an exact decimal
	}{
		// token: input_tokens × input_cost_per_token + output_tokens × output_cost_per_token
		// 1,000,000 × 0.000003 = 3; 200,000 × 0.000015 = 3; 3 + 3 = 6
		{"token/sonnet in and out", sonnet, Usage{InputTokens: n("1000000"), OutputTokens: n("200000")}, "6"},
		{"token/sonnet input only", sonnet, Usage{InputTokens: n("1000000")}, "3"},
		{"token/sonnet one output token", sonnet, Usage{OutputTokens: n("1")}, "0.000015"},
		// 40,000,000 × 0.000003 = 120; 8,000,000 × 0.000015 = 120
		{"token/sonnet a month of a support bot", sonnet, Usage{InputTokens: n("40000000"), OutputTokens: n("8000000")}, "240"},
		// 123,456 × 0.00000025 = 0.030864; 7,890 × 0.000002 = 0.01578
		{"token/gpt-5-mini odd counts", gpt5Mini, Usage{InputTokens: n("123456"), OutputTokens: n("7890")}, "0.046644"},
		{"token/zero tokens", sonnet, Usage{InputTokens: n("0")}, "0"},

		// time: seconds × cost_per_second
		{"time/my-custom-model one hour", customModel, Usage{Seconds: n("3600")}, "2.808"},
		{"time/my-custom-model half a second", customModel, Usage{Seconds: n("0.5")}, "0.00039"},
		{"time/sdxl-lightning fractional seconds", sdxl, Usage{Seconds: n("2.5")}, "0.001375"},
		// In float64, 0.1 × 3 is 0.30000000000000004.
		{"time/exact where float64 is not", Pricing{Method: MethodTime, PerSecond: n("0.1")}, Usage{Seconds: n("3")}, "0.3"},

		// per_image: images × cost_per_image_grid[quality][resolution], or images × cost_per_image
		{"per_image/gpt-image-1 high 4K", gptImage1, Usage{Images: n("10"), Quality: s("high"), Resolution: s("4K")}, "14.7"},
		{"per_image/gpt-image-1 low 1K", gptImage1, Usage{Images: n("1000"), Quality: s("low"), Resolution: s("1K")}, "11"},
		{"per_image/gpt-image-1 medium 2K", gptImage1, Usage{Images: n("3"), Quality: s("medium"), Resolution: s("2K")}, "0.252"},
		{"per_image/flux-2-dev flat price", flux2Dev, Usage{Images: n("250")}, "3"},
		{"per_image/no images", flux2Dev, Usage{Images: n("0")}, "0"},
		// A model with both prices: no quality nor resolution is the flat
		// price, both pick from the grid.
		{"per_image/flat and grid, neither named", flatAndGrid, Usage{Images: n("4")}, "0.16"},
		{"per_image/flat and grid, both named", flatAndGrid, Usage{Images: n("4"), Quality: s("hd"), Resolution: s("2K")}, "0.48"},

		// per_video_output_second: video_seconds × the rate the options select
		{"video/seedance-1-pro 720p", seedance, Usage{VideoSeconds: n("10"), Resolution: s("720p")}, "1.44"},
		{"video/seedance-1-pro 1080p", seedance, Usage{VideoSeconds: n("5"), Resolution: s("1080p")}, "1.2"},
		{"video/seedance-1-pro 480p fractional", seedance, Usage{VideoSeconds: n("2.5"), Resolution: s("480p")}, "0.24"},
		{"video/sora-2-pro base", sora2Pro, Usage{VideoSeconds: n("12")}, "3.6"},
		{"video/sora-2-pro high_res false is the base rate", sora2Pro, Usage{VideoSeconds: n("12"), HighRes: b(false)}, "3.6"},
		{"video/sora-2-pro high_res", sora2Pro, Usage{VideoSeconds: n("12"), HighRes: b(true)}, "6"},
		{"video/veo-3-1 base", veo31, Usage{VideoSeconds: n("8")}, "1.6"},
		{"video/veo-3-1 with_audio", veo31, Usage{VideoSeconds: n("8"), WithAudio: b(true)}, "3.2"},
		{"video/wan-2-2 480p", wan22, Usage{VideoSeconds: n("10"), Resolution: s("480p")}, "0.4"},
		{"video/wan-2-2 high_res", wan22, Usage{VideoSeconds: n("10"), HighRes: b(true)}, "1.6"},
		{"video/wan-2-2 base", wan22, Usage{VideoSeconds: n("10")}, "0.8"},
		{"video/kling-v2-5-turbo-pro", kling, Usage{VideoSeconds: n("30")}, "2.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Estimate(tc.pricing, tc.usage)
			if err != nil {
				t.Fatalf("unexpected error: %s", err)
			}
			if got.Cmp(n(tc.want)) != 0 {
				t.Fatalf("got %s, want exactly %s", got.RatString(), tc.want)
			}
		})
	}
}

func TestEstimate_errors(t *testing.T) {
	cases := []struct {
		name    string
		pricing Pricing
		usage   Usage
		key     string // the usage key at fault, for a *UsageError
		field   string // the pricing field at fault, for a *PricingError
		want    string // the whole error text
	}{
		// usage values
		{"negative tokens", sonnet, Usage{InputTokens: n("-5")},
			"input_tokens", "", `usage.input_tokens must not be negative, got -5`},
		{"fractional tokens", sonnet, Usage{OutputTokens: n("1.5")},
			"output_tokens", "", `usage.output_tokens must be a whole number, got 1.5`},
		{"fractional images", flux2Dev, Usage{Images: n("2.5")},
			"images", "", `usage.images must be a whole number, got 2.5`},
		{"negative seconds", customModel, Usage{Seconds: n("-0.25")},
			"seconds", "", `usage.seconds must not be negative, got -0.25`},

		// pricing
		{"method null", Pricing{PerSecond: n("0.1")}, Usage{Seconds: n("5")},
			"", "method", "pricing.method is null, so the cost cannot be estimated; the known methods are " +
				"`token`, `time`, `per_image`, `per_video_output_second`"},
		{"method unknown to the provider", Pricing{Method: "per_token_batch", InputPerToken: n("0.000001")}, Usage{InputTokens: n("5")},
			"", "method", "pricing method \"per_token_batch\" is not one this version of the provider knows " +
				"(`token`, `time`, `per_image`, `per_video_output_second`); a newer version may support it"},
		{"negative price", Pricing{Method: MethodTime, PerSecond: n("-0.1")}, Usage{Seconds: n("5")},
			"", "cost_per_second", `pricing.cost_per_second must not be negative, got -0.1`},
		{"negative grid price", Pricing{Method: MethodPerImage, ImageGrid: map[string]map[string]*big.Rat{
			"high": prices(map[string]string{"1K": "0.1", "4K": "-1.47"})}}, Usage{Images: n("1")},
			"", `cost_per_image_grid["high"]["4K"]`, `pricing.cost_per_image_grid["high"]["4K"] must not be negative, got -1.47`},

		{"nil in a table", Pricing{Method: MethodPerVideoSecond, PerSecondByResolution: map[string]*big.Rat{"480p": nil}},
			Usage{VideoSeconds: n("1"), Resolution: s("480p")},
			"", `cost_per_second_by_resolution["480p"]`, `pricing.cost_per_second_by_resolution["480p"] has no price`},

		// token
		{"token without counts", sonnet, Usage{},
			"input_tokens", "", `token pricing needs usage.input_tokens, usage.output_tokens or both`},
		{"token count without its price", Pricing{Method: MethodToken, InputPerToken: n("0.000001")}, Usage{InputTokens: n("5"), OutputTokens: n("5")},
			"output_tokens", "", `usage.output_tokens is set, but the pricing has no output_cost_per_token: the model does not publish that price`},
		{"token with a key of another method", sonnet, Usage{InputTokens: n("5"), Seconds: n("60")},
			"seconds", "", `usage.seconds does not apply to token pricing, which reads input_tokens, output_tokens`},
		{"token with high_res false", sonnet, Usage{InputTokens: n("5"), HighRes: b(false)},
			"high_res", "", `usage.high_res does not apply to token pricing, which reads input_tokens, output_tokens`},

		// time
		{"time without seconds", customModel, Usage{},
			"seconds", "", `time pricing needs usage.seconds, the running time to be billed`},
		{"time without cost_per_second", Pricing{Method: MethodTime}, Usage{Seconds: n("5")},
			"", "cost_per_second", `time pricing bills by the second, but the pricing has no cost_per_second: the model does not publish that price`},
		{"time with video_seconds", customModel, Usage{VideoSeconds: n("5")},
			"video_seconds", "", `usage.video_seconds does not apply to time pricing, which reads seconds`},

		// per_image
		{"per_image without images", flux2Dev, Usage{},
			"images", "", `per_image pricing needs usage.images, the number of images to be generated`},
		{"grid without quality and resolution", gptImage1, Usage{Images: n("1")},
			"quality", "", `this model's image price depends on quality and resolution (cost_per_image_grid): set ` +
				`usage.quality to one of "low", "medium", "high", and usage.resolution to one of "1K", "2K", "4K"`},
		{"grid without resolution", gptImage1, Usage{Images: n("1"), Quality: s("high")},
			"resolution", "", `this model's image price depends on quality and resolution (cost_per_image_grid): set ` +
				`usage.resolution to one of "1K", "2K", "4K"`},
		{"grid with an unknown quality", gptImage1, Usage{Images: n("1"), Quality: s("ultra"), Resolution: s("1K")},
			"quality", "", `usage.quality "ultra" is not priced for this model; its qualities are "low", "medium", "high"`},
		{"grid with a resolution the quality lacks", gptImage1, Usage{Images: n("1"), Quality: s("low"), Resolution: s("4K")},
			"resolution", "", `usage.resolution "4K" is not priced for quality "low"; the resolutions of quality "low" are "1K", "2K"`},
		{"flat image price with quality", flux2Dev, Usage{Images: n("1"), Quality: s("high")},
			"quality", "", `this model charges one cost_per_image whatever the quality and resolution (its pricing has ` +
				`no cost_per_image_grid); remove usage.quality and usage.resolution`},
		{"flat and grid with quality only", flatAndGrid, Usage{Images: n("1"), Quality: s("hd")},
			"resolution", "", `usage.quality picks a price from cost_per_image_grid, which needs both quality and ` +
				`resolution: set usage.resolution to one of "1K", "2K", or remove usage.quality for the flat cost_per_image`},
		{"flat and grid with resolution only", flatAndGrid, Usage{Images: n("1"), Resolution: s("2K")},
			"quality", "", `usage.resolution picks a price from cost_per_image_grid, which needs both quality and ` +
				`resolution: set usage.quality to one of "standard", "hd", or remove usage.resolution for the flat cost_per_image`},
		{"per_image without any price", Pricing{Method: MethodPerImage}, Usage{Images: n("1")},
			"", "cost_per_image", `per_image pricing bills by the image, but the pricing has no cost_per_image (nor a ` +
				`cost_per_image_grid): the model does not publish that price`},
		{"per_image with an empty grid", Pricing{Method: MethodPerImage, ImageGrid: map[string]map[string]*big.Rat{"high": {}}}, Usage{Images: n("1")},
			"", "cost_per_image", `per_image pricing bills by the image, but the pricing has no cost_per_image (nor a ` +
				`cost_per_image_grid): the model does not publish that price`},
		{"per_image with tokens", flux2Dev, Usage{Images: n("1"), OutputTokens: n("1")},
			"output_tokens", "", `usage.output_tokens does not apply to per_image pricing, which reads images, quality, resolution`},

		// per_video_output_second
		{"video without video_seconds", sora2Pro, Usage{HighRes: b(true)},
			"video_seconds", "", `per_video_output_second pricing needs usage.video_seconds, the length of the video to be generated`},
		{"video with seconds", sora2Pro, Usage{Seconds: n("10")},
			"seconds", "", `usage.seconds does not apply to per_video_output_second pricing, which reads video_seconds, ` +
				`resolution, high_res, with_audio. Use video_seconds, the length of the video produced; seconds is the ` +
				`running time of time-priced models`},
		{"seedance without resolution", seedance, Usage{VideoSeconds: n("10")},
			"resolution", "", `this model has no flat cost_per_second: its video price depends on the resolution; set ` +
				`usage.resolution to one of "480p", "720p", "1080p"`},
		{"seedance with an unknown resolution", seedance, Usage{VideoSeconds: n("10"), Resolution: s("4K")},
			"resolution", "", `usage.resolution "4K" is not priced for this model; its resolutions are "480p", "720p", "1080p"`},
		{"resolution on a flat-rate model", kling, Usage{VideoSeconds: n("10"), Resolution: s("1080p")},
			"resolution", "", `this model's video price does not depend on the resolution (its pricing has no ` +
				`cost_per_second_by_resolution); remove usage.resolution`},
		{"high_res and with_audio", veo31, Usage{VideoSeconds: n("10"), HighRes: b(true), WithAudio: b(true)},
			"with_audio", "", `usage sets high_res = true and with_audio = true, but the pricing has one rate for each of ` +
				`these options and none for a combination of them; set only one`},
		{"resolution and high_res", wan22, Usage{VideoSeconds: n("10"), Resolution: s("720p"), HighRes: b(true)},
			"high_res", "", `usage sets resolution = "720p" and high_res = true, but the pricing has one rate for each of ` +
				`these options and none for a combination of them; set only one`},
		{"with_audio without its rate", sora2Pro, Usage{VideoSeconds: n("10"), WithAudio: b(true)},
			"with_audio", "", `usage.with_audio is true, but the pricing has no cost_per_second_with_audio: the model does not publish that price`},
		{"high_res without its rate", veo31, Usage{VideoSeconds: n("10"), HighRes: b(true)},
			"high_res", "", `usage.high_res is true, but the pricing has no cost_per_second_high_res: the model does not publish that price`},
		{"video without any rate", Pricing{Method: MethodPerVideoSecond}, Usage{VideoSeconds: n("10")},
			"", "cost_per_second", `per_video_output_second pricing bills by the second of video, but the pricing has no cost_per_second: the model does not publish that price`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Estimate(tc.pricing, tc.usage)
			if err == nil {
				t.Fatalf("got %s, want error %q", got.RatString(), tc.want)
			}
			if err.Error() != tc.want {
				t.Errorf("error text\n got: %s\nwant: %s", err, tc.want)
			}
			var ue *UsageError
			var pe *PricingError
			switch {
			case tc.key != "":
				if !errors.As(err, &ue) || ue.Key != tc.key {
					t.Errorf("error is %#v, want a *UsageError on key %s", err, tc.key)
				}
			case !errors.As(err, &pe) || pe.Field != tc.field:
				t.Errorf("error is %#v, want a *PricingError on field %s", err, tc.field)
			}
		})
	}
}

// Estimate works on copies: the prices and quantities it is given are the
// caller's, and a pricing is reused for many estimates.
func TestEstimate_leavesItsArgumentsAlone(t *testing.T) {
	images := n("4")
	for range 2 {
		got, err := Estimate(flatAndGrid, Usage{Images: images})
		if err != nil || got.Cmp(n("0.16")) != 0 {
			t.Fatalf("got %v, %v; want 0.16", got, err)
		}
	}
	if images.Cmp(n("4")) != 0 || flatAndGrid.PerImage.Cmp(n("0.04")) != 0 {
		t.Fatalf("images became %s and cost_per_image %s", images.RatString(), flatAndGrid.PerImage.RatString())
	}
}
