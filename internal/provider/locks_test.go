package provider

import (
	"testing"
	"time"
)

// lockInBackground takes the model's lock in a goroutine and returns a channel
// that yields its unlock function once the lock is held.
func lockInBackground(l *modelLocks, modelID string) <-chan func() {
	held := make(chan func(), 1)
	go func() { held <- l.lock(modelID) }()
	return held
}

// Whether a lock is taken cannot be proved without waiting: a goroutine
// that should block is given this long to (wrongly) get through.
const blockedFor = 100 * time.Millisecond

// bound stops a test that waits in vain for a lock; taking a free lock
// takes microseconds.
const bound = 10 * time.Second

func TestModelLocksSerialiseOneModel(t *testing.T) {
	l := newModelLocks()
	unlock := l.lock("support-bot-ft")
	second := lockInBackground(l, "support-bot-ft")
	select {
	case u := <-second:
		u()
		t.Fatal("a second taker got the model's lock while the first still held it")
	case <-time.After(blockedFor):
	}
	unlock()
	select {
	case u := <-second:
		u()
	case <-time.After(bound):
		t.Fatal("the second taker did not get the model's lock after the first released it")
	}
	// Released by both, the lock is free again.
	select {
	case u := <-lockInBackground(l, "support-bot-ft"):
		u()
	case <-time.After(bound):
		t.Fatal("the model's lock stayed taken after both takers released it")
	}
}

func TestModelLocksLeaveOtherModelsFree(t *testing.T) {
	l := newModelLocks()
	unlock := l.lock("support-bot-ft")
	defer unlock()
	select {
	case u := <-lockInBackground(l, "vision-tagger-ft"):
		u()
	case <-time.After(bound):
		t.Fatal("holding one model's lock blocked another model")
	}
}
