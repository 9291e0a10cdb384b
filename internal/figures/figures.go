// Package figures carries measurements from a Go test to the end-to-end
// benchmark (tools/bench) as JSON files of a shared type, so the
// harness never parses a test's log: a test records what it measured, the
// harness reads it back, and both sides compile against the same struct.
package figures

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// DirEnv names the environment variable that holds the directory figures
// are written to. The harness sets it; without it Record does nothing, so
// the tests run the same in `make test`.
const DirEnv = "OXEN_BENCH_FIGURES_DIR"

// Wait is what a user pays for waiting on one deployment: measured by
// TestAccModelActivation_waitFigures in internal/provider.
type Wait struct {
	// Deploy is how long the deployment takes to become active.
	Deploy time.Duration `json:"deploy_ns"`
	// LiveStatusRequests counts the live status reads of the model during
	// the step (plan and apply).
	LiveStatusRequests int `json:"live_status_requests"`
	// Late is how long after the deployment settled apply returned.
	Late time.Duration `json:"late_ns"`
}

// Record writes v as JSON to <dir>/<test name>.json when DirEnv is set.
func Record(t testing.TB, v any) {
	t.Helper()
	dir := os.Getenv(DirEnv)
	if dir == "" {
		return
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("figures: encoding %T: %v", v, err)
	}
	name := strings.ReplaceAll(t.Name(), "/", "-") + ".json"
	if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
		t.Fatalf("figures: %v", err)
	}
}

// Read decodes every file Record wrote into dir, in file name order. A
// member T does not have is an error, so a file of another type is never
// read as zeros.
func Read[T any](dir string) ([]T, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	out := make([]T, 0, len(names))
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var v T
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return nil, fmt.Errorf("figures: %s: %w", filepath.Base(name), err)
		}
		out = append(out, v)
	}
	return out, nil
}
