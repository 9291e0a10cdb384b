package oxen

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// modelServer answers GET /api/ai/models/{id} with a model whose status is
// the server's current one, counting the reads per id; a POST flips the
// status when it is answered.
type modelServer struct {
	*fake
	mu     sync.Mutex
	status string
	gets   map[string]int
	posts  int
	// holdGet and holdPost, when set, block the requests until closed.
	holdGet, holdPost chan struct{}
}

func newModelServer(t *testing.T) *modelServer {
	s := &modelServer{status: "inactive", gets: map[string]int{}}
	s.fake = newFake(t, func(w http.ResponseWriter, r *http.Request) {
		id := strings.TrimPrefix(r.URL.Path, "/api/ai/models/")
		s.mu.Lock()
		hold := s.holdGet
		if r.Method == http.MethodPost {
			id, _, _ = strings.Cut(id, "/")
			s.posts++
			hold = s.holdPost
		} else {
			s.gets[id+"?"+r.URL.RawQuery]++
		}
		status := s.status
		s.mu.Unlock()
		if hold != nil {
			<-hold
		}
		if r.Method == http.MethodPost {
			s.mu.Lock()
			s.status = "deploying"
			status = s.status
			s.mu.Unlock()
		}
		writeJSON(w, 200, fmt.Sprintf(`{"id":%q,"object":"model","created":1,"owned_by":"oxen","deployments":[{"status":%q}]}`, id, status))
	})
	return s
}

func (s *modelServer) getsOf(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.gets[id+"?"]
}

// hold makes the server hold the GETs (or the POSTs) until release is
// called, or the test ends.
func (s *modelServer) hold(t *testing.T, method string) (release func()) {
	ch := make(chan struct{})
	s.mu.Lock()
	if method == http.MethodPost {
		s.holdPost = ch
	} else {
		s.holdGet = ch
	}
	s.mu.Unlock()
	var once sync.Once
	release = func() {
		once.Do(func() {
			s.mu.Lock()
			s.holdGet, s.holdPost = nil, nil
			s.mu.Unlock()
			close(ch)
		})
	}
	t.Cleanup(release) // before the server's Close, which waits for held handlers
	return release
}

// readAll reads each id n times at once, failing the test on any error.
func readAll(t *testing.T, c *Client, ids []string, n int) []*Model {
	t.Helper()
	out := make([]*Model, len(ids)*n)
	var wg sync.WaitGroup
	for i := range out {
		wg.Go(func() {
			m, err := c.GetModel(context.Background(), ids[i%len(ids)], GetOptions{Shared: true})
			if err != nil {
				t.Errorf("read %d: %v", i, err)
			}
			out[i] = m
		})
	}
	wg.Wait()
	return out
}

// await receives from ch, failing the test after 10 s instead of hanging.
func await[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("timed out waiting")
		panic("unreachable")
	}
}

// waitUntil polls cond, failing the test after 10 s instead of hanging.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
	}
}

func TestSharedReadsSendOneRequestPerModel(t *testing.T) {
	s := newModelServer(t)
	c, _ := newTestClient(t, s.fake)
	ids := []string{"a", "b", "c", "d", "e"}
	// However the 100 reads interleave, each of them either joins the one
	// in flight or reuses its answer.
	for i, m := range readAll(t, c, ids, 20) {
		if m == nil || m.ID != ids[i%len(ids)] {
			t.Fatalf("read %d of %s got %+v", i, ids[i%len(ids)], m)
		}
	}
	readAll(t, c, ids, 20)
	for _, id := range ids {
		if n := s.getsOf(id); n != 1 {
			t.Errorf("%d requests for %s, want 1", n, id)
		}
	}
}

