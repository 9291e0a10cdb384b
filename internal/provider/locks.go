package provider

import "sync"

// modelLocks serialises work on one model: two resources of a configuration
// that name the same model take turns instead of racing their activate and
// deactivate calls.
type modelLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func newModelLocks() *modelLocks {
	return &modelLocks{locks: map[string]*sync.Mutex{}}
}

// lock takes the model's lock and returns the function that releases it.
func (l *modelLocks) lock(modelID string) (unlock func()) {
	l.mu.Lock()
	m, ok := l.locks[modelID]
	if !ok {
		m = &sync.Mutex{}
		l.locks[modelID] = m
	}
	l.mu.Unlock()
	m.Lock()
	return m.Unlock
}
