package waiter

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
)

var epoch = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

type deployment struct {
	Status string
	At     time.Duration // fake time of the poll that returned it
}

// timeline answers each poll with the state that holds at the current fake
// time: phases[i].state from phases[i].from on. It counts the polls.
type phase struct {
	from  time.Duration
	state string
}

func timeline(clk *clock.Fake, polls *int, phases ...phase) func(context.Context) (deployment, string, error) {
	return func(context.Context) (deployment, string, error) {
		*polls++
		at := clk.Now().Sub(epoch)
		state := ""
		for _, p := range phases {
			if at >= p.from {
				state = p.state
			}
		}
		return deployment{Status: state, At: at}, state, nil
	}
}

// settles is a deployment that is "deploying" until after, then "active".
func settles(clk *clock.Fake, polls *int, after time.Duration) func(context.Context) (deployment, string, error) {
	return timeline(clk, polls, phase{0, "deploying"}, phase{after, "active"})
}

func config(clk clock.Clock, poll func(context.Context) (deployment, string, error)) Config[deployment] {
	return Config[deployment]{
		Poll:            poll,
		Target:          []string{"active", "inactive"},
		Pending:         []string{"deploying", "deactivating"},
		Failure:         []string{"error"},
		Unknown:         []string{"unknown"},
		InitialInterval: time.Second,
		MaxInterval:     10 * time.Second,
		Clock:           clk,
		Subject:         "deployment",
	}
}

