package pricing

import (
	"math/big"
	"slices"
	"strings"
)

// The usage keys, as users of the provider function spell them.
const (
	KeyInputTokens  = "input_tokens"
	KeyOutputTokens = "output_tokens"
	KeySeconds      = "seconds"
	KeyImages       = "images"
	KeyVideoSeconds = "video_seconds"
	KeyHighRes      = "high_res"
	KeyWithAudio    = "with_audio"
	KeyResolution   = "resolution"
	KeyQuality      = "quality"
)

// keys lists every usage key, in the order the docs list them.
var keys = []string{KeyInputTokens, KeyOutputTokens, KeySeconds, KeyImages, KeyVideoSeconds, KeyHighRes,
	KeyWithAudio, KeyResolution, KeyQuality}

// CheckKeys reports the names among names that are not usage keys, and
// lists the keys that are.
func CheckKeys(names []string) error {
	var unknown []string
	for _, name := range names {
		if !slices.Contains(keys, name) {
			unknown = append(unknown, name)
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(unknown)
	noun := "key"
	if len(unknown) > 1 {
		noun = "keys"
	}
	return usageError(unknown[0], "usage has the unknown %s %s; the accepted keys are %s",
		noun, quoteAll(unknown), strings.Join(keys, ", "))
}

// Usage is an amount of use of a model. A nil field is a key the usage does
// not set.
type Usage struct {
	InputTokens  *big.Rat // a whole number
	OutputTokens *big.Rat // a whole number
	Seconds      *big.Rat // running time, for time pricing
	Images       *big.Rat // a whole number
	VideoSeconds *big.Rat // the length of the video produced
	HighRes      *bool
	WithAudio    *bool
	Resolution   *string
	Quality      *string
}

// quantity is one number of a usage, with the key it is set by.
type quantity struct {
	key   string
	value *big.Rat
	whole bool
}

func (u Usage) quantities() []quantity {
	return []quantity{
		{KeyInputTokens, u.InputTokens, true},
		{KeyOutputTokens, u.OutputTokens, true},
		{KeySeconds, u.Seconds, false},
		{KeyImages, u.Images, true},
		{KeyVideoSeconds, u.VideoSeconds, false},
	}
}

// keys lists the keys u sets, in the order the docs list them.
func (u Usage) keys() []string {
	set := map[string]bool{
		KeyHighRes:    u.HighRes != nil,
		KeyWithAudio:  u.WithAudio != nil,
		KeyResolution: u.Resolution != nil,
		KeyQuality:    u.Quality != nil,
	}
	for _, q := range u.quantities() {
		set[q.key] = q.value != nil
	}
	return slices.DeleteFunc(slices.Clone(keys), func(k string) bool { return !set[k] })
}

// Validate reports a negative quantity, or a count that is not a whole
// number, whatever the pricing.
func (u Usage) Validate() error {
	for _, q := range u.quantities() {
		switch {
		case q.value == nil:
		case q.value.Sign() < 0:
			return usageError(q.key, "usage.%s must not be negative, got %s", q.key, decimal(q.value))
		case q.whole && !q.value.IsInt():
			return usageError(q.key, "usage.%s must be a whole number, got %s", q.key, decimal(q.value))
		}
	}
	return nil
}
