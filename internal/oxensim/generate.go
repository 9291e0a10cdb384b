package oxensim

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"time"
)

// family is a template for generated models.
type family struct {
	stem      string
	display   string
	developer string
	logo      bool
	provider  string
	endpoint  string
	in, out   []string
	variants  []string
	actions   []string // fine-tuning actions when fine-tuneable
}

var families = []family{
	{"llama-3-1", "Llama 3.1", "Meta", true, "oxen", "/chat/completions", []string{"text"}, []string{"text"}, []string{"8b-instruct", "70b-instruct", "405b-instruct"}, []string{"chat"}},
	{"qwen3", "Qwen3", "Alibaba", true, "oxen", "/chat/completions", []string{"text"}, []string{"text"}, []string{"0-6b", "4b", "8b", "14b", "32b", "30b-a3b"}, []string{"chat"}},
	{"qwen3-vl", "Qwen3 VL", "Alibaba", true, "oxen", "/chat/completions", []string{"text", "image"}, []string{"text"}, []string{"4b-instruct", "8b-instruct", "32b-instruct"}, []string{"chat", "image_understanding"}},
	{"mistral", "Mistral", "Mistral AI", false, "mistral", "/chat/completions", []string{"text"}, []string{"text"}, []string{"small-3-2", "medium-3", "large-2"}, nil},
	{"gemma-3", "Gemma 3", "Google", true, "oxen", "/chat/completions", []string{"text", "image"}, []string{"text"}, []string{"1b-it", "4b-it", "12b-it", "27b-it"}, []string{"chat"}},
	{"deepseek", "DeepSeek", "DeepSeek", true, "together", "/chat/completions", []string{"text"}, []string{"text"}, []string{"v3-1", "r1", "r1-distill-llama-70b"}, nil},
	{"gpt-oss", "gpt-oss", "OpenAI", true, "openai", "/chat/completions", []string{"text"}, []string{"text"}, []string{"20b", "120b"}, nil},
	{"claude", "Claude", "Anthropic", true, "anthropic", "/chat/completions", []string{"text", "image"}, []string{"text"}, []string{"haiku", "sonnet", "opus"}, nil},
	{"flux-1", "FLUX.1", "Black Forest Labs", true, "fal", "/images/generate", []string{"text"}, []string{"image"}, []string{"dev", "schnell", "pro", "kontext-dev"}, []string{"image_generation", "image_edit"}},
	{"stable-diffusion", "Stable Diffusion", "Stability AI", true, "fal", "/images/generate", []string{"text"}, []string{"image"}, []string{"3-5-large", "3-5-medium", "xl"}, []string{"image_generation"}},
	{"seedream", "Seedream", "ByteDance", false, "fal", "/images/generate", []string{"text", "image"}, []string{"image"}, []string{"3-0", "4-0"}, nil},
	{"imagen-4", "Imagen 4", "Google", true, "google", "/images/generate", []string{"text"}, []string{"image"}, []string{"fast", "standard", "ultra"}, nil},
	{"kling", "Kling", "Kling", true, "fal", "/videos/generate", []string{"text", "image"}, []string{"video"}, []string{"v2-1-standard", "v2-1-master", "v2-5-turbo-pro"}, nil},
	{"wan-2-2", "Wan 2.2", "Alibaba", true, "oxen", "/videos/generate", []string{"text", "image"}, []string{"video"}, []string{"text-to-video", "image-to-video", "5b"}, []string{"video_generation"}},
	{"veo-3", "Veo 3", "Google", true, "google", "/videos/generate", []string{"text", "image"}, []string{"video", "audio"}, []string{"fast", "standard"}, nil},
	{"ltx-video", "LTX Video", "Lightricks", false, "fal", "/videos/generate", []string{"text", "image"}, []string{"video"}, []string{"13b-distilled", "13b-dev"}, nil},
}

var customOwners = []string{"acme-ml", "globex-ai", "initech-research"}

// GenerateCatalog returns n realistic, varied models, the same for the
// same n on every run: chat, image and video models of many developers,
// every pricing method, fine-tuning on some, request schemas on some,
// nulls in the optional fields, and about one custom model in twelve (in
// the "acme-ml", "globex-ai" and "initech-research" namespaces, ids
// starting with "ft-", in status inactive, active or error). Ids end in a
// zero-padded index and never collide with Seed's ids.
func GenerateCatalog(n int) []json.RawMessage {
	out := make([]json.RawMessage, 0, max(n, 0))
	for i := 0; i < n; i++ {
		b, err := json.Marshal(generateModel(i))
		if err != nil {
			panic("oxensim: generated model does not marshal: " + err.Error())
		}
		out = append(out, b)
	}
	return out
}

