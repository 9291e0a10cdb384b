package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestServeAndShutdown(t *testing.T) {
	urlFile := filepath.Join(t.TempDir(), "url")
	var stdout, stderr syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-api-key", "k", "-catalog-size", "40", "-url-file", urlFile, "-v"}, &stdout, &stderr)
	}()

	var url string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(urlFile); err == nil {
			url = string(b)
			break
		}
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") {
		t.Fatalf("url file holds %q", url)
	}
	if !strings.Contains(stdout.String(), "oxen-sim listening on "+url+"\n") {
		t.Errorf("stdout = %q", stdout.String())
	}

	req, _ := http.NewRequest("GET", url+"/api/ai/models", nil)
	req.Header.Set("Authorization", "Bearer k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var list struct{ Data []json.RawMessage }
	err = json.Unmarshal(body, &list)
	// The 40 generated models, then the custom models the simulator seeds.
	if want := 40 + len(oxensim.SeedCustomModels()); err != nil || len(list.Data) != want {
		t.Errorf("list: %v, %d models, want %d", err, len(list.Data), want)
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no shutdown")
	}
	if !strings.Contains(stderr.String(), "req_1 GET /api/ai/models -> 200 (auth=true)") {
		t.Errorf("stderr = %q", stderr.String())
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-catalog-size", "-1"}, {"-deploy-time", "soon"}, {"extra"}} {
		if err := run(context.Background(), args, io.Discard, io.Discard); err == nil {
			t.Errorf("run(%v) succeeded", args)
		}
	}
}