func TestSharedReadsJoinTheOneInFlight(t *testing.T) {
	s := newModelServer(t)
	c, _ := newTestClient(t, s.fake)
	var joined atomic.Int32
	c.shared.joined = func(string) { joined.Add(1) }
	release := s.hold(t, http.MethodGet)
	done := make(chan []*Model)
	go func() { done <- readAll(t, c, []string{"a"}, 10) }()
	waitUntil(t, func() bool { return joined.Load() == 9 }) // nine reads wait for the first, whose request is held
	release()
	await(t, done)
	if n := s.getsOf("a"); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

func TestSharedReadsNeverShareWhatMustGoToTheAPI(t *testing.T) {
	s := newModelServer(t)
	c, _ := newTestClient(t, s.fake)
	ctx := context.Background()
	for range 3 {
		for _, opts := range []GetOptions{{}, {Live: true}, {Live: true, Shared: true}} {
			if _, err := c.GetModel(ctx, "a", opts); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if plain, live := s.gets["a?"], s.gets["a?deployment_status=live"]; plain != 3 || live != 6 {
		t.Errorf("%d plain and %d live requests, want 3 and 6", plain, live)
	}
}

func TestSharedReadsDoNotKeepErrors(t *testing.T) {
	var calls atomic.Int32
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			writeJSON(w, 404, notFoundBody)
			return
		}
		writeJSON(w, 200, minimalModel)
	})
	c, _ := newTestClient(t, f)
	if _, err := c.GetModel(context.Background(), "m1", GetOptions{Shared: true}); !IsNotFound(err) {
		t.Fatalf("first read: %v", err)
	}
	if m, err := c.GetModel(context.Background(), "m1", GetOptions{Shared: true}); err != nil || m.ID != "m1" {
		t.Fatalf("a read after a failed one got %v, %v, want its own answer", m, err)
	}
	if n := f.hits.Load(); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}

// Once activate or deactivate was sent, no read returns an answer from
// before it, not even one that was in flight when it was sent.
func TestSharedReadsEndWithAChange(t *testing.T) {
	for _, change := range []string{"activate", "deactivate"} {
		t.Run(change, func(t *testing.T) {
			s := newModelServer(t)
			c, _ := newTestClient(t, s.fake)
			ctx := context.Background()
			send := c.ActivateModel
			if change == "deactivate" {
				send = c.DeactivateModel
			}
			before := readAll(t, c, []string{"a"}, 1)[0]

			// A read in flight while the change is sent keeps its answer to itself.
			release := s.hold(t, http.MethodGet)
			c.shared.forget() // so the next read sends a request that can be held
			old := make(chan *Model)
			go func() { old <- readAll(t, c, []string{"a"}, 1)[0] }()
			waitUntil(t, func() bool { return s.getsOf("a") == 2 })
			if _, err := send(ctx, "a"); err != nil {
				t.Fatal(err)
			}
			release()
			await(t, old)

			after := readAll(t, c, []string{"a"}, 1)[0]
			if before.Status() != "inactive" || after.Status() != "deploying" {
				t.Errorf("status %q before and %q after %s, want inactive and deploying", before.Status(), after.Status(), change)
			}
			if n := s.getsOf("a"); n != 3 {
				t.Errorf("%d requests, want 3: the read after %s must send its own", n, change)
			}
		})
	}
}

// A read made while the hub is still acting on a change may see the state
// before it: its answer is not kept for reads after the change returns.
func TestSharedReadsDuringAChangeAreNotKept(t *testing.T) {
	s := newModelServer(t)
	c, _ := newTestClient(t, s.fake)
	release := s.hold(t, http.MethodPost)
	changed := make(chan error)
	go func() { _, err := c.ActivateModel(context.Background(), "a"); changed <- err }()
	waitUntil(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.posts == 1 })
	during := readAll(t, c, []string{"a"}, 1)[0]
	release()
	if err := await(t, changed); err != nil {
		t.Fatal(err)
	}
	after := readAll(t, c, []string{"a"}, 1)[0]
	if during.Status() != "inactive" || after.Status() != "deploying" {
		t.Errorf("status %q during and %q after the change, want inactive and deploying", during.Status(), after.Status())
	}
}

// A read that joined one whose caller gave up sends its own request rather
// than returning the other caller's cancellation.
func TestSharedReadsSurviveTheFirstCallerLeaving(t *testing.T) {
	s := newModelServer(t)
	c, _ := newTestClient(t, s.fake)
	joinedCh := make(chan struct{}, 10)
	c.shared.joined = func(string) { joinedCh <- struct{}{} }
	release := s.hold(t, http.MethodGet)

	ctx, cancel := context.WithCancel(context.Background())
	first := make(chan error)
	go func() { _, err := c.GetModel(ctx, "a", GetOptions{Shared: true}); first <- err }()
	waitUntil(t, func() bool { return s.getsOf("a") == 1 })
	second := make(chan *Model)
	go func() { second <- readAll(t, c, []string{"a"}, 1)[0] }()
	await(t, joinedCh)
	cancel()
	if err := await(t, first); !errors.Is(err, context.Canceled) {
		t.Errorf("first read: %v, want its cancellation", err)
	}
	release()
	if m := await(t, second); m == nil || m.ID != "a" {
		t.Errorf("second read got %+v", m)
	}
	if n := s.getsOf("a"); n != 2 {
		t.Errorf("%d requests, want 2", n)
	}
}
