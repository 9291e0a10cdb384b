package provider

import (
	"strings"
	"sync"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// meeting returns a hook that holds its callers until n of them have come
// (or a few seconds have passed), then runs then once and lets them all go.
func meeting(n int, then func()) func() {
	var (
		mu      sync.Mutex
		arrived int
		once    sync.Once
		all     = make(chan struct{})
	)
	open := func() { once.Do(func() { then(); close(all) }) }
	return func() {
		mu.Lock()
		arrived++
		if arrived == n {
			open()
		}
		mu.Unlock()
		select {
		case <-all:
		case <-time.After(5 * time.Second):
			open()
		}
	}
}

// overlappingLiveReads makes the next two live status reads of a model
// overlap on the hub: the first is held until the second arrives, or for
// at most a few seconds when none does.
func overlappingLiveReads(modelID string) oxensim.Hold {
	return oxensim.Hold{
		Match: func(r oxensim.Request) bool {
			return r.Method == "GET" && r.Path == oxensim.ModelsPath+"/"+modelID && strings.Contains(r.RawQuery, "deployment_status=live")
		},
		Together: 2,
		Max:      3 * time.Second,
	}
}
