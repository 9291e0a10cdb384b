package main

import (
	"archive/tar"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// The -baseline build: the provider of another revision of this repository,
// planned with the same configurations, interleaved with the others, so
// that a change's cost is measured against the code before it on the same
// machine in the same minutes. A figure from another day or machine is not
// a baseline: load and hardware move the medians more than most changes do.

// baselineName is the mirror's name for the baseline build; configurations
// call it oxen, as they do the shipped build.
const baselineName = "oxenbase"

// extractRevision writes the files of rev (a commit, tag or branch of the
// repository at root) into dir, with `git archive`: nothing in the
// repository or its worktrees changes.
func extractRevision(ctx context.Context, root, rev, dir string) error {
	cmd := exec.CommandContext(ctx, "git", "-C", root, "archive", "--format=tar", rev)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return err
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("git archive %s: %w", rev, err)
	}
	untarErr := untar(out, dir)
	_, _ = io.Copy(io.Discard, out) // let git finish whatever untar left unread
	if err := cmd.Wait(); err != nil {
		return fmt.Errorf("git archive %s: %w: %s", rev, err, strings.TrimSpace(stderr.String()))
	}
	return untarErr
}

// untar writes the directories and regular files of a tar stream under
// dir; the repository's other entries (symbolic links) are not needed to
// build the provider.
func untar(r io.Reader, dir string) error {
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.FromSlash(h.Name)
		if !filepath.IsLocal(name) {
			return fmt.Errorf("git archive: unexpected path %q", h.Name)
		}
		target := filepath.Join(dir, name)
		switch h.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := writeFile(target, tr, os.FileMode(h.Mode).Perm()); err != nil {
				return err
			}
		}
	}
}

func writeFile(path string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