func seconds(s ...float64) []time.Duration {
	out := make([]time.Duration, len(s))
	for i, v := range s {
		out[i] = time.Duration(v * float64(time.Second))
	}
	return out
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

func TestImmediateTargetDoesNotSleep(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	got, res, err := Wait(context.Background(), config(clk, settles(clk, &polls, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if want := (Result{State: "active", Polls: 1}); res != want {
		t.Errorf("result = %+v, want %+v", res, want)
	}
	if got.Status != "active" || polls != 1 {
		t.Errorf("object = %+v after %d polls", got, polls)
	}
	if s := clk.Sleeps(); len(s) != 0 {
		t.Errorf("slept %v, want no sleep", s)
	}
}

func TestPendingThenTargetBacksOffToMax(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	got, res, err := Wait(context.Background(), config(clk, settles(clk, &polls, 40*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	wantSleeps := seconds(1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10, 10)
	if s := clk.Sleeps(); !slices.Equal(s, wantSleeps) {
		t.Errorf("sleeps = %v, want %v", s, wantSleeps)
	}
	want := Result{State: "active", Polls: 9, Elapsed: sum(wantSleeps)}
	if res != want {
		t.Errorf("result = %+v, want %+v", res, want)
	}
	if got.At != want.Elapsed {
		t.Errorf("returned the object of the poll at %v, want the last one at %v", got.At, want.Elapsed)
	}
}

func TestFailureStateEndsAtOnce(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	poll := timeline(clk, &polls, phase{0, "deploying"}, phase{2 * time.Second, "error"})
	got, res, err := Wait(context.Background(), config(clk, poll))

	var fe *FailureError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v (%T), want *FailureError", err, err)
	}
	want := FailureError{Subject: "deployment", State: "error", Elapsed: 2500 * time.Millisecond, Polls: 3}
	if *fe != want {
		t.Errorf("error = %+v, want %+v", *fe, want)
	}
	if msg := err.Error(); msg != `deployment reached "error" after 2.5s (3 polls)` {
		t.Errorf("message = %q", msg)
	}
	if got.Status != "error" || res.State != "error" || res.Polls != 3 {
		t.Errorf("object = %+v, result = %+v; want the failed deployment returned", got, res)
	}
}

func TestTimeoutPollsLastAtTheDeadline(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	// The state changes exactly at the deadline, so only a poll made right
	// then can name it.
	poll := timeline(clk, &polls, phase{0, "deploying"}, phase{20 * time.Second, "deactivating"})
	cfg := config(clk, poll)
	cfg.Timeout = 20 * time.Second
	_, res, err := Wait(context.Background(), cfg)

	var te *TimeoutError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v (%T), want *TimeoutError", err, err)
	}
	want := TimeoutError{Subject: "deployment", LastState: "deactivating", Elapsed: 20 * time.Second, Polls: 7}
	if *te != want {
		t.Errorf("error = %+v, want %+v", *te, want)
	}
	if msg := err.Error(); msg != `deployment still "deactivating" after 20s (7 polls)` {
		t.Errorf("message = %q", msg)
	}
	// 1+1.5+2.25+3.375+5.0625 = 13.1875s; the 7.59375s pause is cut to 6.8125s.
	wantSleeps := seconds(1, 1.5, 2.25, 3.375, 5.0625, 6.8125)
	if s := clk.Sleeps(); !slices.Equal(s, wantSleeps) {
		t.Errorf("sleeps = %v, want %v", s, wantSleeps)
	}
	if res.Elapsed != cfg.Timeout || clk.Now() != epoch.Add(cfg.Timeout) {
		t.Errorf("ended at %v, want exactly at the %v deadline", res.Elapsed, cfg.Timeout)
	}
}

func TestSettlingExactlyAtTheDeadlineSucceeds(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, settles(clk, &polls, 20*time.Second))
	cfg.Timeout = 20 * time.Second
	_, res, err := Wait(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if res.State != "active" || res.Elapsed != 20*time.Second {
		t.Errorf("result = %+v, want active at 20s", res)
	}
}

func TestUnknownToleratedBriefly(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	poll := timeline(clk, &polls,
		phase{0, "deploying"}, phase{5 * time.Second, "unknown"}, phase{60 * time.Second, "active"})
	_, res, err := Wait(context.Background(), config(clk, poll))
	if err != nil {
		t.Fatal(err)
	}
	if res.State != "active" {
		t.Errorf("result = %+v", res)
	}
}

func TestUnknownTooLongFails(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	poll := timeline(clk, &polls, phase{0, "deploying"}, phase{4 * time.Second, "unknown"})
	cfg := config(clk, poll)
	cfg.UnknownTolerance = 30 * time.Second
	_, _, err := Wait(context.Background(), cfg)

	var ue *UnknownTooLongError
	if !errors.As(err, &ue) {
		t.Fatalf("err = %v (%T), want *UnknownTooLongError", err, err)
	}
	// First seen by the poll at 4.75s; the pause is cut so that the verdict
	// falls exactly 30s later.
	want := UnknownTooLongError{
		Subject: "deployment", State: "unknown", Unlisted: false,
		For: 30 * time.Second, Elapsed: 34750 * time.Millisecond, Polls: 9,
	}
	if *ue != want {
		t.Errorf("error = %+v, want %+v", *ue, want)
	}
	if msg := err.Error(); msg != `deployment stayed in "unknown" for 30s (34.75s in all, 9 polls)` {
		t.Errorf("message = %q", msg)
	}
}

func TestUnknownToleranceDefaultsToTwoMinutes(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	_, _, err := Wait(context.Background(), config(clk, timeline(clk, &polls, phase{0, "unknown"})))
	var ue *UnknownTooLongError
	if !errors.As(err, &ue) || ue.For != 2*time.Minute || ue.Elapsed != 2*time.Minute {
		t.Fatalf("err = %v, want an unknown run of exactly 2m", err)
	}
}

func TestPendingStateEndsAnUnknownRun(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	// Two runs of 20s and 25s, each within a 30s tolerance though together
	// they are not.
	poll := timeline(clk, &polls,
		phase{0, "unknown"}, phase{20 * time.Second, "deploying"},
		phase{40 * time.Second, "unknown"}, phase{65 * time.Second, "active"})
	cfg := config(clk, poll)
	cfg.UnknownTolerance = 30 * time.Second
	if _, _, err := Wait(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
}

func TestUnlistedStateIsTreatedAsUnknown(t *testing.T) {
	t.Run("briefly", func(t *testing.T) {
		clk := clock.NewFake(epoch)
		var polls int
		poll := timeline(clk, &polls, phase{0, "migrating"}, phase{10 * time.Second, "active"})
		if _, _, err := Wait(context.Background(), config(clk, poll)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("too long", func(t *testing.T) {
		clk := clock.NewFake(epoch)
		var polls int
		cfg := config(clk, timeline(clk, &polls, phase{0, "migrating"}))
		cfg.UnknownTolerance = 15 * time.Second
		_, _, err := Wait(context.Background(), cfg)
		var ue *UnknownTooLongError
		if !errors.As(err, &ue) {
			t.Fatalf("err = %v (%T), want *UnknownTooLongError", err, err)
		}
		if !ue.Unlisted || ue.State != "migrating" || ue.For != 15*time.Second {
			t.Errorf("error = %+v", *ue)
		}
		if msg := err.Error(); msg != `deployment stayed in unrecognised state "migrating" for 15s (15s in all, 7 polls)` {
			t.Errorf("message = %q", msg)
		}
	})
}

var errBoom = errors.New("GET /models/m: 500 Internal Server Error")

type serverBusy struct{ wait time.Duration }

func (e serverBusy) Error() string {
	return fmt.Sprintf("429 Too Many Requests, retry after %s", e.wait)
}

func retryAfter(err error) (time.Duration, bool) {
	var busy serverBusy
	if errors.As(err, &busy) {
		return busy.wait, true
	}
	return 0, false
}

// scripted answers the polls from a list: a string is a state, an error is a
// Poll failure. Past the end it repeats the last entry.
func scripted(polls *int, script ...any) func(context.Context) (deployment, string, error) {
	return func(context.Context) (deployment, string, error) {
		step := script[min(*polls, len(script)-1)]
		*polls++
		if err, ok := step.(error); ok {
			return deployment{}, "", err
		}
		return deployment{Status: step.(string)}, step.(string), nil
	}
}

func TestPollErrorIsReturnedWrapped(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, scripted(&polls, "deploying", errBoom))
	cfg.RetryAfter = retryAfter // not a retryable error: must not matter
	got, res, err := Wait(context.Background(), cfg)
	if !errors.Is(err, errBoom) {
		t.Fatalf("err = %v, want it to wrap %v", err, errBoom)
	}
	wantMsg := `polling deployment failed after 1s (2 polls, last state "deploying"): ` + errBoom.Error()
	if err.Error() != wantMsg {
		t.Errorf("message = %q\n want %q", err.Error(), wantMsg)
	}
	if got.Status != "deploying" || res.State != "deploying" || res.Polls != 2 || polls != 2 {
		t.Errorf("object = %+v, result = %+v after %d polls", got, res, polls)
	}
}

func TestFirstPollErrorHasNoLastState(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	_, _, err := Wait(context.Background(), config(clk, scripted(&polls, errBoom)))
	if !errors.Is(err, errBoom) || err.Error() != "polling deployment failed (1 poll): "+errBoom.Error() {
		t.Errorf("err = %v", err)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, scripted(&polls, "deploying", serverBusy{7 * time.Second}, "deploying", "active"))
	cfg.RetryAfter = retryAfter
	_, res, err := Wait(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The server's 7s replaces a pause without advancing the backoff.
	wantSleeps := seconds(1, 7, 1.5)
	if s := clk.Sleeps(); !slices.Equal(s, wantSleeps) {
		t.Errorf("sleeps = %v, want %v", s, wantSleeps)
	}
	if res.Polls != 4 || res.State != "active" {
		t.Errorf("result = %+v", res)
	}
}

func TestRetryAfterIsBounded(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	busy := serverBusy{5 * time.Second}
	cfg := config(clk, scripted(&polls, "deploying", busy))
	cfg.RetryAfter = retryAfter
	_, res, err := Wait(context.Background(), cfg)
	if !errors.As(err, new(serverBusy)) {
		t.Fatalf("err = %v, want the server's error", err)
	}
	if !strings.Contains(err.Error(), "after 3 server-requested retries") {
		t.Errorf("message = %q", err.Error())
	}
	if wantSleeps := seconds(1, 5, 5, 5); !slices.Equal(clk.Sleeps(), wantSleeps) {
		t.Errorf("sleeps = %v, want %v", clk.Sleeps(), wantSleeps)
	}
	if res.Polls != 5 {
		t.Errorf("polls = %d, want 1 + 1 failed + 3 retries", res.Polls)
	}
}

func TestRetryAfterResetsOnSuccess(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	busy := serverBusy{2 * time.Second}
	cfg := config(clk, scripted(&polls,
		busy, busy, busy, "deploying", busy, busy, busy, "active"))
	cfg.RetryAfter = retryAfter
	if _, _, err := Wait(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
}

func TestRetryAfterNeverPassesTheDeadline(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, scripted(&polls, "deploying", serverBusy{time.Hour}))
	cfg.RetryAfter = retryAfter
	cfg.Timeout = 10 * time.Second
	_, res, err := Wait(context.Background(), cfg)
	if !errors.As(err, new(serverBusy)) {
		t.Fatalf("err = %v, want the server's error", err)
	}
	if res.Elapsed != 10*time.Second || !slices.Equal(clk.Sleeps(), seconds(1, 9)) {
		t.Errorf("elapsed %v, sleeps %v; want to stop at the 10s deadline", res.Elapsed, clk.Sleeps())
	}
}

func TestCancelledBeforeTheFirstPoll(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, res, err := Wait(ctx, config(clk, settles(clk, &polls, 0)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if polls != 0 || res.Polls != 0 {
		t.Errorf("polled %d times after cancellation", polls)
	}
}

// cancellingClock is a Fake whose n-th Sleep is interrupted by a Ctrl-C.
type cancellingClock struct {
	*clock.Fake
	cancel context.CancelFunc
	n      int
}

func (c *cancellingClock) Sleep(ctx context.Context, d time.Duration) error {
	if c.n--; c.n == 0 {
		c.cancel()
	}
	return c.Fake.Sleep(ctx, d)
}

func TestCancelledDuringTheWait(t *testing.T) {
	fake := clock.NewFake(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	clk := &cancellingClock{Fake: fake, cancel: cancel, n: 3}
	var polls int
	got, res, err := Wait(ctx, config(clk, settles(fake, &polls, time.Hour)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	want := `stopped waiting for deployment after 2.5s (3 polls, last state "deploying"): context canceled`
	if err.Error() != want {
		t.Errorf("message = %q\n want %q", err.Error(), want)
	}
	if polls != 3 || res.Polls != 3 || got.Status != "deploying" {
		t.Errorf("object %+v, result %+v, %d polls", got, res, polls)
	}
}

func TestCancelledDuringAPoll(t *testing.T) {
	clk := clock.NewFake(epoch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	polls := 0
	poll := func(ctx context.Context) (deployment, string, error) {
		if polls++; polls == 2 {
			cancel()
			return deployment{}, "", fmt.Errorf("GET /models/m: %w", ctx.Err())
		}
		return deployment{Status: "deploying"}, "deploying", nil
	}
	cfg := config(clk, poll)
	cfg.RetryAfter = func(error) (time.Duration, bool) { return time.Second, true } // must not retry a cancelled wait
	_, _, err := Wait(ctx, cfg)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "stopped waiting for deployment") {
		t.Fatalf("err = %v, want a stop wrapping context.Canceled", err)
	}
	if polls != 2 {
		t.Errorf("polled %d times, want 2", polls)
	}
}

func TestMaxIntervalBelowInitialIsUsedForBoth(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, settles(clk, &polls, 7*time.Second))
	cfg.InitialInterval = 5 * time.Second
	cfg.MaxInterval = 2 * time.Second
	if _, _, err := Wait(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if want := seconds(2, 2, 2, 2); !slices.Equal(clk.Sleeps(), want) {
		t.Errorf("sleeps = %v, want %v", clk.Sleeps(), want)
	}
}

func TestZeroIntervalsUseDefaults(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, settles(clk, &polls, 40*time.Second))
	cfg.InitialInterval, cfg.MaxInterval = 0, 0
	if _, _, err := Wait(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	if want := seconds(1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10, 10); !slices.Equal(clk.Sleeps(), want) {
		t.Errorf("sleeps = %v, want %v", clk.Sleeps(), want)
	}
}

func TestOnPollReportsEachState(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	type report struct {
		attempt int
		state   string
		elapsed time.Duration
	}
	var got []report
	cfg := config(clk, settles(clk, &polls, 2*time.Second))
	cfg.OnPoll = func(attempt int, state string, elapsed time.Duration) {
		got = append(got, report{attempt, state, elapsed})
	}
	if _, _, err := Wait(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	want := []report{{1, "deploying", 0}, {2, "deploying", time.Second}, {3, "active", 2500 * time.Millisecond}}
	if !slices.Equal(got, want) {
		t.Errorf("reports = %v, want %v", got, want)
	}
}

func TestInvalidConfig(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	noPoll := config(clk, nil)
	noTarget := config(clk, settles(clk, &polls, 0))
	noTarget.Target = nil
	for name, cfg := range map[string]Config[deployment]{"no Poll": noPoll, "no Target": noTarget} {
		if _, _, err := Wait(context.Background(), cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if polls != 0 {
		t.Errorf("polled %d times with an invalid config", polls)
	}
}

func TestDefaultSubjectAndRounding(t *testing.T) {
	err := &TimeoutError{Subject: "object", LastState: "deploying", Elapsed: 30*time.Minute + 1234*time.Millisecond, Polls: 41}
	if got, want := err.Error(), `object still "deploying" after 30m1s (41 polls)`; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, scripted(&polls, "error"))
	cfg.Subject = ""
	if _, _, err := Wait(context.Background(), cfg); err == nil || err.Error() != `object reached "error" after 0s (1 poll)` {
		t.Errorf("err = %v", err)
	}
}

// The figures behind the default schedule (1s growing by half to a 10s cap):
// how many polls a deployment costs, and how late its end is noticed.
func TestFigures(t *testing.T) {
	for _, tc := range []struct {
		settle    time.Duration
		wantPolls int
	}{
		{60 * time.Second, 11}, // polls at 0, 1, 2.5, 4.75, 8.125, 13.1875, 20.78125, 30.78, 40.78, 50.78, 60.78s
		{5 * time.Minute, 35},  // the same first 8, then every 10s up to 300.78s
	} {
		t.Run(tc.settle.String(), func(t *testing.T) {
			clk := clock.NewFake(epoch)
			var polls int
			_, res, err := Wait(context.Background(), config(clk, settles(clk, &polls, tc.settle)))
			if err != nil {
				t.Fatal(err)
			}
			delay := res.Elapsed - tc.settle
			t.Logf("settled at %v: %d polls, noticed %v later", tc.settle, res.Polls, delay)
			if res.Polls != tc.wantPolls {
				t.Errorf("polls = %d, want %d", res.Polls, tc.wantPolls)
			}
			if res.Polls > 40 {
				t.Errorf("polls = %d, more than 40", res.Polls)
			}
			if delay < 0 || delay > 10*time.Second {
				t.Errorf("noticed %v after settling, want within one 10s interval", delay)
			}
			if delay != 781250*time.Microsecond {
				t.Errorf("delay = %v, want 781.25ms", delay)
			}
		})
	}
}

// Whenever a deployment settles within 5 minutes, the default schedule notices
// within one pause of it and never polls more than 40 times.
func TestWorstCaseWithinFiveMinutes(t *testing.T) {
	var worstDelay time.Duration
	var worstPolls int
	for settle := time.Duration(0); settle <= 5*time.Minute; settle += 125 * time.Millisecond {
		clk := clock.NewFake(epoch)
		var polls int
		_, res, err := Wait(context.Background(), config(clk, settles(clk, &polls, settle)))
		if err != nil {
			t.Fatal(err)
		}
		sleeps := clk.Sleeps()
		delay := res.Elapsed - settle
		if len(sleeps) > 0 && (delay < 0 || delay >= sleeps[len(sleeps)-1]) {
			t.Fatalf("settled at %v, noticed %v later: not within the last pause %v", settle, delay, sleeps[len(sleeps)-1])
		}
		worstDelay, worstPolls = max(worstDelay, delay), max(worstPolls, res.Polls)
	}
	t.Logf("worst case up to 5m: %d polls, noticed %v late", worstPolls, worstDelay)
	if worstPolls > 40 || worstDelay > 10*time.Second {
		t.Errorf("worst case %d polls, %v late; want <= 40 polls and <= 10s", worstPolls, worstDelay)
	}
}
