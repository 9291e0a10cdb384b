package oxen

import (
	"context"
	"fmt"
	"sync"
)

// sharedReads lets identical model reads of one client share one request:
// a read joins the one in flight for the same id, or reuses its answer once
// it has arrived. Every activate or deactivate the client sends starts a
// new generation, so no read that starts after one gets an answer from
// before it; failures are never kept, so a read that starts after one
// failed sends its own request.
type sharedReads struct {
	mu       sync.Mutex
	answers  map[string]*Model
	inFlight map[string]*flight
	// joined, when set by a test, is called when a read joins one in flight.
	joined func(id string)
}

// flight is one request that several reads wait for.
type flight struct {
	done chan struct{}
	m    *Model
	err  error
	// abandoned is set when the read that sent the request was cancelled:
	// its error says nothing about the reads that joined it.
	abandoned bool
}

func newSharedReads() *sharedReads {
	return &sharedReads{answers: map[string]*Model{}, inFlight: map[string]*flight{}}
}

// get returns the shared answer for id, fetching it when no read of the
// current generation has.
func (s *sharedReads) get(ctx context.Context, id string, fetch func(context.Context) (*Model, error)) (*Model, error) {
	for {
		s.mu.Lock()
		if m, ok := s.answers[id]; ok {
			s.mu.Unlock()
			return m, nil
		}
		f, inFlight := s.inFlight[id]
		if !inFlight {
			f = &flight{done: make(chan struct{})}
			s.inFlight[id] = f
			s.mu.Unlock()
			return s.send(ctx, id, f, fetch)
		}
		if s.joined != nil {
			s.joined(id)
		}
		s.mu.Unlock()

		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for a read of model %q: %w", id, context.Cause(ctx))
		case <-f.done:
		}
		if !f.abandoned || ctx.Err() != nil {
			return f.m, f.err
		}
	}
}

func (s *sharedReads) send(ctx context.Context, id string, f *flight, fetch func(context.Context) (*Model, error)) (*Model, error) {
	f.m, f.err = fetch(ctx)
	f.abandoned = f.err != nil && ctx.Err() != nil
	s.mu.Lock()
	// A flight that forget dropped belongs to an older generation: its
	// answer is its callers' alone.
	if s.inFlight[id] == f {
		delete(s.inFlight, id)
		if f.err == nil {
			s.answers[id] = f.m
		}
	}
	s.mu.Unlock()
	close(f.done)
	return f.m, f.err
}

// forget starts a new generation: reads from now on neither reuse an
// answer nor join a request from before.
func (s *sharedReads) forget() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.answers)
	clear(s.inFlight)
}
