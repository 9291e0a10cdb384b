package oxensim

import (
	"context"
	"slices"
	"time"
)

// Hold stops matching requests on arrival, before anything is served, so
// that a test can line requests up instead of hoping the scheduler does:
// make two requests overlap, or press Ctrl-C while one is in flight.
//
// A hold catches the next Together matching requests (the next one when
// Together is 0 or 1) and keeps each until all of them have arrived, its
// client gives up (the request is then not served at all), or Max has
// passed in real time, whichever comes first; then it is gone and later
// requests pass freely.
type Hold struct {
	// Match picks the requests to hold; Method, Path and RawQuery are set.
	Match func(Request) bool
	// Together is how many requests are gathered before all go on at once.
	Together int
	// Max bounds the hold, so that a request the test waits for in vain
	// delays the run instead of hanging it; 0 means 5 seconds.
	Max time.Duration
	// OnHold, when set, is called as each request is caught, in that
	// request's goroutine: a test can act while the request is in flight.
	OnHold func(Request)
}

type heldGroup struct {
	Hold
	caught  int
	release chan struct{} // closed when Together requests are caught
}

// InjectHold queues h.
func (s *Server) InjectHold(h Hold) {
	if h.Max <= 0 {
		h.Max = 5 * time.Second
	}
	s.logMu.Lock()
	defer s.logMu.Unlock()
	s.holds = append(s.holds, &heldGroup{Hold: h, release: make(chan struct{})})
}

// catch returns the hold that takes e, if any. The hold stops catching once
// it has all its requests.
func (s *Server) catch(e Request) *heldGroup {
	s.logMu.Lock()
	defer s.logMu.Unlock()
	for i, h := range s.holds {
		if !h.Match(e) {
			continue
		}
		h.caught++
		if h.caught >= max(h.Together, 1) {
			s.holds = slices.Delete(s.holds, i, i+1)
		}
		if h.caught == h.Together {
			close(h.release)
		}
		return h
	}
	return nil
}

// wait keeps a caught request until its group is complete, Max passes or
// ctx (the request's) is done, and reports whether it may be served.
func (s *Server) wait(ctx context.Context, h *heldGroup, e Request) bool {
	if h.OnHold != nil {
		h.OnHold(e)
	}
	defer func() { // a group that never filled up stops catching now
		s.logMu.Lock()
		s.holds = slices.DeleteFunc(s.holds, func(g *heldGroup) bool { return g == h })
		s.logMu.Unlock()
	}()
	timer := time.NewTimer(h.Max)
	defer timer.Stop()
	select {
	case <-h.release:
	case <-timer.C:
	case <-ctx.Done():
		return false
	}
	return true
}
