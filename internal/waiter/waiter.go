// Package waiter polls something until it settles. It is the one wait loop of
// the provider: create, update, delete and read all use it, so backoff,
// timeouts, failure states and Ctrl-C behave the same everywhere.
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
	defaultInitialInterval  = time.Second
	defaultMaxInterval      = 10 * time.Second
	defaultUnknownTolerance = 2 * time.Minute
	// A server that answers "wait" more often than this in a row is treated
	// as failing, so that it cannot keep a wait without a Timeout alive forever.
	maxConsecutiveRetryAfter = 3
)

// Config says what to poll and how to read what comes back.
//
// A state is classified in this order: Target, Failure, Pending, anything
// else. States listed in Unknown and states listed nowhere (an enum value
// newer than the caller) are both waited on, but a consecutive run of them
// fails with an *UnknownTooLongError once it has lasted UnknownTolerance.
type Config[T any] struct {
	// Poll fetches the latest object and its state.
	Poll func(ctx context.Context) (T, string, error)

	Target  []string // end the wait successfully
	Pending []string // keep waiting, as long as Timeout allows
	Failure []string // end the wait at once with a *FailureError
	Unknown []string // expected but uninformative, such as "unknown"

	// UnknownTolerance bounds a run of Unknown or unlisted states;
	// zero or less means 2 minutes.
	UnknownTolerance time.Duration
	// Timeout bounds the whole wait; zero or less means no bound beyond ctx.
	// Pass Terraform's timeouts here rather than only as a ctx deadline: the
	// loop then polls one last time right at the deadline and reports the
	// state it saw, instead of being cut off mid-sleep.
	Timeout time.Duration

	// The pauses between polls start at InitialInterval (zero = 1s) and grow
	// by half each time up to MaxInterval (zero = 10s). A MaxInterval below
	// InitialInterval is used for both.
	InitialInterval time.Duration
	MaxInterval     time.Duration

	Clock clock.Clock // nil = clock.Real()

	// RetryAfter, when set, reports whether a Poll error carries a wait the
	// server asked for (HTTP 429 or 503 with Retry-After). The loop then
	// pauses that long and polls again, up to 3 times in a row; any other
	// Poll error ends the wait at once.
	RetryAfter func(err error) (time.Duration, bool)

	// OnPoll, when set, is called after each poll that returned a state,
	// for progress logs.
	OnPoll func(attempt int, state string, elapsed time.Duration)

	// Subject names what is waited on in error messages ("deployment");
	// empty means "object".
	Subject string
}

// Result sums up a wait: the last state seen, and how many polls and how long it took.
type Result struct {
	State   string        // last state seen; empty if no poll returned one
	Polls   int           // calls of Poll, failed ones included
	Elapsed time.Duration // from the start of the wait to the last poll
}

// FailureError means the object reached one of the Failure states.
type FailureError struct {
	Subject string
	State   string
	Elapsed time.Duration
	Polls   int
}

func (e *FailureError) Error() string {
	return fmt.Sprintf("%s reached %q after %s (%s)", e.Subject, e.State, human(e.Elapsed), polls(e.Polls))
}

// TimeoutError means Config.Timeout ran out; LastState is what the final
// poll, made at the deadline, saw.
type TimeoutError struct {
	Subject   string
	LastState string
	Elapsed   time.Duration
	Polls     int
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("%s still %q after %s (%s)", e.Subject, e.LastState, human(e.Elapsed), polls(e.Polls))
}

// UnknownTooLongError means a run of Unknown or unlisted states lasted
// Config.UnknownTolerance. Unlisted tells the caller the state was one it did
// not list at all, which usually means the API is newer than the provider.
type UnknownTooLongError struct {
	Subject  string
	State    string
	Unlisted bool
	For      time.Duration // length of the run
	Elapsed  time.Duration // length of the whole wait
	Polls    int
}

func (e *UnknownTooLongError) Error() string {
	what := fmt.Sprintf("%q", e.State)
	if e.Unlisted {
		what = fmt.Sprintf("unrecognised state %q", e.State)
	}
	return fmt.Sprintf("%s stayed in %s for %s (%s in all, %s)",
		e.Subject, what, human(e.For), human(e.Elapsed), polls(e.Polls))
}

