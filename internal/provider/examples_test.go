package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// The examples are what users copy, and the docs show them: each one is run
// here as a user runs it. The CLI under test (TF_ACC_TERRAFORM_PATH) works in
// a copy of the example, installs the provider built from this checkout from
// a filesystem mirror as it would install a release, and finds the simulator
// through OXEN_BASE_URL and OXEN_API_KEY, since the examples leave base_url
// unset and keep keys out of the configuration.

const examplesDir = "../../examples"

// example is one configuration under examples/. A directory with a main.tf
// is one configuration; the .tf files of its subdirectories that have no
// main.tf of their own are added when the CLI has what they use, as `make
// demo` adds demo/functions when the CLI has provider functions. Anywhere else each file is a fragment
// that the docs show on its own page, and runs on its own, except that the
// import fragments (import*.tf, import.sh) join the resource.tf beside them,
// which declares the resource they import to. Query files (*.tfquery.hcl)
// count as .tf files do: `terraform query` runs them.
type example struct {
	name     string   // what the subtest is called: "demo", "resources/oxen_model_activation/budget.tf"
	files    []string // the .tf files, relative to examplesDir
	extras   []string // .tf files added when the CLI has what they use
	commands []string // the lines of an import.sh, run after init
}

// examples lists every configuration under examplesDir.
func examples(t *testing.T) []example {
	t.Helper()
	var out []example
	err := filepath.WalkDir(examplesDir, func(path string, d os.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(examplesDir, path)
		if err != nil {
			return err
		}
		tfs, err := filepath.Glob(filepath.Join(path, "*.tf"))
		if err != nil {
			return err
		}
		queries, err := filepath.Glob(filepath.Join(path, "*.tfquery.hcl"))
		tfs = append(tfs, queries...)
		if err != nil || len(tfs) == 0 || hasMainTF(filepath.Dir(path)) && !hasMainTF(path) {
			return err
		}
		for i := range tfs {
			tfs[i] = filepath.Join(rel, filepath.Base(tfs[i]))
		}
		if hasMainTF(path) {
			sub, err := filepath.Glob(filepath.Join(path, "*", "*.tf"))
			if err != nil {
				return err
			}
			e := example{name: filepath.ToSlash(rel), files: tfs}
			for _, f := range sub {
				if !hasMainTF(filepath.Dir(f)) {
					r, _ := filepath.Rel(examplesDir, f)
					e.extras = append(e.extras, r)
				}
			}
			out = append(out, e)
			return nil
		}
		resourceTF := filepath.Join(rel, "resource.tf")
		for _, f := range tfs {
			e := example{name: filepath.ToSlash(f), files: []string{f}}
			if strings.HasPrefix(filepath.Base(f), "import") {
				e.files = []string{resourceTF, f}
			}
			out = append(out, e)
		}
		if sh, err := os.ReadFile(filepath.Join(path, "import.sh")); err == nil {
			e := example{name: filepath.ToSlash(filepath.Join(rel, "import.sh")), files: []string{resourceTF}}
			for line := range strings.Lines(string(sh)) {
				if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
					e.commands = append(e.commands, line)
				}
			}
			out = append(out, e)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func hasMainTF(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "main.tf"))
	return err == nil
}

// cliFeature is a part of the language that not every CLI of the matrix
// has. An example that uses one is skipped, saying why, on a CLI without it.
type cliFeature struct {
	name      string
	used      *regexp.Regexp
	terraform string // the first Terraform version that has it
	tofu      string // the first OpenTofu version that has it; "" for none
}

var cliFeatures = []cliFeature{
	{"provider functions", regexp.MustCompile(`provider::`), "1.8.0", "1.7.0"},
	{"ephemeral input variables", regexp.MustCompile(`(?m)^\s*ephemeral\s*=\s*true`), "1.10.0", "1.11.0"},
	{"import by resource identity", regexp.MustCompile(`(?m)^\s*identity\s*=\s*\{`), "1.12.0", "1.12.0"},
	{"actions", regexp.MustCompile(`(?m)^action\s+"`), "1.14.0", ""},
	{"list resources", regexp.MustCompile(`(?m)^list\s+"`), "1.14.0", ""},
}

// testMocks is what `terraform test` needs for examples/testing:
// mock_provider and override_data.
var testMocks = cliFeature{name: "test mocks (mock_provider, override_data)", terraform: "1.7.0", tofu: "1.8.0"}

// cli is the CLI under test, as it names itself.
type cli struct {
	path    string
	tofu    bool
	version []int
	text    string // "Terraform v1.11.4", "OpenTofu v1.12.6"
}

var cliVersionLine = regexp.MustCompile(`^(Terraform|OpenTofu) v(\d+)\.(\d+)\.(\d+)`)

func newCLI(t *testing.T) cli {
	t.Helper()
	path := accCLI(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, "version")
	cmd.Env = append(os.Environ(), "CHECKPOINT_DISABLE=1", "TF_CLI_CONFIG_FILE=/dev/null")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s version: %v", path, err)
	}
	m := cliVersionLine.FindStringSubmatch(string(out))
	if m == nil {
		t.Fatalf("%s version printed no version: %s", path, out)
	}
	c := cli{path: path, tofu: m[1] == "OpenTofu", text: strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])}
	for _, n := range m[2:] {
		v, _ := strconv.Atoi(n)
		c.version = append(c.version, v)
	}
	return c
}

