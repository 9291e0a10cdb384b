package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Some behaviour lives in main or in the process environment (the log
// level, the trust store), where the in-process provider of the other
// acceptance tests cannot show it. A binaryRun plans with the provider
// binary built from this checkout, started by the CLI as a user's is, through
// dev_overrides, behind a wrapper that keeps a copy of its stderr.

// builtProviderDir holds the binary; TestMain removes it.
var builtProviderDir string

// builtProvider builds the provider binary once per test process.
var builtProvider = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "oxen-provider-bin")
	if err != nil {
		return "", err
	}
	builtProviderDir = dir
	bin := filepath.Join(dir, "terraform-provider-oxen-built")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/oxen-ai/terraform-provider-oxen").CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
})

type binaryRun struct {
	t                          *testing.T
	cli, work, cliConfig, logs string
}

// newBinaryRun prepares a working directory holding config.
func newBinaryRun(t *testing.T, config string) *binaryRun {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	built, err := builtProvider()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	r := &binaryRun{t: t, cli: accCLI(t), work: filepath.Join(dir, "work"),
		cliConfig: filepath.Join(dir, "cli.tfrc"), logs: filepath.Join(dir, "provider-stderr.log")}
	binDir := filepath.Join(dir, "bin")
	mustWrite(t, filepath.Join(binDir, "terraform-provider-oxen"), 0o755,
		fmt.Sprintf("#!/usr/bin/env bash\nexec '%s' \"$@\" 2> >(tee -a '%s' >&2)\n", built, r.logs))
	mustWrite(t, r.cliConfig, 0o644, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/oxen-ai/oxen"  = %[1]q
    "registry.opentofu.org/oxen-ai/oxen" = %[1]q
  }
  direct {}
}
`, binDir))
	mustWrite(t, filepath.Join(r.work, "main.tf"), 0o644, "terraform {\n  required_providers {\n    oxen = { source = \"oxen-ai/oxen\" }\n  }\n}\n"+config)
	return r
}

// plan runs `plan` with the caller's environment minus every TF_ variable,
// plus env. It returns the CLI's output and the provider's stderr.
func (r *binaryRun) plan(env ...string) (out, providerStderr string, err error) {
	r.t.Helper()
	_ = os.Remove(r.logs)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.cli, "plan", "-input=false", "-no-color")
	cmd.Dir = r.work
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "SSL_CERT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "TF_CLI_CONFIG_FILE="+r.cliConfig)
	cmd.Env = append(cmd.Env, env...)
	b, err := cmd.CombinedOutput()
	logs, _ := os.ReadFile(r.logs)
	return string(b), string(logs), err
}

// accCLI is the CLI the acceptance tests run.
func accCLI(t *testing.T) string {
	t.Helper()
	if bin := os.Getenv("TF_ACC_TERRAFORM_PATH"); bin != "" {
		return bin
	}
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("no CLI to run: %v", err)
	}
	return bin
}

func mustWrite(t *testing.T, path string, mode os.FileMode, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), mode); err != nil {
		t.Fatal(err)
	}
}
