package provider

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestQuietLogsUnlessShown(t *testing.T) {
	quietAll := map[string]string{"TF_LOG_PROVIDER_OXEN": "OFF", "TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF"}
	cases := []struct {
		name string
		env  map[string]string
		want map[string]string // what is set
	}{
		{"nothing asks for a log", nil, quietAll},
		{"empty TF_LOG counts as unset", map[string]string{"TF_LOG": ""}, quietAll},
		{"TF_LOG", map[string]string{"TF_LOG": "trace"}, nil},
		{"TF_LOG_PROVIDER", map[string]string{"TF_LOG_PROVIDER": "debug"}, nil},
		{"the provider's own level", map[string]string{"TF_LOG_PROVIDER_OXEN": "trace"}, nil},
		{"an SDK level", map[string]string{"TF_LOG_SDK_FRAMEWORK": "debug"}, nil},
		// TF_LOG_CORE shows Terraform's own log; the provider's stays discarded.
		{"TF_LOG_CORE alone", map[string]string{"TF_LOG_CORE": "trace"}, quietAll},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set := map[string]string{}
			quiet, err := QuietLogsUnlessShown(
				func(k string) (string, bool) { v, ok := c.env[k]; return v, ok },
				func(k, v string) error { set[k] = v; return nil })
			if err != nil {
				t.Fatal(err)
			}
			if quiet != (c.want != nil) || fmt.Sprint(set) != fmt.Sprint(c.want) {
				t.Errorf("quiet = %t, set %v; want %v", quiet, set, c.want)
			}
		})
	}
}

// TestAccProvider_logWrittenOnlyWhenShown runs the provider binary as a
// user's CLI starts it, behind a wrapper that keeps a copy of its stderr. With no
// TF_LOG the CLI discards the provider's log, and the provider writes none;
// with TF_LOG or TF_LOG_PROVIDER the user's log file has the provider's
// lines, as before.
func TestAccProvider_logWrittenOnlyWhenShown(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	cli := accCLI(t)
	env := newTestEnv(t)
	dir := t.TempDir()
	binDir := filepath.Join(dir, "bin")
	built := filepath.Join(dir, "terraform-provider-oxen-built")
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "go", "build", "-o", built, "github.com/oxen-ai/terraform-provider-oxen").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	stderrLog := filepath.Join(dir, "provider-stderr.log")
	mustWrite(t, filepath.Join(binDir, "terraform-provider-oxen"), 0o755,
		fmt.Sprintf("#!/usr/bin/env bash\nexec '%s' \"$@\" 2> >(tee -a '%s' >&2)\n", built, stderrLog))
	cliConfig := filepath.Join(dir, "cli.tfrc")
	mustWrite(t, cliConfig, 0o644, fmt.Sprintf(`provider_installation {
  dev_overrides {
    "registry.terraform.io/oxen-ai/oxen"  = %[1]q
    "registry.opentofu.org/oxen-ai/oxen" = %[1]q
  }
  direct {}
}
`, binDir))
	work := filepath.Join(dir, "work")
	mustWrite(t, filepath.Join(work, "main.tf"), 0o644, `terraform {
  required_providers {
    oxen = { source = "oxen-ai/oxen" }
  }
}
`+env.config(`
data "oxen_model" "chat" {
  id = "claude-sonnet-4-6"
}

output "owner" {
  value = data.oxen_model.chat.owned_by
}
`))

	plan := func(logVars ...string) (providerStderr, userLog string) {
		t.Helper()
		_ = os.Remove(stderrLog)
		userLogPath := filepath.Join(dir, "user.log")
		_ = os.Remove(userLogPath)
		cmd := exec.CommandContext(ctx, cli, "plan", "-input=false", "-no-color")
		cmd.Dir = work
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "TF_") {
				cmd.Env = append(cmd.Env, kv)
			}
		}
		cmd.Env = append(cmd.Env, "TF_CLI_CONFIG_FILE="+cliConfig, "TF_LOG_PATH="+userLogPath)
		cmd.Env = append(cmd.Env, logVars...)
		out, err := cmd.CombinedOutput()
		if err != nil || !strings.Contains(string(out), `owner = "oxen"`) {
			t.Fatalf("%s plan with %v: %v\n%s", filepath.Base(cli), logVars, err, out)
		}
		p, _ := os.ReadFile(stderrLog)
		u, _ := os.ReadFile(userLogPath)
		return string(p), string(u)
	}

	// No log asked for: not one line of the SDKs' or the provider's log.
	stderr, _ := plan()
	if n := strings.Count(stderr, `"@module":`); n != 0 {
		t.Errorf("with no TF_LOG the provider wrote %d log lines the CLI throws away, such as:\n%s", n, firstLine(stderr, `"@module":`))
	}

	// TF_LOG=trace: the user's log file has the provider's requests.
	_, userLog := plan("TF_LOG=trace")
	for _, want := range []string{"Oxen API request", "Received request", "tf_rpc=ReadDataSource"} {
		if !strings.Contains(userLog, want) {
			t.Errorf("TF_LOG=trace: the log file has no %q from the provider", want)
		}
	}
	if strings.Contains(userLog, testAPIKey) {
		t.Errorf("TF_LOG=trace: the log file holds the API key")
	}

	// TF_LOG_PROVIDER alone shows the provider's log too.
	if _, userLog := plan("TF_LOG_PROVIDER=debug"); !strings.Contains(userLog, "Oxen API request") {
		t.Errorf("TF_LOG_PROVIDER=debug: the log file has no provider request line:\n%.2000s", userLog)
	}
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

// firstLine is the first line of s that holds sub.
func firstLine(s, sub string) string {
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, sub) {
			return line
		}
	}
	return ""
}
