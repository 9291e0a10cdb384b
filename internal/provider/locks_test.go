package provider

import (
	"fmt"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
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
	expectGranted(t, second, "the second taker did not get the model's lock after the first released it")
	// Released by both, the lock is free again.
	expectGranted(t, lockInBackground(l, "support-bot-ft"), "the model's lock stayed taken after both takers released it")
}

func TestModelLocksLeaveOtherModelsFree(t *testing.T) {
	l := newModelLocks()
	unlock := l.lock("support-bot-ft")
	defer unlock()
	expectGranted(t, lockInBackground(l, "vision-tagger-ft"), "holding one model's lock blocked another model")
}

// expectGranted waits for taker to get its lock, and releases it; failure
// says what it means when the lock does not come.
func expectGranted(t *testing.T, taker <-chan func(), failure string) {
	t.Helper()
	select {
	case unlock := <-taker:
		unlock()
	case <-time.After(bound):
		t.Fatal(failure)
	}
}

// Two resources that name one model must not both send activate. The race
// is forced rather than hoped for: both applies start together, and from
// then on the hub holds the first live read of the model until a second one
// arrives. Without the per-model lock both creates read "inactive" together
// and both send activate; with it, the second read waits for the first
// create to finish, and the hold lets the first read go after a few seconds.
func TestAccModelActivation_sameModelTwiceDoesNotRace(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-4"
	var rec rpcRecorder
	rec.runBefore("ApplyResourceChange", meeting(2, func() { env.sim.InjectHold(overlappingLiveReads(model)) }))
	cfg := env.config(activationConfig("a", model, "") + activationConfig("b", model, ""))
	env.testRecorded(&rec, resource.TestStep{
		Config: cfg,
		ConfigStateChecks: []statecheck.StateCheck{
			statusIs("oxen_model_activation.a", "active"),
			statusIs("oxen_model_activation.b", "active"),
		},
		Check: func(*terraform.State) error {
			if n := env.sim.CountRequests("POST", "/api/ai/models/"+model+"/activate"); n != 1 {
				return fmt.Errorf("two resources on one model sent %d activate requests, want exactly 1", n)
			}
			return nil
		},
	})
}
