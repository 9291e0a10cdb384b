package pricing

import (
	"errors"
	"testing"
)

func TestCheckKeys(t *testing.T) {
	if err := CheckKeys([]string{"quality", "input_tokens", "video_seconds"}); err != nil {
		t.Fatalf("known keys: %v", err)
	}
	err := CheckKeys([]string{"tokens_in", "images", "Input_Tokens"})
	var ue *UsageError
	if !errors.As(err, &ue) || ue.Key != "Input_Tokens" {
		t.Fatalf("got %#v, want a *UsageError on the first unknown key", err)
	}
	want := `usage has the unknown keys "Input_Tokens", "tokens_in"; the accepted keys are input_tokens, ` +
		`output_tokens, seconds, images, video_seconds, high_res, with_audio, resolution, quality`
	if err.Error() != want {
		t.Fatalf("got %q, want %q", err, want)
	}
}

// keys decides which keys a pricing method refuses, so each field of Usage
// must be listed under its own name.
func TestUsage_keys(t *testing.T) {
	u := Usage{InputTokens: n("1"), OutputTokens: n("1"), Seconds: n("1"), Images: n("1"), VideoSeconds: n("1"),
		HighRes: b(false), WithAudio: b(false), Resolution: s("1K"), Quality: s("hd")}
	got := u.keys()
	if len(got) != len(keys) {
		t.Fatalf("got %v, want %v", got, keys)
	}
	for i := range keys {
		if got[i] != keys[i] {
			t.Fatalf("got %v, want %v", got, keys)
		}
	}
	if got := (Usage{Quality: s("hd")}).keys(); len(got) != 1 || got[0] != KeyQuality {
		t.Fatalf("a usage with only quality lists %v", got)
	}
}
