// Package waiter polls something until it settles. It is the provider's one
// wait loop: apply and destroy of a model activation both use it, so
// backoff, timeouts, failure states and Ctrl-C behave the same in each.
package waiter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
)

const (
	// The first pause is short because a fast deployment is most likely to
	// settle early; later pauses grow towards Config.MaxInterval.
	firstInterval      = time.Second
	defaultMaxInterval = 10 * time.Second
	// A run of Unknown or unlisted states longer than this is not a blip:
	// whatever the object is doing, waiting longer will not tell.
	unknownTolerance = 2 * time.Minute
	// A server that answers "wait" more often than this in a row is treated
	// as failing, so that it cannot keep a wait without a Timeout alive forever.
	maxConsecutiveRetryAfter = 3
)

// Config says what to poll and how to read what comes back.
//
// A state is classified in this order: Target, Failure, Pending, anything
// else. States listed in Unknown and states listed nowhere (an enum value
// newer than the caller) are both waited on, but a consecutive run of them
// fails with an *UnknownTooLongError once it has lasted two minutes.
type Config[T any] struct {
	// Poll fetches the latest object and its state.
	Poll func(ctx context.Context) (T, string, error)

	Target  string   // ends the wait successfully
	Pending []string // keep waiting, as long as Timeout allows
	Failure []string // end the wait at once with a *FailureError
	Unknown []string // expected but uninformative, such as "unknown"

	// Timeout bounds the whole wait; zero or less means no bound beyond ctx.
	// Pass Terraform's timeouts here rather than only as a ctx deadline: the
	// loop then polls one last time right at the deadline and reports the
	// state it saw, instead of being cut off mid-sleep.
	Timeout time.Duration
	// The pauses between polls start at one second and grow by half each
	// time up to MaxInterval (zero = 10s; below one second it is used for
	// every pause).
	MaxInterval time.Duration
	Clock       clock.Clock // nil = clock.Real()

	// RetryAfter, when set, reports whether a Poll error carries a wait the
	// server asked for (HTTP 429 or 503 with Retry-After). The loop then
	// pauses that long and polls again, up to 3 times in a row; any other
	// Poll error ends the wait at once.
	RetryAfter func(err error) (time.Duration, bool)

	// Subject names what is waited on in error messages; empty means "object".
	Subject string
}

// Progress is how far a wait got before it ended; every error of Wait
// carries it, so a caller can say what was waited on, how long and how
// often it was polled.
type Progress struct {
	Subject string
	Elapsed time.Duration
	Polls   int
}

func (p Progress) after() string {
	return fmt.Sprintf("after %s (%s)", human(p.Elapsed), polls(p.Polls))
}

// FailureError means the object reached one of the Failure states.
type FailureError struct {
	Progress
	State string
}

func (e *FailureError) Error() string {
	return fmt.Sprintf("%s reached %q %s", e.Subject, e.State, e.after())
}

// TimeoutError means Config.Timeout ran out; LastState is what the final
// poll, made at the deadline, saw.
type TimeoutError struct {
	Progress
	LastState string
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s still %q %s", e.Subject, e.LastState, e.after())
}

// UnknownTooLongError means a run of Unknown or unlisted states lasted too
// long. Unlisted tells the caller the state was one it did not list at all,
// which usually means the API is newer than the caller.
type UnknownTooLongError struct {
	Progress // Elapsed is the length of the whole wait
	State    string
	Unlisted bool
	For      time.Duration // length of the run
}

func (e *UnknownTooLongError) Error() string {
	what := fmt.Sprintf("%q", e.State)
	if e.Unlisted {
		what = fmt.Sprintf("unrecognised state %q", e.State)
	}
	return fmt.Sprintf("%s stayed in %s for %s (%s in all, %s)",
		e.Subject, what, human(e.For), human(e.Elapsed), polls(e.Polls))
}

// StoppedError means ctx ended the wait (Ctrl-C, or a deadline of the
// caller's own); it wraps ctx's error.
type StoppedError struct {
	Progress
	LastState string // empty when no poll returned a state
	Err       error
}

func (e *StoppedError) Error() string {
	if e.LastState == "" {
		return fmt.Sprintf("stopped waiting for %s before any state was seen (%s): %v", e.Subject, polls(e.Polls), e.Err)
	}
	return fmt.Sprintf("stopped waiting for %s after %s (%s, last state %q): %v",
		e.Subject, human(e.Elapsed), polls(e.Polls), e.LastState, e.Err)
}

