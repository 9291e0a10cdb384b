package clock

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestFakeSleepAdvancesTimeAndRecords(t *testing.T) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	f := NewFake(start)
	if err := f.Sleep(context.Background(), 3*time.Second); err != nil {
		t.Fatal(err)
	}
	f.Advance(2 * time.Second)
	if got := f.Now().Sub(start); got != 5*time.Second {
		t.Fatalf("fake time moved %s, want 5s", got)
	}
	if s := f.Sleeps(); len(s) != 1 || s[0] != 3*time.Second {
		t.Fatalf("sleeps %v, want [3s]", s)
	}
}

func TestFakeSleepObeysCancelledContext(t *testing.T) {
	f := NewFake(time.Unix(0, 0))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := f.Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on a cancelled context returned %v", err)
	}
	if !f.Now().Equal(time.Unix(0, 0)) || len(f.Sleeps()) != 0 {
		t.Fatalf("a cancelled Sleep moved the clock to %s", f.Now())
	}
}

func TestRealSleepReturnsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := Real().Sleep(ctx, time.Hour); !errors.Is(err, context.Canceled) {
		t.Fatalf("Sleep on a cancelled context returned %v", err)
	}
	if err := Real().Sleep(context.Background(), time.Millisecond); err != nil {
		t.Fatal(err)
	}
}
