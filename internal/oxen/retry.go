package oxen

import (
	"context"
	"crypto/tls"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// MaxRetryAfter is the longest Retry-After this client sleeps through. When
// the server asks for more, the client stops and returns the error (which
// carries RetryAfter) rather than retrying sooner than it was asked to.
const MaxRetryAfter = 5 * time.Minute

// retryableStatus lists the answers worth another attempt: rate limiting and
// the 5xx a gateway or an overloaded backend gives. Other 4xx are final, and
// so are 501 and 505, which no retry will change.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryableTransport tells a passing network failure (refused, reset, EOF,
// an attempt that timed out) from one that will fail the same way every
// time: a certificate the client does not trust, or a redirect loop.
func retryableTransport(err error) bool {
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return false
	}
	msg := err.Error()
	for _, permanent := range []string{"stopped after", "unsupported protocol scheme", "certificate"} {
		if strings.Contains(msg, permanent) {
			return false
		}
	}
	return true
}

// backoff is the wait before retry number n (1 for the first retry):
// RetryWaitMin doubled n-1 times, capped at RetryWaitMax, with equal jitter
// (a random point in the upper half) so parallel clients spread out while
// never retrying much sooner than the schedule.
func (c *Client) backoff(n int) time.Duration {
	d := c.cfg.RetryWaitMin
	for i := 1; i < n && d < c.cfg.RetryWaitMax; i++ {
		d *= 2
	}
	d = min(d, c.cfg.RetryWaitMax)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// retryWait decides, after a failed attempt number `attempt`, whether to try
// again and after how long. It is the only place where the retry policy
// lives. The reason is for the log; when retry is false it says why not, or
// is empty for an error that is simply final.
func (c *Client) retryWait(attempt int, err error) (wait time.Duration, retry bool, reason string) {
	if !IsRetryable(err) {
		return 0, false, ""
	}
	if attempt > c.cfg.MaxRetries {
		return 0, false, "retries exhausted"
	}
	if e, ok := AsAPIError(err); ok && e.RetryAfter > 0 {
		if e.RetryAfter > MaxRetryAfter {
			return 0, false, "the API asked to wait " + e.RetryAfter.String() +
				" before retrying, longer than the " + MaxRetryAfter.String() + " this client waits"
		}
		return e.RetryAfter, true, "Retry-After"
	}
	return c.backoff(attempt), true, "backoff"
}

// parseRetryAfter reads a Retry-After header, either delay-seconds or an
// HTTP date, relative to now. A date in the past means "now", reported as
// zero; an absent or unreadable header is also zero.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		// Anything beyond a day is as good as "too long"; clamping avoids
		// overflowing time.Duration on hostile values.
		return time.Duration(min(secs, 86400)) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return min(d, 24*time.Hour)
		}
	}
	return 0
}

// sleep waits d on the client's clock, returning early with ctx's error.
func (c *Client) sleep(ctx context.Context, d time.Duration) error {
	return c.clock.Sleep(ctx, d)
}
