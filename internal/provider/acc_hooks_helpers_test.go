package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// diagLog keeps the diagnostics the provider returns from refreshes and
// applies, across the provider instances of a test. The CLI shows warnings
// to the user, but terraform-plugin-testing does not hand them to a test:
// reading them here is how a test checks a warning's words.
type diagLog struct {
	mu      sync.Mutex
	entries []loggedDiag
}

type loggedDiag struct {
	rpc string // "ReadResource", "ReadDataSource" or "ApplyResourceChange"
	*tfprotov6.Diagnostic
}

func (d loggedDiag) String() string {
	return fmt.Sprintf("%s %s: %s: %s", d.rpc, d.Severity, d.Summary, d.Detail)
}

// wrap serves s with its diagnostics logged; pass it to wrappedFactories.
func (l *diagLog) wrap(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
	return &diagRecorder{ProviderServer: s, log: l}
}

func (l *diagLog) keep(rpc string, diags []*tfprotov6.Diagnostic) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, d := range diags {
		l.entries = append(l.entries, loggedDiag{rpc: rpc, Diagnostic: d})
	}
}

// all returns what was logged for rpc, oldest first.
func (l *diagLog) all(rpc string) []loggedDiag {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []loggedDiag
	for _, d := range l.entries {
		if d.rpc == rpc {
			out = append(out, d)
		}
	}
	return out
}

// only returns the one diagnostic rpc returned, or an error that lists what
// it returned instead.
func (l *diagLog) only(rpc string) (loggedDiag, error) {
	got := l.all(rpc)
	if len(got) != 1 {
		lines := make([]string, len(got))
		for i, d := range got {
			lines[i] = d.String()
		}
		return loggedDiag{}, fmt.Errorf("%s returned %d diagnostics, want exactly 1:\n%s", rpc, len(got), strings.Join(lines, "\n"))
	}
	return got[0], nil
}

type diagRecorder struct {
	tfprotov6.ProviderServer
	log *diagLog
}

func (r *diagRecorder) ReadResource(ctx context.Context, req *tfprotov6.ReadResourceRequest) (*tfprotov6.ReadResourceResponse, error) {
	resp, err := r.ProviderServer.ReadResource(ctx, req)
	if resp != nil {
		r.log.keep("ReadResource", resp.Diagnostics)
	}
	return resp, err
}

func (r *diagRecorder) ReadDataSource(ctx context.Context, req *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	resp, err := r.ProviderServer.ReadDataSource(ctx, req)
	if resp != nil {
		r.log.keep("ReadDataSource", resp.Diagnostics)
	}
	return resp, err
}

func (r *diagRecorder) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	resp, err := r.ProviderServer.ApplyResourceChange(ctx, req)
	if resp != nil {
		r.log.keep("ApplyResourceChange", resp.Diagnostics)
	}
	return resp, err
}

// beforeApply serves a provider and calls hook as each ApplyResourceChange
// begins. Terraform plans a resource again just before applying it, and
// that plan reads the model too: a simulator hold armed here catches the
// requests of apply alone.
type beforeApply struct {
	tfprotov6.ProviderServer
	hook func()
}

func (b *beforeApply) ApplyResourceChange(ctx context.Context, req *tfprotov6.ApplyResourceChangeRequest) (*tfprotov6.ApplyResourceChangeResponse, error) {
	b.hook()
	return b.ProviderServer.ApplyResourceChange(ctx, req)
}

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
