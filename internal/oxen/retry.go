package oxen

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
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

// errRedirect is the cause of a redirect the client refuses to follow: a
// loop, or a jump to another scheme. A retry would be redirected the same way.
var errRedirect = errors.New("redirect not followed")

func checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return fmt.Errorf("%w: stopped after %d redirects", errRedirect, len(via))
	}
	if req.URL.Scheme != "http" && req.URL.Scheme != "https" {
		return fmt.Errorf("%w: redirected to the %s scheme", errRedirect, req.URL.Scheme)
	}
	return nil
}

// transportKind tells what a request that got no complete answer means:
// one that will fail the same way every time (a host name that does not
// resolve, a certificate the client does not trust, a redirect it refuses)
// from one that may pass on the next attempt.
func transportKind(err error) Kind {
	if errors.Is(err, errRedirect) {
		return KindOther
	}
	if dns, ok := errors.AsType[*net.DNSError](err); ok {
		if dns.IsNotFound {
			return KindHostNotFound
		}
		return KindNetwork // a resolver that timed out or failed may answer next time
	}
	if errors.Is(err, syscall.ECONNREFUSED) {
		return KindConnectionRefused
	}
	if _, ok := errors.AsType[*tls.CertificateVerificationError](err); ok {
		return KindTLS
	}
	if _, ok := errors.AsType[x509.UnknownAuthorityError](err); ok {
		return KindTLS
	}
	if _, ok := errors.AsType[x509.HostnameError](err); ok {
		return KindTLS
	}
	if _, ok := errors.AsType[x509.CertificateInvalidError](err); ok {
		return KindTLS
	}
	if isPlainHTTPAnswer(err) {
		return KindTLS
	}
	return KindNetwork
}

// isPlainHTTPAnswer reports an https request answered by a server that does
// not speak TLS.
func isPlainHTTPAnswer(err error) bool {
	_, ok := errors.AsType[tls.RecordHeaderError](err)
	return ok || errors.Is(err, http.ErrSchemeMismatch)
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

// retryWait decides, after failed attempt number attempt of a call that
// started at start (on the client's clock), whether to try again and after
// how long. It is the only place where the retry policy lives. When it
// retries, note says why, for the log; when it does not, note is what the
// caller appends to the error, empty when the error speaks for itself.
func (c *Client) retryWait(attempt int, start time.Time, err error) (wait time.Duration, retry bool, note string) {
	tried := plural(attempt, "attempt")
	if !IsRetryable(err) {
		return 0, false, ""
	}
	if attempt > c.cfg.MaxRetries {
		if attempt == 1 {
			return 0, false, "" // retries are off: nothing to add
		}
		return 0, false, "retries exhausted after " + tried
	}
	if e, ok := AsAPIError(err); ok && e.RetryAfter > 0 {
		if e.RetryAfter > MaxRetryAfter {
			note = "the API asked to wait " + e.RetryAfter.String() +
				" before retrying, longer than the " + MaxRetryAfter.String() + " this client waits"
			if attempt > 1 {
				note += " after " + tried
			}
			return 0, false, note
		}
		return e.RetryAfter, true, "Retry-After"
	}
	wait = c.backoff(attempt)
	// A refused connection is most often a wrong address rather than a
	// restarting server: it gets a short budget instead of every retry.
	if KindOf(err) == KindConnectionRefused {
		spent := c.clock.Now().Sub(start)
		if spent+wait > c.cfg.RefusedRetryBudget {
			return 0, false, fmt.Sprintf("gave up after %s in %s: refused connections are retried for at most %s",
				tried, spent.Round(time.Millisecond), c.cfg.RefusedRetryBudget)
		}
	}
	return wait, true, "backoff"
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