// Wait polls until the state is a Target, a Failure, too long unknown, the
// Timeout runs out, ctx is done or Poll fails. It returns the last object
// seen and a Result in every case, so a caller can describe a failure with
// the object's own details.
func Wait[T any](ctx context.Context, cfg Config[T]) (T, Result, error) {
	var last T
	var res Result
	if cfg.Poll == nil || len(cfg.Target) == 0 {
		return last, res, errors.New("waiter: Config needs a Poll function and at least one Target state")
	}

	clk := cfg.Clock
	if clk == nil {
		clk = clock.Real()
	}
	subject := cfg.Subject
	if subject == "" {
		subject = "object"
	}
	tolerance := cfg.UnknownTolerance
	if tolerance <= 0 {
		tolerance = defaultUnknownTolerance
	}
	next, maxInterval := intervals(cfg.InitialInterval, cfg.MaxInterval)

	start := clk.Now()
	var deadline time.Time
	if cfg.Timeout > 0 {
		deadline = start.Add(cfg.Timeout)
	}
	var (
		seen         bool // a poll has returned a state
		inUnknown    bool
		unknownSince time.Time
		retries      int
	)
	stopped := func(err error) error {
		if !seen {
			return fmt.Errorf("stopped waiting for %s before any state was seen (%s): %w", subject, polls(res.Polls), err)
		}
		return fmt.Errorf("stopped waiting for %s after %s (%s, last state %q): %w",
			subject, human(res.Elapsed), polls(res.Polls), res.State, err)
	}
	pollFailed := func(err error) error {
		gaveUp := ""
		if retries > 0 {
			gaveUp = fmt.Sprintf(", after %d server-requested retries", retries)
		}
		if !seen {
			return fmt.Errorf("polling %s failed (%s%s): %w", subject, polls(res.Polls), gaveUp, err)
		}
		return fmt.Errorf("polling %s failed after %s (%s%s, last state %q): %w",
			subject, human(res.Elapsed), polls(res.Polls), gaveUp, res.State, err)
	}

	for {
		if err := ctx.Err(); err != nil {
			return last, res, stopped(err)
		}
		obj, state, err := cfg.Poll(ctx)
		now := clk.Now()
		res.Polls++
		res.Elapsed = now.Sub(start)

		var pause time.Duration
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return last, res, stopped(ctxErr)
			}
			wait, ok := serverWait(cfg.RetryAfter, err)
			if !ok || retries >= maxConsecutiveRetryAfter {
				return last, res, pollFailed(err)
			}
			retries++
			pause = wait
			if pause <= 0 {
				pause = next
			}
		} else {
			retries = 0
			last, res.State, seen = obj, state, true
			if cfg.OnPoll != nil {
				cfg.OnPoll(res.Polls, state, res.Elapsed)
			}
			switch {
			case slices.Contains(cfg.Target, state):
				return last, res, nil
			case slices.Contains(cfg.Failure, state):
				return last, res, &FailureError{Subject: subject, State: state, Elapsed: res.Elapsed, Polls: res.Polls}
			case slices.Contains(cfg.Pending, state):
				inUnknown = false
			default:
				if !inUnknown {
					inUnknown, unknownSince = true, now
				}
				if run := now.Sub(unknownSince); run >= tolerance {
					return last, res, &UnknownTooLongError{
						Subject: subject, State: state, Unlisted: !slices.Contains(cfg.Unknown, state),
						For: run, Elapsed: res.Elapsed, Polls: res.Polls,
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
					return last, res, pollFailed(err)
				}
				return last, res, &TimeoutError{Subject: subject, LastState: res.State, Elapsed: res.Elapsed, Polls: res.Polls}
			}
			pause = min(pause, left)
		}
		if inUnknown {
			pause = min(pause, unknownSince.Add(tolerance).Sub(now))
		}
		if err := clk.Sleep(ctx, pause); err != nil {
			return last, res, stopped(err)
		}
	}
}

// intervals returns the first pause and the cap, defaults applied.
func intervals(initial, maxInterval time.Duration) (time.Duration, time.Duration) {
	if initial <= 0 {
		initial = defaultInitialInterval
	}
	if maxInterval <= 0 {
		maxInterval = defaultMaxInterval
	}
	return min(initial, maxInterval), maxInterval
}

// grow is the backoff: each pause is half again as long as the one before,
// which reaches a 10s cap from 1s in 6 steps while keeping the early polls
// (when a fast deployment is most likely to settle) close together.
func grow(d, maxInterval time.Duration) time.Duration {
	return min(d+d/2, maxInterval)
}

func serverWait(retryAfter func(error) (time.Duration, bool), err error) (time.Duration, bool) {
	if retryAfter == nil {
		return 0, false
	}
	return retryAfter(err)
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
