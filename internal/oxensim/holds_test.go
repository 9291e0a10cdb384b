package oxensim

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// within fails the test unless ch yields within a generous bound: the
// events it waits for take microseconds, the bound only stops a hang.
func within[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("gave up waiting for %s", what)
		panic("unreachable")
	}
}

func liveRead(id string) func(Request) bool {
	return func(r Request) bool {
		return r.Method == "GET" && r.Path == ModelsPath+"/"+id && strings.Contains(r.RawQuery, "deployment_status=live")
	}
}

func (s *Server) pendingHolds() int {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	return len(s.holds)
}

func TestHoldMakesTwoRequestsOverlap(t *testing.T) {
	h := newHarness(t, Options{})
	caught := make(chan Request, 2)
	h.sim.InjectHold(Hold{Match: liveRead("my-custom-model"), Together: 2, Max: time.Minute, OnHold: func(r Request) { caught <- r }})

	// A plain read is not caught.
	if r := h.do(t, "GET", "/api/ai/models/my-custom-model", testKey); r.status != 200 {
		t.Fatalf("plain read: %d", r.status)
	}
	first := make(chan response, 1)
	go func() { first <- h.do(t, "GET", "/api/ai/models/my-custom-model?deployment_status=live", testKey) }()
	within(t, caught, "the first live read to be caught")
	select {
	case r := <-first:
		t.Fatalf("the first read was answered (%d) before the second arrived", r.status)
	default:
	}
	second := h.do(t, "GET", "/api/ai/models/my-custom-model?deployment_status=live", testKey)
	if r := within(t, first, "the first read to be answered"); r.status != 200 || second.status != 200 {
		t.Fatalf("answers %d and %d, want 200 twice", r.status, second.status)
	}
	if n := len(caught); n != 1 {
		t.Errorf("%d more requests caught, want the second only", n)
	}
	if n := h.sim.pendingHolds(); n != 0 {
		t.Errorf("%d holds left after both requests went on", n)
	}
}

func TestHoldLetsALoneRequestGoAfterMax(t *testing.T) {
	h := newHarness(t, Options{})
	h.sim.InjectHold(Hold{Match: liveRead("my-custom-model"), Together: 2, Max: 20 * time.Millisecond})
	if r := h.do(t, "GET", "/api/ai/models/my-custom-model?deployment_status=live", testKey); r.status != 200 {
		t.Fatalf("held read: %d", r.status)
	}
	if n := h.sim.pendingHolds(); n != 0 {
		t.Errorf("a hold that timed out still catches requests (%d left)", n)
	}
}

func TestHeldRequestWhoseClientGivesUpIsNotServed(t *testing.T) {
	h := newHarness(t, Options{})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	h.sim.InjectHold(Hold{
		Match:  func(r Request) bool { return r.Method == "POST" },
		Max:    10 * time.Second,
		OnHold: func(Request) { cancel() }, // Ctrl-C while the activate is in flight
	})
	_, err := h.send(ctx, "POST", "/api/ai/models/my-custom-model/activate", testKey)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want the client's own cancellation", err)
	}
	logged := make(chan Request, 1)
	go func() {
		for deadline := time.Now().Add(10 * time.Second); h.sim.CountRequests("POST", "/") == 0 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
		if rs := h.sim.Requests(); len(rs) > 0 {
			logged <- rs[0]
		}
	}()
	if r := within(t, logged, "the abandoned request to be logged"); r.Status != 0 {
		t.Errorf("the abandoned request was answered %d", r.Status)
	}
	if s, _ := h.sim.Status("my-custom-model"); s != StatusInactive {
		t.Errorf("status %q after an activate abandoned while held, want it not served (inactive)", s)
	}
}