// cannotRun says why the CLI cannot run a configuration, or "".
func (c cli) cannotRun(config string) string {
	for _, f := range cliFeatures {
		if f.used.MatchString(config) {
			if why := c.lacks(f); why != "" {
				return why
			}
		}
	}
	return ""
}

// lacks says why the CLI cannot run something that uses f, or "".
func (c cli) lacks(f cliFeature) string {
	first := f.terraform
	if c.tofu {
		first = f.tofu
	}
	if first == "" {
		return fmt.Sprintf("%s has no %s", c.text, f.name)
	}
	var want []int
	for n := range strings.SplitSeq(first, ".") {
		v, _ := strconv.Atoi(n)
		want = append(want, v)
	}
	if slices.Compare(c.version, want) < 0 {
		return fmt.Sprintf("%s has no %s (it arrived in %s)", c.text, f.name, first)
	}
	return ""
}

// mirroredProvider lays the built provider out in a filesystem mirror, under
// both registries' hosts, and writes a CLI configuration that installs
// oxen-ai/oxen from there only. It returns that configuration's path.
var mirroredProvider = sync.OnceValues(func() (string, error) {
	built, err := builtProvider()
	if err != nil {
		return "", err
	}
	mirror := filepath.Join(builtProviderDir, "mirror")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	sources := `"registry.terraform.io/oxen-ai/oxen", "registry.opentofu.org/oxen-ai/oxen"`
	for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
		dir := filepath.Join(mirror, host, "oxen-ai", "oxen", "0.0.1", platform)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", err
		}
		if err := os.Link(built, filepath.Join(dir, "terraform-provider-oxen_v0.0.1")); err != nil {
			return "", err
		}
	}
	config := filepath.Join(builtProviderDir, "mirror.tfrc")
	return config, os.WriteFile(config, fmt.Appendf(nil, `provider_installation {
  filesystem_mirror {
    path    = %q
    include = [%s]
  }
  direct {
    exclude = [%s]
  }
}
`, mirror, sources, sources), 0o644)
})

// exampleRun is a working directory holding a copy of an example, and the
// CLI that runs in it.
type exampleRun struct {
	t   *testing.T
	cli cli
	dir string
	env []string
}

func newExampleRun(t *testing.T, c cli, baseURL string) *exampleRun {
	t.Helper()
	config, err := mirroredProvider()
	if err != nil {
		t.Fatal(err)
	}
	r := &exampleRun{t: t, cli: c, dir: t.TempDir()}
	r.env = cliEnv("TF_CLI_CONFIG_FILE="+config, "TF_IN_AUTOMATION=1",
		envBaseURL+"="+baseURL, envAPIKey+"="+testAPIKey, "TF_VAR_oxen_api_key="+testAPIKey)
	return r
}

// cliEnv is the caller's environment without the variables that would
// change what the CLI or the provider does (TF_*, OXEN_*, SSL_CERT_*), plus
// env.
func cliEnv(env ...string) []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "OXEN_") && !strings.HasPrefix(kv, "SSL_CERT_") {
			out = append(out, kv)
		}
	}
	return append(append(out, "CHECKPOINT_DISABLE=1"), env...)
}

var actionBlock = regexp.MustCompile(`(?m)^action\s+"([^"]+)"\s+"([^"]+)"`)

var warningLine = regexp.MustCompile(`(?m)^\W*Warning: (.+)$`)

// warnings adds the summaries of the warnings in a CLI's output to seen.
func warnings(seen map[string]bool, out string) {
	for _, m := range warningLine.FindAllStringSubmatch(out, -1) {
		seen[strings.TrimSpace(m[1])] = true
	}
}

