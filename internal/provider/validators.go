package provider

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// durationBetween accepts a Go duration string ("90s", "5m") within [min, max].
type durationBetween struct {
	min, max time.Duration
}

var _ validator.String = durationBetween{}

func (v durationBetween) Description(context.Context) string {
	return fmt.Sprintf("a duration such as \"30s\" or \"5m\", between %s and %s", v.min, v.max)
}

func (v durationBetween) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v durationBetween) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := parseDuration(req.ConfigValue.ValueString(), v.min, v.max); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration", err.Error())
	}
}

// parseDuration is the one reading of duration settings, shared by the
// validator and Configure, so both say the same about a bad value. The
// validator cannot see a value that is unknown at validation time;
// Configure sees every value.
func parseDuration(s string, lo, hi time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration: write it like \"30s\", \"2m\" or \"1h30m\"", s)
	}
	if d < lo || d > hi {
		return 0, fmt.Errorf("%q is out of range: it must be between %s and %s", s, lo, hi)
	}
	return d, nil
}

// baseURLValid rejects a base_url the client could not use, at plan time.
type baseURLValid struct{}

var _ validator.String = baseURLValid{}

func (baseURLValid) Description(context.Context) string {
	return "an absolute http(s) URL such as https://hub.oxen.ai"
}

func (v baseURLValid) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }

func (baseURLValid) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.IsNull() || req.ConfigValue.IsUnknown() {
		return
	}
	if _, err := oxen.ParseBaseURL(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid base_url", baseURLErrorDetail(err))
	}
}

// wholeNumberBetween accepts a whole number within [min, max]. Settings
// that count things are Number attributes checked by it rather than Int64
// attributes: the framework reads a fractional value into an Int64 as a
// provider bug, before any validator can say that the value is the user's
// to fix.
type wholeNumberBetween struct {
	min, max int64
}

var _ validator.Number = wholeNumberBetween{}

// read is the one reading of a whole-number setting, shared by the
// validator and Configure, so both say the same about a bad value.
func (v wholeNumberBetween) read(name string, f *big.Float) (int64, error) {
	n, acc := f.Int64()
	if !f.IsInt() || acc != big.Exact || n < v.min || n > v.max {
		return 0, fmt.Errorf("%s must be a whole number between %d and %d, got %s", name, v.min, v.max, f.Text('g', -1))
	}
	return n, nil
}

func (v wholeNumberBetween) Description(context.Context) string {
	return fmt.Sprintf("a whole number between %d and %d", v.min, v.max)
}

func (v wholeNumberBetween) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}

func (v wholeNumberBetween) ValidateNumber(ctx context.Context, req validator.NumberRequest, resp *validator.NumberResponse) {
	f := req.ConfigValue.ValueBigFloat() // nil while null or unknown
	if f == nil {
		return
	}
	name := req.Path.String()
	if _, err := v.read(name, f); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid "+name, err.Error())
	}
}