func (e *StoppedError) Unwrap() error { return e.Err }

// Wait polls until the state is the Target, a Failure, too long unknown,
// the Timeout runs out, ctx is done or Poll fails. It returns the last
// object seen in every case, so that a caller can describe a failure with
// the object's own details.
func Wait[T any](ctx context.Context, cfg Config[T]) (T, error) {
	var last T
	if cfg.Poll == nil || cfg.Target == "" {
		return last, errors.New("waiter: Config needs a Poll function and a Target state")
	}
	clk := cfg.Clock
	if clk == nil {
		clk = clock.Real()
	}
	subject := cfg.Subject
	if subject == "" {
		subject = "object"
	}
	maxInterval := cfg.MaxInterval
	if maxInterval <= 0 {
		maxInterval = defaultMaxInterval
	}
	next := min(firstInterval, maxInterval)

	start := clk.Now()
	var deadline time.Time
	if cfg.Timeout > 0 {
		deadline = start.Add(cfg.Timeout)
	}
	var (
		state        string // last state seen; empty until a poll returns one
		pollCount    int
		elapsed      time.Duration
		inUnknown    bool
		unknownSince time.Time
		retries      int
	)
	progress := func() Progress { return Progress{Subject: subject, Elapsed: elapsed, Polls: pollCount} }
	stopped := func(err error) error {
		return &StoppedError{Progress: progress(), LastState: state, Err: err}
	}
	pollFailed := func(err error) error {
		gaveUp := ""
		if retries > 0 {
			gaveUp = fmt.Sprintf(", after %d server-requested retries", retries)
		}
		if state == "" {
			return fmt.Errorf("polling %s failed (%s%s): %w", subject, polls(pollCount), gaveUp, err)
		}
		return fmt.Errorf("polling %s failed after %s (%s%s, last state %q): %w",
			subject, human(elapsed), polls(pollCount), gaveUp, state, err)
	}

	for {
		if err := ctx.Err(); err != nil {
			return last, stopped(err)
		}
		obj, polled, err := cfg.Poll(ctx)
		now := clk.Now()
		pollCount++
		elapsed = now.Sub(start)

		var pause time.Duration
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return last, stopped(ctxErr)
			}
			var wait time.Duration
			ok := false
			if cfg.RetryAfter != nil {
				wait, ok = cfg.RetryAfter(err)
			}
			if !ok || retries >= maxConsecutiveRetryAfter {
				return last, pollFailed(err)
			}
			retries++
			pause = wait
			if pause <= 0 {
				pause = next
			}
		} else {
			retries = 0
			last, state = obj, polled
			switch {
			case state == cfg.Target:
				return last, nil
			case slices.Contains(cfg.Failure, state):
				return last, &FailureError{Progress: progress(), State: state}
			case slices.Contains(cfg.Pending, state):
				inUnknown = false
			default:
				if !inUnknown {
					inUnknown, unknownSince = true, now
				}
				if run := now.Sub(unknownSince); run >= unknownTolerance {
					return last, &UnknownTooLongError{
						Progress: progress(), State: state, Unlisted: !slices.Contains(cfg.Unknown, state), For: run,
					}
				}
			}
			pause = next
			next = grow(next, maxInterval)
		}

		// Shorten the pause so the next poll lands exactly on whichever limit
		// comes first: the verdict is then based on the state seen at it.
		if !deadline.IsZero() {
			left := deadline.Sub(now)
			if left <= 0 {
				if err != nil {
					return last, pollFailed(err)
				}
				return last, &TimeoutError{Progress: progress(), LastState: state}
			}
			pause = min(pause, left)
		}
		if inUnknown {
			pause = min(pause, unknownSince.Add(unknownTolerance).Sub(now))
		}
		if err := clk.Sleep(ctx, pause); err != nil {
			return last, stopped(err)
		}
	}
}

// grow is the backoff: each pause is half again as long as the one before,
// which reaches a 10s cap from 1s in 6 steps while keeping the early polls
// close together.
func grow(d, maxInterval time.Duration) time.Duration {
	return min(d+d/2, maxInterval)
}

// human rounds a duration for messages: "30m0s" rather than "30m0.001234s".
func human(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(10 * time.Millisecond)
}

func polls(n int) string {
	if n == 1 {
		return "1 poll"
	}
	return fmt.Sprintf("%d polls", n)
}
