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
		Poll:        guarded(poll),
		Target:      "active",
		Pending:     []string{"deploying", "deactivating"},
		Failure:     []string{"error"},
		Unknown:     []string{"unknown"},
		MaxInterval: 10 * time.Second,
		Clock:       clk,
		Subject:     "deployment",
	}
}

// maxPolls bounds every wait of these tests: none polls more than 40
// times, so a wait that reaches this many has lost its way out (a settled
// state taken for a pending one) and must fail now, not fill the memory.
const maxPolls = 1000

var errRunaway = fmt.Errorf("test guard: %d polls and the wait has not ended: is a settled state being waited on?", maxPolls)

// guarded ends a runaway wait: once poll has been called maxPolls times,
// it answers with errRunaway, which no Config retries.
func guarded(poll func(context.Context) (deployment, string, error)) func(context.Context) (deployment, string, error) {
	if poll == nil {
		return nil
	}
	n := 0
	return func(ctx context.Context) (deployment, string, error) {
		if n++; n > maxPolls {
			return deployment{}, "", errRunaway
		}
		return poll(ctx)
	}
}

// testContext bounds a wait in real time too, in case a bug spins without polling.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
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

// since is how much fake time has passed since the wait began.
func since(clk *clock.Fake) time.Duration { return clk.Now().Sub(epoch) }

func TestImmediateTargetDoesNotSleep(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	got, err := Wait(testContext(t), config(clk, settles(clk, &polls, 0)))
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "active" || polls != 1 || since(clk) != 0 {
		t.Errorf("object = %+v after %d polls and %v", got, polls, since(clk))
	}
	if s := clk.Sleeps(); len(s) != 0 {
		t.Errorf("slept %v, want no sleep", s)
	}
}

func TestPendingThenTargetBacksOffToMax(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	got, err := Wait(testContext(t), config(clk, settles(clk, &polls, 40*time.Second)))
	if err != nil {
		t.Fatal(err)
	}
	wantSleeps := seconds(1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10, 10)
	if s := clk.Sleeps(); !slices.Equal(s, wantSleeps) {
		t.Errorf("sleeps = %v, want %v", s, wantSleeps)
	}
	if got.Status != "active" || polls != 9 || since(clk) != sum(wantSleeps) {
		t.Errorf("%+v after %d polls and %v, want active after 9 polls and %v", got, polls, since(clk), sum(wantSleeps))
	}
	if got.At != sum(wantSleeps) {
		t.Errorf("returned the object of the poll at %v, want the last one at %v", got.At, sum(wantSleeps))
	}
}

// expectError fails unless err is a *E equal to want, with the message msg.
func expectError[E comparable, P interface {
	*E
	error
}](t *testing.T, err error, want E, msg string) {
	t.Helper()
	var got P
	if !errors.As(err, &got) {
		t.Fatalf("err = %v (%T), want %T", err, err, got)
	}
	if *got != want {
		t.Errorf("error = %+v, want %+v", *got, want)
	}
	if err.Error() != msg {
		t.Errorf("message = %q, want %q", err.Error(), msg)
	}
}

