package pricing

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// UsageError is a usage that cannot be priced as given. Key names the usage
// key at fault (input_tokens, high_res, ...).
type UsageError struct {
	Key string
	msg string
}

func (e *UsageError) Error() string { return e.msg }

// PricingError is a pricing that cannot price the usage. Field names the
// pricing attribute at fault (method, cost_per_second,
// cost_per_image_grid["high"]["4K"], ...).
type PricingError struct {
	Field string
	msg   string
}

func (e *PricingError) Error() string { return e.msg }

func usageError(key, format string, args ...any) *UsageError {
	return &UsageError{Key: key, msg: fmt.Sprintf(format, args...)}
}

func pricingError(field, format string, args ...any) *PricingError {
	return &PricingError{Field: field, msg: fmt.Sprintf(format, args...)}
}

// unpublished reports a usage key that needs a price the model does not
// publish. The usage is at fault: the price is the model's to publish, the
// key is the user's to remove.
func unpublished(key, why, price string) *UsageError {
	return usageError(key, "%s, but the pricing has no %s: the model does not publish that price", why, price)
}

// decimal prints r as a plain decimal when it has a finite one, which every
// price and every number read from a configuration does.
func decimal(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	if n, exact := r.FloatPrec(); exact {
		return r.FloatString(n)
	}
	return r.RatString()
}

func quoteAll(items []string) string {
	quoted := make([]string, len(items))
	for i, s := range items {
		quoted[i] = strconv.Quote(s)
	}
	return strings.Join(quoted, ", ")
}