// run runs the CLI with args and returns its output and exit code; an exit
// code not in ok fails the test.
func (r *exampleRun) run(ok []int, args ...string) (string, int) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, r.cli.path, args...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	out, err := cmd.CombinedOutput()
	code := 0
	if exit := (*exec.ExitError)(nil); errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		r.t.Fatalf("%s %s: %v", r.cli.text, strings.Join(args, " "), err)
	}
	if !slices.Contains(ok, code) {
		r.t.Fatalf("%s %s exited %d:\n%s", r.cli.text, strings.Join(args, " "), code, out)
	}
	return string(out), code
}

// exampleOutputs are outputs whose values the examples' comments promise,
// as JSON, by example.
var exampleOutputs = map[string]map[string]string{
	"data-sources/oxen_model/data-source.tf": {
		"sonnet_endpoint":    `"/chat/completions"`,
		"image_qualities":    `["low","medium","high"]`,
		"support_bot_status": `"active"`,
		"sonnet_raw_owner":   `"oxen"`,
		// Exactly 3: the price is the API's decimal, not a float's.
		"sonnet_price_per_million_input_tokens": `3`,
	},
	"functions/estimate_cost/function.tf": {
		"monthly_budget_usd": `372`,
	},
	"resources/oxen_model_activation/resource.tf": {
		"support_bot_status": `"active"`,
	},
	"resources/oxen_model_activation/budget.tf": {
		// support-bot-ft at 0.00078 and vision-tagger-ft at 0.00125 per second.
		"fleet_cost_per_hour": `7.308`,
	},
	"demo": {
		"activation_status": `"active"`,
	},
	"testing": {
		"support_bot_status": `"active"`,
	},
}

// exampleWarnings are the warnings each example's plan and apply print: a
// new activation of a deployment that is not serving yet says that apply
// will start it.
var exampleWarnings = map[string]map[string]bool{
	"demo":    {`Apply will activate model "my-custom-model"`: true},
	"testing": {`Apply will activate model "my-custom-model"`: true},
	"resources/oxen_model_activation/budget.tf":              {`Apply will activate model "vision-tagger-ft"`: true},
	"resources/oxen_model_activation/resource.tf":            {`Apply will activate model "catalog-writer-ft"`: true},
	"resources/oxen_model_activation/import.sh":              {`Apply will activate model "catalog-writer-ft"`: true},
	"resources/oxen_model_activation/import-by-string-id.tf": {`Apply will activate model "catalog-writer-ft"`: true},
	"resources/oxen_model_activation/import-by-identity.tf":  {`Apply will activate model "catalog-writer-ft"`: true},
}

