package main

import (
	"archive/tar"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The baseline is the revision's own files: extracting HEAD gives this
// module's go.mod as committed.
func TestExtractRevisionWritesItsFiles(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Skip("not in a checkout:", err)
	}
	dir := t.TempDir()
	if err := extractRevision(context.Background(), root, "HEAD", dir); err != nil {
		t.Skip("git archive unavailable here:", err)
	}
	got, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(got), "module github.com/oxen-ai/terraform-provider-oxen\n") {
		t.Errorf("go.mod of HEAD starts %q", strings.SplitN(string(got), "\n", 2)[0])
	}
}

func TestExtractRevisionNamesAnUnknownRevision(t *testing.T) {
	root, err := moduleRoot()
	if err != nil {
		t.Skip("not in a checkout:", err)
	}
	err = extractRevision(context.Background(), root, "no-such-revision-here", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "git archive no-such-revision-here") {
		t.Errorf("got %v, want an error naming the revision", err)
	}
}

// An archive entry that would land outside the directory is refused.
func TestUntarRefusesPathsOutside(t *testing.T) {
	var buf bytes.Buffer
	w := tar.NewWriter(&buf)
	body := []byte("x")
	if err := w.WriteHeader(&tar.Header{Name: "../escape", Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(body); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := untar(&buf, filepath.Join(dir, "in")); err == nil {
		t.Error("an entry ../escape was written")
	}
	if _, err := os.Stat(filepath.Join(dir, "escape")); err == nil {
		t.Error("../escape exists")
	}
}
