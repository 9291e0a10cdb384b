package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
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
// user's CLI starts it. With no TF_LOG the CLI discards the provider's log,
// and the provider writes none; with TF_LOG or TF_LOG_PROVIDER the user's
// log file has the provider's lines, as before.
func TestAccProvider_logWrittenOnlyWhenShown(t *testing.T) {
	env := newTestEnv(t)
	run := newBinaryRun(t, env.config(`
data "oxen_model" "chat" {
  id = "claude-sonnet-4-6"
}

output "owner" {
  value = data.oxen_model.chat.owned_by
}
`))
	userLogPath := filepath.Join(t.TempDir(), "user.log")
	plan := func(logVars ...string) (providerStderr, userLog string) {
		t.Helper()
		_ = os.Remove(userLogPath)
		out, stderr, err := run.plan(append(logVars, "TF_LOG_PATH="+userLogPath)...)
		if err != nil || !strings.Contains(out, `owner = "oxen"`) {
			t.Fatalf("plan with %v: %v\n%s", logVars, err, out)
		}
		u, _ := os.ReadFile(userLogPath)
		return stderr, string(u)
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

// firstLine is the first line of s that holds sub.
func firstLine(s, sub string) string {
	for _, line := range strings.Split(s, "\n") {
		if strings.Contains(line, sub) {
			return line
		}
	}
	return ""
}