func TestFailureStateEndsAtOnce(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	poll := timeline(clk, &polls, phase{0, "deploying"}, phase{2 * time.Second, "error"})
	got, err := Wait(testContext(t), config(clk, poll))

	expectError(t, err, FailureError{Progress: Progress{Subject: "deployment", Elapsed: 2500 * time.Millisecond, Polls: 3}, State: "error"},
		`deployment reached "error" after 2.5s (3 polls)`)
	if got.Status != "error" || polls != 3 {
		t.Errorf("object = %+v after %d polls; want the failed deployment returned", got, polls)
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
	_, err := Wait(testContext(t), cfg)

	expectError(t, err, TimeoutError{Progress: Progress{Subject: "deployment", Elapsed: 20 * time.Second, Polls: 7}, LastState: "deactivating"},
		`deployment still "deactivating" after 20s (7 polls)`)
	// 1+1.5+2.25+3.375+5.0625 = 13.1875s; the 7.59375s pause is cut to 6.8125s.
	wantSleeps := seconds(1, 1.5, 2.25, 3.375, 5.0625, 6.8125)
	if s := clk.Sleeps(); !slices.Equal(s, wantSleeps) {
		t.Errorf("sleeps = %v, want %v", s, wantSleeps)
	}
	if since(clk) != cfg.Timeout {
		t.Errorf("ended at %v, want exactly at the %v deadline", since(clk), cfg.Timeout)
	}
}

func TestSettlingExactlyAtTheDeadlineSucceeds(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, settles(clk, &polls, 20*time.Second))
	cfg.Timeout = 20 * time.Second
	got, err := Wait(testContext(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "active" || got.At != 20*time.Second {
		t.Errorf("object = %+v, want active at 20s", got)
	}
}

func TestUnknownToleratedBriefly(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	poll := timeline(clk, &polls,
		phase{0, "deploying"}, phase{5 * time.Second, "unknown"}, phase{60 * time.Second, "active"})
	got, err := Wait(testContext(t), config(clk, poll))
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != "active" {
		t.Errorf("object = %+v", got)
	}
}

func TestUnknownTooLongFails(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	poll := timeline(clk, &polls, phase{0, "deploying"}, phase{4 * time.Second, "unknown"})
	_, err := Wait(testContext(t), config(clk, poll))

	// First seen by the poll at 4.75s; the pause is cut so that the verdict
	// falls exactly two minutes later.
	expectError(t, err, UnknownTooLongError{
		Progress: Progress{Subject: "deployment", Elapsed: 124750 * time.Millisecond, Polls: 18},
		State:    "unknown", Unlisted: false, For: 2 * time.Minute,
	},
		`deployment stayed in "unknown" for 2m0s (2m5s in all, 18 polls)`)
}

func TestUnknownToleranceIsTwoMinutes(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	_, err := Wait(testContext(t), config(clk, timeline(clk, &polls, phase{0, "unknown"})))
	var ue *UnknownTooLongError
	if !errors.As(err, &ue) || ue.For != 2*time.Minute || ue.Elapsed != 2*time.Minute {
		t.Fatalf("err = %v, want an unknown run of exactly 2m", err)
	}
}

func TestPendingStateEndsAnUnknownRun(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	// Two runs of 100s and 90s, each within the two-minute tolerance though
	// together they are not.
	poll := timeline(clk, &polls,
		phase{0, "unknown"}, phase{100 * time.Second, "deploying"},
		phase{150 * time.Second, "unknown"}, phase{240 * time.Second, "active"})
	if _, err := Wait(testContext(t), config(clk, poll)); err != nil {
		t.Fatal(err)
	}
}

func TestUnlistedStateIsTreatedAsUnknown(t *testing.T) {
	t.Run("briefly", func(t *testing.T) {
		clk := clock.NewFake(epoch)
		var polls int
		poll := timeline(clk, &polls, phase{0, "migrating"}, phase{10 * time.Second, "active"})
		if _, err := Wait(testContext(t), config(clk, poll)); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("too long", func(t *testing.T) {
		clk := clock.NewFake(epoch)
		var polls int
		_, err := Wait(testContext(t), config(clk, timeline(clk, &polls, phase{0, "migrating"})))
		var ue *UnknownTooLongError
		if !errors.As(err, &ue) {
			t.Fatalf("err = %v (%T), want *UnknownTooLongError", err, err)
		}
		if !ue.Unlisted || ue.State != "migrating" || ue.For != 2*time.Minute {
			t.Errorf("error = %+v", *ue)
		}
		if msg := err.Error(); msg != `deployment stayed in unrecognised state "migrating" for 2m0s (2m0s in all, 17 polls)` {
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
	got, err := Wait(testContext(t), cfg)
	if !errors.Is(err, errBoom) {
		t.Fatalf("err = %v, want it to wrap %v", err, errBoom)
	}
	wantMsg := `polling deployment failed after 1s (2 polls, last state "deploying"): ` + errBoom.Error()
	if err.Error() != wantMsg {
		t.Errorf("message = %q\n want %q", err.Error(), wantMsg)
	}
	if got.Status != "deploying" || polls != 2 {
		t.Errorf("object = %+v after %d polls", got, polls)
	}
}

func TestFirstPollErrorHasNoLastState(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	_, err := Wait(testContext(t), config(clk, scripted(&polls, errBoom)))
	if !errors.Is(err, errBoom) || err.Error() != "polling deployment failed (1 poll): "+errBoom.Error() {
		t.Errorf("err = %v", err)
	}
}

func TestRetryAfterIsHonoured(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, scripted(&polls, "deploying", serverBusy{7 * time.Second}, "deploying", "active"))
	cfg.RetryAfter = retryAfter
	got, err := Wait(testContext(t), cfg)
	if err != nil {
		t.Fatal(err)
	}
	// The server's 7s replaces a pause without advancing the backoff.
	wantSleeps := seconds(1, 7, 1.5)
	if s := clk.Sleeps(); !slices.Equal(s, wantSleeps) {
		t.Errorf("sleeps = %v, want %v", s, wantSleeps)
	}
	if polls != 4 || got.Status != "active" {
		t.Errorf("object = %+v after %d polls", got, polls)
	}
}

func TestRetryAfterIsBounded(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	busy := serverBusy{5 * time.Second}
	cfg := config(clk, scripted(&polls, "deploying", busy))
	cfg.RetryAfter = retryAfter
	_, err := Wait(testContext(t), cfg)
	if !errors.As(err, new(serverBusy)) {
		t.Fatalf("err = %v, want the server's error", err)
	}
	if !strings.Contains(err.Error(), "after 3 server-requested retries") {
		t.Errorf("message = %q", err.Error())
	}
	if wantSleeps := seconds(1, 5, 5, 5); !slices.Equal(clk.Sleeps(), wantSleeps) {
		t.Errorf("sleeps = %v, want %v", clk.Sleeps(), wantSleeps)
	}
	if polls != 5 {
		t.Errorf("polls = %d, want 1 + 1 failed + 3 retries", polls)
	}
}

func TestRetryAfterResetsOnSuccess(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	busy := serverBusy{2 * time.Second}
	cfg := config(clk, scripted(&polls,
		busy, busy, busy, "deploying", busy, busy, busy, "active"))
	cfg.RetryAfter = retryAfter
	if _, err := Wait(testContext(t), cfg); err != nil {
		t.Fatal(err)
	}
}

func TestRetryAfterNeverPassesTheDeadline(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, scripted(&polls, "deploying", serverBusy{time.Hour}))
	cfg.RetryAfter = retryAfter
	cfg.Timeout = 10 * time.Second
	_, err := Wait(testContext(t), cfg)
	if !errors.As(err, new(serverBusy)) {
		t.Fatalf("err = %v, want the server's error", err)
	}
	if since(clk) != 10*time.Second || !slices.Equal(clk.Sleeps(), seconds(1, 9)) {
		t.Errorf("elapsed %v, sleeps %v; want to stop at the 10s deadline", since(clk), clk.Sleeps())
	}
}

func TestCancelledBeforeTheFirstPoll(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	ctx, cancel := context.WithCancel(testContext(t))
	cancel()
	_, err := Wait(ctx, config(clk, settles(clk, &polls, 0)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	var se *StoppedError
	if !errors.As(err, &se) || se.LastState != "" || se.Polls != 0 {
		t.Errorf("err = %#v, want a *StoppedError before any poll", err)
	}
	if polls != 0 {
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
	ctx, cancel := context.WithCancel(testContext(t))
	defer cancel()
	clk := &cancellingClock{Fake: fake, cancel: cancel, n: 3}
	var polls int
	got, err := Wait(ctx, config(clk, settles(fake, &polls, time.Hour)))
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	want := `stopped waiting for deployment after 2.5s (3 polls, last state "deploying"): context canceled`
	if err.Error() != want {
		t.Errorf("message = %q\n want %q", err.Error(), want)
	}
	var se *StoppedError
	if !errors.As(err, &se) || se.LastState != "deploying" || se.Polls != 3 {
		t.Errorf("err = %#v, want a *StoppedError naming the last state", err)
	}
	if polls != 3 || got.Status != "deploying" {
		t.Errorf("object %+v, %d polls", got, polls)
	}
}

func TestCancelledDuringAPoll(t *testing.T) {
	clk := clock.NewFake(epoch)
	ctx, cancel := context.WithCancel(testContext(t))
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
	_, err := Wait(ctx, cfg)
	if !errors.Is(err, context.Canceled) || !strings.HasPrefix(err.Error(), "stopped waiting for deployment") {
		t.Fatalf("err = %v, want a stop wrapping context.Canceled", err)
	}
	if polls != 2 {
		t.Errorf("polled %d times, want 2", polls)
	}
}

func TestMaxIntervalBelowOneSecondIsUsedForEveryPause(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, settles(clk, &polls, 1750*time.Millisecond))
	cfg.MaxInterval = 500 * time.Millisecond
	if _, err := Wait(testContext(t), cfg); err != nil {
		t.Fatal(err)
	}
	if want := seconds(0.5, 0.5, 0.5, 0.5); !slices.Equal(clk.Sleeps(), want) {
		t.Errorf("sleeps = %v, want %v", clk.Sleeps(), want)
	}
}

func TestZeroMaxIntervalMeansTenSeconds(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, settles(clk, &polls, 40*time.Second))
	cfg.MaxInterval = 0
	if _, err := Wait(testContext(t), cfg); err != nil {
		t.Fatal(err)
	}
	if want := seconds(1, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10, 10); !slices.Equal(clk.Sleeps(), want) {
		t.Errorf("sleeps = %v, want %v", clk.Sleeps(), want)
	}
}

func TestEachPollSeesTheStateOfItsTime(t *testing.T) {
	clk := clock.NewFake(epoch)
	var polls int
	type report struct {
		attempt int
		state   string
		elapsed time.Duration
	}
	var got []report
	poll := settles(clk, &polls, 2*time.Second)
	cfg := config(clk, func(ctx context.Context) (deployment, string, error) {
		d, state, err := poll(ctx)
		got = append(got, report{polls, state, d.At})
		return d, state, err
	})
	if _, err := Wait(testContext(t), cfg); err != nil {
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
	noTarget.Target = ""
	for name, cfg := range map[string]Config[deployment]{"no Poll": noPoll, "no Target": noTarget} {
		if _, err := Wait(testContext(t), cfg); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if polls != 0 {
		t.Errorf("polled %d times with an invalid config", polls)
	}
}

func TestDefaultSubjectAndRounding(t *testing.T) {
	err := &TimeoutError{Progress: Progress{Subject: "object", Elapsed: 30*time.Minute + 1234*time.Millisecond, Polls: 41}, LastState: "deploying"}
	if got, want := err.Error(), `object still "deploying" after 30m1s (41 polls)`; got != want {
		t.Errorf("message = %q, want %q", got, want)
	}
	clk := clock.NewFake(epoch)
	var polls int
	cfg := config(clk, scripted(&polls, "error"))
	cfg.Subject = ""
	if _, err := Wait(testContext(t), cfg); err == nil || err.Error() != `object reached "error" after 0s (1 poll)` {
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
			if _, err := Wait(testContext(t), config(clk, settles(clk, &polls, tc.settle))); err != nil {
				t.Fatal(err)
			}
			delay := since(clk) - tc.settle
			t.Logf("settled at %v: %d polls, noticed %v later", tc.settle, polls, delay)
			if polls != tc.wantPolls {
				t.Errorf("polls = %d, want %d", polls, tc.wantPolls)
			}
			if polls > 40 {
				t.Errorf("polls = %d, more than 40", polls)
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
	ctx := testContext(t)
	for settle := time.Duration(0); settle <= 5*time.Minute; settle += 125 * time.Millisecond {
		clk := clock.NewFake(epoch)
		var polls int
		if _, err := Wait(ctx, config(clk, settles(clk, &polls, settle))); err != nil {
			t.Fatal(err)
		}
		sleeps := clk.Sleeps()
		delay := since(clk) - settle
		if len(sleeps) > 0 && (delay < 0 || delay >= sleeps[len(sleeps)-1]) {
			t.Fatalf("settled at %v, noticed %v later: not within the last pause %v", settle, delay, sleeps[len(sleeps)-1])
		}
		worstDelay, worstPolls = max(worstDelay, delay), max(worstPolls, polls)
	}
	t.Logf("worst case up to 5m: %d polls, noticed %v late", worstPolls, worstDelay)
	if worstPolls > 40 || worstDelay > 10*time.Second {
		t.Errorf("worst case %d polls, %v late; want <= 40 polls and <= 10s", worstPolls, worstDelay)
	}
}
