package pricing

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