// TestAccExamples runs every example: init, plan, apply (then invokes its
// actions and runs its queries), a second plan that must find nothing to do,
// and destroy, each against a simulator of its own.
// It fails on any warning the CLI prints, as a user would notice one.
func TestAccExamples(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	c := newCLI(t)
	all := examples(t)
	if len(all) < 8 {
		t.Fatalf("found %d examples under %s, expected every one of them: %v", len(all), examplesDir, all)
	}
	for _, e := range all {
		t.Run(e.name, func(t *testing.T) {
			t.Parallel()
			files := map[string]string{}
			hasQuery := false
			var text strings.Builder
			for _, f := range append(e.files, e.extras...) {
				b, err := os.ReadFile(filepath.Join(examplesDir, f))
				if err != nil {
					t.Fatal(err)
				}
				why := c.cannotRun(string(b))
				switch {
				case why != "" && slices.Contains(e.extras, f):
					t.Logf("%s left out: %s", f, why)
					continue
				case why != "":
					t.Skip(why)
				}
				files[strings.ReplaceAll(f, string(filepath.Separator), "_")] = string(b)
				hasQuery = hasQuery || strings.HasSuffix(f, ".tfquery.hcl")
				text.Write(b)
			}
			// A fragment shows only the blocks it is about; the configuration
			// a user adds it to declares where the provider comes from.
			if !strings.Contains(text.String(), "required_providers") {
				files["terraform.tf"] = "terraform {\n  required_providers {\n    oxen = { source = \"oxen-ai/oxen\" }\n  }\n}\n"
			}

			sim := oxensim.New(oxensim.Options{APIKey: testAPIKey, DeployDuration: time.Millisecond, DeactivateDuration: time.Millisecond})
			srv := httptest.NewServer(sim)
			t.Cleanup(srv.Close)
			r := newExampleRun(t, c, srv.URL)
			for name, content := range files {
				mustWrite(t, filepath.Join(r.dir, name), 0o644, content)
			}

			r.run([]int{0}, "init", "-input=false", "-no-color")
			for _, line := range e.commands {
				args := strings.Fields(line)
				if args[0] != "terraform" {
					t.Fatalf("%s: %q is not a terraform command", e.name, line)
				}
				r.run([]int{0}, append(args[1:2], append([]string{"-input=false", "-no-color"}, args[2:]...)...)...)
			}
			seen := map[string]bool{}
			plan, _ := r.run([]int{0, 2}, "plan", "-input=false", "-no-color", "-detailed-exitcode")
			warnings(seen, plan)
			apply, _ := r.run([]int{0}, "apply", "-input=false", "-no-color", "-auto-approve")
			warnings(seen, apply)
			// An action example declares what a user invokes by hand.
			for _, m := range actionBlock.FindAllStringSubmatch(text.String(), -1) {
				invoked, _ := r.run([]int{0}, "apply", "-input=false", "-no-color", "-auto-approve", "-invoke=action."+m[1]+"."+m[2])
				warnings(seen, invoked)
			}
			if hasQuery {
				listed, _ := r.run([]int{0}, "query", "-no-color")
				warnings(seen, listed)
			}
			out, _ := r.run([]int{0}, "output", "-json", "-no-color")
			var outputs map[string]struct{ Value json.RawMessage }
			if err := json.Unmarshal([]byte(out), &outputs); err != nil {
				t.Fatalf("output -json: %v\n%s", err, out)
			}
			for name, want := range exampleOutputs[e.name] {
				var got bytes.Buffer
				if err := json.Compact(&got, outputs[name].Value); err != nil || got.String() != want {
					t.Errorf("output %s = %s, want %s", name, outputs[name].Value, want)
				}
			}
			again, code := r.run([]int{0, 2}, "plan", "-input=false", "-no-color", "-detailed-exitcode")
			warnings(seen, again)
			if code != 0 {
				t.Errorf("a second plan after apply wants changes:\n%s", again)
			}
			if want := exampleWarnings[e.name]; !maps.Equal(seen, want) && len(seen)+len(want) > 0 {
				t.Errorf("%s warned %q, want %q", c.text, slices.Sorted(maps.Keys(seen)), slices.Sorted(maps.Keys(want)))
			}
			// Destroy is the test's cleanup, not a step of the example: what
			// it warns is the resource tests' business.
			r.run([]int{0}, "destroy", "-input=false", "-no-color", "-auto-approve")
		})
	}
}

// TestAccExamples_testCommand runs `terraform test` (or `tofu test`) on
// examples/testing. Its tests mock or override every call, so they must pass
// without sending a single request, which a simulator in OXEN_BASE_URL
// counts.
func TestAccExamples_testCommand(t *testing.T) {
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1")
	}
	c := newCLI(t)
	if why := c.lacks(testMocks); why != "" {
		t.Skip(why)
	}
	t.Parallel()
	sim := oxensim.New(oxensim.Options{APIKey: testAPIKey})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	r := newExampleRun(t, c, srv.URL)
	files, err := filepath.Glob(filepath.Join(examplesDir, "testing", "tests", "*.tftest.hcl"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files in examples/testing/tests: %v", err)
	}
	runs := 0
	for _, f := range append(files, filepath.Join(examplesDir, "testing", "main.tf")) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		f, _ = filepath.Rel(filepath.Join(examplesDir, "testing"), f)
		runs += len(regexp.MustCompile(`(?m)^run "`).FindAll(b, -1))
		mustWrite(t, filepath.Join(r.dir, f), 0o644, string(b))
	}
	r.run([]int{0}, "init", "-input=false", "-no-color")
	out, _ := r.run([]int{0}, "test", "-no-color")
	if want := fmt.Sprintf("%d passed, 0 failed", runs); !strings.Contains(out, want) {
		t.Errorf("%s test did not say %q:\n%s", c.text, want, out)
	}
	if n := len(sim.Requests()); n != 0 {
		t.Errorf("the tests sent %d requests to the API, want none: %v", n, sim.Requests())
	}
	seen := map[string]bool{}
	warnings(seen, out)
	if len(seen) > 0 {
		t.Errorf("%s warned %q:\n%s", c.text, slices.Sorted(maps.Keys(seen)), out)
	}
}