// rng is splitmix64: tiny, fast and stable across Go releases.
type rng struct{ state uint64 }

func (r *rng) next() uint64 {
	r.state += 0x9e3779b97f4a7c15
	z := r.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// chance is true with probability 1/n.
func (r *rng) chance(n int) bool { return r.intn(n) == 0 }

// price returns a random price between lo and hi with two significant
// digits, as catalogs print them.
func (r *rng) price(lo, hi float64) float64 {
	return twoDigits(lo * math.Pow(hi/lo, float64(r.intn(1000))/999))
}

// twoDigits rounds v to two significant digits, so that prices print
// short (0.022, not 0.022000000000000002).
func twoDigits(v float64) float64 {
	if v <= 0 {
		return 0
	}
	exp := math.Floor(math.Log10(v)) - 1
	rounded := math.Round(v / math.Pow(10, exp))
	// Dividing by a power of ten given as an exact integer keeps the
	// shortest decimal form.
	if exp < 0 {
		return rounded / math.Pow(10, -exp)
	}
	return rounded * math.Pow(10, exp)
}

func generateModel(i int) map[string]any {
	r := &rng{state: uint64(i)*0x2545f4914f6cdd1d + 42}
	custom := i%12 == 11
	f := families[r.intn(len(families))]
	for custom && f.actions == nil { // only fine-tuneable families have fine-tunes
		f = families[r.intn(len(families))]
	}
	variant := f.variants[r.intn(len(f.variants))]
	created := int64(1704067200) + int64(i)*7919 + int64(r.intn(3600))

	id := fmt.Sprintf("%s-%s-%04d", f.stem, variant, i)
	display := fmt.Sprintf("%s %s #%d", f.display, variant, i)
	m := map[string]any{
		"object":       "model",
		"created":      created,
		"owned_by":     "oxen",
		"model_type":   "base",
		"endpoint":     f.endpoint,
		"capabilities": map[string]any{"input": f.in, "output": f.out},
		"deployments":  []any{},
		"source_model": nil,
		"fine_tuning":  nil,
		"_sim":         map[string]any{"provider": f.provider},
	}
	if custom {
		owner := customOwners[r.intn(len(customOwners))]
		id = fmt.Sprintf("ft-%s-%s-%04d", f.stem, variant, i)
		display = fmt.Sprintf("%s %s fine-tune #%d", f.display, variant, i)
		status := []string{StatusInactive, StatusInactive, StatusActive, StatusError}[r.intn(4)]
		m["owned_by"] = owner
		m["model_type"] = "custom"
		m["source_model"] = fmt.Sprintf("%s-%s", f.stem, variant)
		m["deployments"] = []any{map[string]any{"status": status}}
		m["developer"] = map[string]any{"name": owner, "logo": nil}
		m["_sim"] = map[string]any{"provider": "oxen"}
	} else {
		logo := any(nil)
		if f.logo {
			slug := strings.ReplaceAll(strings.ToLower(f.developer), " ", "-")
			logo = fmt.Sprintf("https://hub.oxen.ai/assets/developers/%s.svg", slug)
		}
		m["developer"] = map[string]any{"name": f.developer, "logo": logo}
		if f.actions != nil && r.chance(3) {
			ft := map[string]any{"actions": f.actions, "cost_per_second": nil}
			if !r.chance(4) {
				ft["cost_per_second"] = r.price(0.0004, 0.003)
			}
			m["fine_tuning"] = ft
		}
	}
	m["id"] = id
	m["display_name"] = display

	if r.chance(6) {
		m["description"] = nil
	} else {
		m["description"] = fmt.Sprintf("%s %s from %s, served through the Oxen API", f.display, variant, f.developer)
	}
	if r.chance(2) {
		m["summary"] = nil
	} else {
		m["summary"] = []string{"Fast and inexpensive", "Balanced quality and speed", "Best quality", "Open weights"}[r.intn(4)]
	}
	if r.chance(4) {
		m["image_url"] = fmt.Sprintf("https://hub.oxen.ai/assets/models/%s.webp", id)
	} else {
		m["image_url"] = nil
	}
	if custom || r.chance(5) {
		m["released_at"] = nil
	} else {
		m["released_at"] = time.Unix(created, 0).UTC().Truncate(24 * time.Hour).Format(time.RFC3339)
	}
	if f.endpoint == "/chat/completions" && r.chance(3) {
		m["context_length"] = []int{8192, 32768, 131072, 200000, 1048576}[r.intn(5)]
		m["max_output_tokens"] = []any{nil, 4096, 8192, 32768}[r.intn(4)]
	}
	m["pricing"] = generatePricing(r, f.endpoint, custom)
	if r.chance(3) {
		m["request_schema"] = generateSchema(r, f.endpoint)
	} else {
		m["request_schema"] = nil
	}
	return m
}

func generatePricing(r *rng, endpoint string, custom bool) map[string]any {
	if custom {
		return map[string]any{"method": "time", "cost_per_second": r.price(0.0004, 0.003)}
	}
	switch endpoint {
	case "/images/generate":
		switch r.intn(5) {
		case 0:
			return map[string]any{"method": "time", "cost_per_second": r.price(0.0004, 0.002)}
		case 1:
			low := r.price(0.005, 0.02)
			high := r.price(0.1, 0.25)
			return map[string]any{"method": "per_image", "cost_per_image": nil, "cost_per_image_grid": map[string]any{
				"low":  map[string]any{"1K": low, "2K": twoDigits(2 * low)},
				"high": map[string]any{"1K": high, "2K": twoDigits(2 * high), "4K": twoDigits(8 * high)},
			}}
		default:
			return map[string]any{"method": "per_image", "cost_per_image": r.price(0.003, 0.08)}
		}
	case "/videos/generate":
		perSecond := r.price(0.03, 0.5)
		p := map[string]any{"method": "per_video_output_second", "cost_per_second": perSecond}
		switch r.intn(4) {
		case 0:
			p["cost_per_second_high_res"] = twoDigits(2 * perSecond)
		case 1:
			p["cost_per_second_with_audio"] = twoDigits(1.5 * perSecond)
		case 2:
			base := r.price(0.03, 0.1)
			p["cost_per_second"] = nil
			p["cost_per_second_by_resolution"] = map[string]any{"480p": base, "720p": twoDigits(1.5 * base), "1080p": twoDigits(2.5 * base)}
		}
		return p
	default:
		if r.chance(4) {
			return map[string]any{"method": "time", "cost_per_second": r.price(0.0004, 0.003)}
		}
		in := r.price(2e-8, 1.5e-5)
		return map[string]any{"method": "token", "input_cost_per_token": in, "output_cost_per_token": twoDigits(4 * in)}
	}
}

func generateSchema(r *rng, endpoint string) map[string]any {
	props := map[string]any{}
	required := []string{}
	switch endpoint {
	case "/images/generate":
		required = append(required, "prompt")
		props["prompt"] = map[string]any{"type": "string"}
		props["aspect_ratio"] = map[string]any{"type": "string", "enum": []string{"1:1", "4:3", "3:4", "16:9", "9:16"}, "default": "1:1"}
		props["num_inference_steps"] = map[string]any{"type": "integer", "minimum": 1, "maximum": 50, "default": 4 + r.intn(40)}
		props["guidance_scale"] = map[string]any{"type": "number", "minimum": 0, "maximum": 20, "default": float64(r.intn(80))/10 + 1}
		props["seed"] = map[string]any{"type": "integer"}
	case "/videos/generate":
		required = append(required, "prompt")
		props["prompt"] = map[string]any{"type": "string"}
		props["duration"] = map[string]any{"type": "string", "enum": []string{"5", "10"}, "default": "5"}
		props["resolution"] = map[string]any{"type": "string", "enum": []string{"480p", "720p", "1080p"}, "default": "720p"}
		props["generate_audio"] = map[string]any{"type": "boolean", "default": r.chance(2)}
	default:
		props["temperature"] = map[string]any{"type": "number", "minimum": 0, "maximum": 2, "default": float64(r.intn(11)) / 10}
		props["top_p"] = map[string]any{"type": "number", "minimum": 0, "maximum": 1, "default": 1}
		if r.chance(2) {
			props["reasoning_effort"] = map[string]any{"type": "string", "enum": []string{"low", "medium", "high"}, "default": "medium"}
		}
	}
	s := map[string]any{"type": "object", "properties": props}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}
