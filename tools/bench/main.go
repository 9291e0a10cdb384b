// Command e2e is the end-to-end benchmark of the provider: a real Terraform
// CLI against a local Oxen API, the providers installed from a filesystem
// mirror exactly as a user's CLI would load them. It prints a Markdown
// table and writes it to tools/bench/RESULTS.md.
//
//	go -C tools/bench run .            # what `make bench` runs
//	go -C tools/bench run . -wait-real # also the real 5-minute deployment
//	go -C tools/bench run . -baseline v0.1.0 -skip-wait # against a release
//
// Figures:
//   - look-ups: `terraform plan` of 100 oxen_model data sources, beside the
//     same 100 reads written as users would without this provider
//     (`data "http"` and jsondecode, tools/bench/http), at 0 ms and at
//     -latency; beside the same 100 data sources of a provider that does no
//     I/O (tools/bench/noop), the floor of Terraform's own cost; and the
//     requests sent by 100 data sources that name only 5 models.
//   - catalog: plan of one oxen_models read of each -catalog-size models
//     beside the same list fetched with `data "http"` and jsondecode: wall
//     time and peak resident memory of the provider and of terraform.
//   - fast path: the distinct look-ups and each catalog also planned with
//     this provider served by the framework alone (tools/bench/oxenfw),
//     side by side with the shipped build and `data "http"`; with
//     -baseline REV, also with the provider of another revision, for a
//     before/after comparison in the same minutes (baseline.go).
//   - waiting: requests and lateness of an oxen_model_activation apply,
//     for real on a short deployment (and on 5 minutes with -wait-real), and
//     on a fake clock through the provider's acceptance test.
//
// Look-ups and catalog read from a canned server that replays the
// simulator's answers (canned.go); the waiting figures need the simulator's
// deployments and use it directly.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	providerVersion = "0.1.0"
	apiKey          = "bench-key"
)

// The targets the figures are held to.
const (
	targetGenericRatio = 0.9 // distinct look-ups, oxen ÷ data "http", at 0 ms and at -latency
	targetCatalogRatio = 1.0 // catalog, oxen_models ÷ data "http"
	targetCatalogMem   = 200e6
	targetNoopRatio    = 1.5 // look-ups, oxen ÷ no-I/O
	targetLatencyAdd   = 350 * time.Millisecond
	targetCatalogTime  = 2 * time.Second
	targetWaitLate     = 30 * time.Second
	targetWaitReqs     = 40
	fiveMinutes        = 5 * time.Minute
)

type options struct {
	runs         int
	lookups      int
	repeatModels int
	latency      time.Duration
	catalogSizes sizes
	terraform    string
	skipWait     bool
	waitReal     bool
	waitTime     time.Duration
	timeout      time.Duration
	out          string
	keep         bool
	baseline     string
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("e2e: ")
	var o options
	gopath := strings.Split(goEnv("GOPATH"), string(os.PathListSeparator))[0]
	flag.IntVar(&o.runs, "runs", 5, "timed runs per figure (the median is reported)")
	flag.IntVar(&o.lookups, "lookups", 100, "number of data sources in the look-up configurations")
	flag.IntVar(&o.repeatModels, "repeat-models", 5, "distinct models named by the -lookups data sources of the repeated look-ups")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "latency added to every answer for the second look-up figures")
	o.catalogSizes = sizes{5000, 500}
	flag.Var(&o.catalogSizes, "catalog-size", "models served for the catalog figures (oxensim.GenerateCatalog), a comma-separated list for several catalogs")
	flag.StringVar(&o.terraform, "terraform", filepath.Join(gopath, "bin", defaultCLI), "Terraform or OpenTofu CLI to run")
	flag.BoolVar(&o.skipWait, "skip-wait", false, "skip the waiting figures")
	flag.BoolVar(&o.waitReal, "wait-real", false, "also run a real 5-minute deployment (takes 5+ minutes)")
	flag.DurationVar(&o.waitTime, "wait-time", 30*time.Second, "deploy time of the real, short waiting run")
	flag.DurationVar(&o.timeout, "timeout", 25*time.Minute, "the whole run stops with an error after this long")
	flag.StringVar(&o.out, "out", "", "file the table is written to (default <module root>/tools/bench/RESULTS.md; \"-\" = none)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (configurations, mirror) for inspection")
	flag.StringVar(&o.baseline, "baseline", "", "a revision of this repository (commit, tag, branch) whose provider is planned too, "+
		"interleaved with the others, for a before/after comparison on the same machine")
	flag.Parse()
	if o.runs < 1 || o.lookups < 1 || o.repeatModels < 1 || o.repeatModels > o.lookups {
		log.Fatal("-runs, -lookups, -catalog-size and -repeat-models must be positive, -repeat-models at most -lookups")
	}
	ctx, cancel := context.WithTimeout(context.Background(), o.timeout)
	err := run(ctx, o)
	cancel()
	if err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, o options) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join(root, benchDir, "RESULTS.md")
	}
	tfVersion, err := exec.CommandContext(ctx, o.terraform, "version").Output()
	if err != nil {
		return fmt.Errorf("%s version: %w (build it with `make terraform` or pass -terraform)", o.terraform, err)
	}
	tmp, err := os.MkdirTemp("", "oxen-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		log.Printf("keeping %s", tmp)
	} else {
		defer os.RemoveAll(tmp)
	}

	b := &bench{opts: o, root: root, tmp: tmp}
	b.sampleLoad()
	if len(b.load) > 0 && b.load[0][0] > float64(runtime.NumCPU()) {
		log.Printf("warning: load average %.2f on %d CPUs: other work will slow every figure (the table says so)", b.load[0][0], runtime.NumCPU())
	}
	if err := b.setup(ctx); err != nil {
		return err
	}
	var rows []row
	for _, step := range []func(context.Context) ([]row, error){b.lookups, b.catalog, b.waiting} {
		r, err := step(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("stopped after -timeout %s: %w", o.timeout, err)
			}
			return err
		}
		rows = append(rows, r...)
	}
	b.sampleLoad()

	table := b.render(cliVersion(string(tfVersion)), rows)
	fmt.Print(table)
	if o.out != "-" {
		if err := os.WriteFile(o.out, []byte(table), 0o644); err != nil {
			return err
		}
		log.Printf("table written to %s", o.out)
	}
	return nil
}

// bench holds what the scenarios share: the mirror, the CLI config.
type bench struct {
	opts    options
	root    string
	tmp     string
	cliConf string
	// load holds the load average (1, 5, 15 min) at the start of the run,
	// before every terraform command, and at the end.
	load [][3]float64
	// side holds the figures planned with all three builds, for the table
	// that sets them side by side.
	side []sideBySide
}

// sideBySide is one figure planned with the shipped build, with the same
// provider served by the framework alone, and with `data "http"`.
type sideBySide struct {
	figure         string
	fast, fw, http time.Duration
	base           time.Duration // the -baseline build, when there is one
}

func (b *bench) sampleLoad() {
	if la, ok := loadAverage(); ok {
		b.load = append(b.load, la)
	}
}

// The providers the harness builds, by the name the mirror holds them
// under: this one as shipped (from the provider's module), the same served
// by the framework alone, and the stand-ins it is compared with (from this
// module). local is the name configurations give it when that is not its
// own: the framework-only build is called oxen, so that its configurations
// read exactly as the shipped build's. dir is relative to the provider's
// module, or absolute (the -baseline build).
type provider struct{ name, local, dir, pkg string }

var providers = []provider{
	{name: "oxen", pkg: "."},
	{name: "oxenfw", local: "oxen", dir: benchDir, pkg: "./oxenfw"},
	{name: "http", dir: benchDir, pkg: "./http"},
	{name: "noop", dir: benchDir, pkg: "./noop"},
}

// benchDir is this module's directory, relative to the provider's.
var benchDir = filepath.Join("tools", "bench")

// setup builds the providers into a filesystem mirror and writes a CLI
// configuration that installs them only from there, as scripts/demo.sh does.
// Each is laid out under both registries' hosts, so -terraform may name an
// OpenTofu binary too.
func (b *bench) setup(ctx context.Context) error {
	if b.opts.baseline != "" {
		dir := filepath.Join(b.tmp, "baseline")
		log.Printf("extracting the baseline %s", b.opts.baseline)
		if err := extractRevision(ctx, b.root, b.opts.baseline, dir); err != nil {
			return err
		}
		providers = append(providers, provider{name: baselineName, local: "oxen", dir: dir, pkg: "."})
	}
	mirror := filepath.Join(b.tmp, "plugins")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	var sources []string
	for _, p := range providers {
		name := "terraform-provider-" + p.name + "_v" + providerVersion
		if runtime.GOOS == "windows" {
			name += ".exe"
		}
		built := filepath.Join(b.tmp, name)
		log.Printf("building the %s provider", p.name)
		cmd := exec.CommandContext(ctx, goCmd(), "build", "-ldflags", "-X main.version="+providerVersion, "-o", built, p.pkg)
		cmd.Dir = p.dir
		if !filepath.IsAbs(p.dir) {
			cmd.Dir = filepath.Join(b.root, p.dir)
		}
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", p.pkg, err, out)
		}
		for _, host := range []string{"registry.terraform.io", "registry.opentofu.org"} {
			source := host + "/oxen-ai/" + p.name
			sources = append(sources, fmt.Sprintf("%q", source))
			dir := filepath.Join(mirror, filepath.FromSlash(source), providerVersion, platform)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				return err
			}
			if err := os.Link(built, filepath.Join(dir, name)); err != nil {
				return err
			}
		}
	}
	b.cliConf = filepath.Join(b.tmp, "cli.tfrc")
	list := strings.Join(sources, ", ")
	conf := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = [%s]
  }
  direct {
    exclude = [%s]
  }
}
`, mirror, list, list)
	return os.WriteFile(b.cliConf, []byte(conf), 0o644)
}

// requiredProviders is the terraform block that names the mirror's
// providers, each by its local name.
func requiredProviders(names ...string) string {
	var sb strings.Builder
	sb.WriteString("terraform {\n  required_providers {\n")
	for _, n := range names {
		fmt.Fprintf(&sb, "    %s = { source = \"oxen-ai/%s\" }\n", localName(n), n)
	}
	sb.WriteString("  }\n}\n\n")
	return sb.String()
}

// localName is the name configurations give the mirror's provider name.
func localName(name string) string {
	for _, p := range providers {
		if p.name == name && p.local != "" {
			return p.local
		}
	}
	return name
}

// workdir writes a configuration into a fresh directory and runs
// `terraform init` there (not timed).
func (b *bench) workdir(ctx context.Context, name, config string) (string, error) {
	dir := filepath.Join(b.tmp, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		return "", err
	}
	if _, err := b.terraform(ctx, dir, "", false, "init", "-input=false", "-no-color"); err != nil {
		return "", err
	}
	return dir, nil
}

// tfRun is one finished terraform command.
type tfRun struct {
	wall time.Duration
	end  time.Time
	// treeMaxRSS is the largest resident set of terraform and of the
	// plugins it waited for, in bytes (0 where the platform has no figure).
	treeMaxRSS int64
	mem        *memWatch
}

var planArgs = []string{"plan", "-input=false", "-lock=false", "-no-color"}

// terraform runs the CLI in dir with the benchmark's environment. baseURL,
// when set, is where the oxen provider points; watch samples the memory of
// terraform and its plugins while it runs.
func (b *bench) terraform(ctx context.Context, dir, baseURL string, watch bool, args ...string) (*tfRun, error) {
	cmd := exec.CommandContext(ctx, b.opts.terraform, args...)
	// Stopped by -timeout: an interrupt lets terraform stop its plugins;
	// whatever is left after WaitDelay is killed.
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 10 * time.Second
	cmd.Dir = dir
	env := []string{}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "OXEN_") {
			continue // no TF_LOG, TF_CLI_ARGS or stray credentials from the caller
		}
		env = append(env, kv)
	}
	env = append(env, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+b.cliConf)
	if baseURL != "" {
		env = append(env, "OXEN_BASE_URL="+baseURL, "OXEN_API_KEY="+apiKey)
	}
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	b.sampleLoad()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	r := &tfRun{}
	if watch {
		r.mem = watchMemory(cmd.Process.Pid)
	}
	err := cmd.Wait()
	r.end = time.Now()
	r.wall = r.end.Sub(start)
	if r.mem != nil {
		r.mem.stop()
	}
	r.treeMaxRSS = treeMaxRSS(cmd.ProcessState)
	if err != nil {
		return nil, fmt.Errorf("terraform %s in %s: %w\n%s", strings.Join(args, " "), dir, err, out.String())
	}
	return r, nil
}

// ---- output ------------------------------------------------------------------

type row struct {
	section, figure, value, target, how string
	met, hasTarget                      bool
}

// defaultCLI is the CLI the figures are made with unless -terraform says
// otherwise: the oldest the provider supports.
const defaultCLI = "terraform-1.5.7"

// cliFlag is -terraform as the table shows it: absent for the default CLI.
func cliFlag(cli string) string {
	if filepath.Base(cli) == defaultCLI {
		return ""
	}
	return " -terraform " + filepath.Base(cli)
}

// cliVersion is the version line of `terraform version` or `tofu version`
// (OpenTofu may print a warning before it).
func cliVersion(out string) string {
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "Terraform v") || strings.HasPrefix(line, "OpenTofu v") {
			return line
		}
	}
	return strings.TrimSpace(out)
}

func (b *bench) render(tfVersion string, rows []row) string {
	o := b.opts
	var sb strings.Builder
	fmt.Fprintf(&sb, "# End-to-end benchmark\n\n")
	fmt.Fprintf(&sb, "%s on %s/%s, %d CPUs, %s; made by `make bench` (`go -C tools/bench run . -runs %d -latency %s -catalog-size %s%s`).\n\n",
		tfVersion, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02 15:04 MST"),
		o.runs, o.latency, o.catalogSizes.String(), map[bool]string{true: " -wait-real", false: ""}[o.waitReal]+cliFlag(o.terraform))
	// Wall times on a shared machine move with its load; say what it was.
	if len(b.load) >= 2 {
		first, last := b.load[0], b.load[len(b.load)-1]
		lo, hi := first[0], first[0]
		for _, la := range b.load {
			lo, hi = min(lo, la[0]), max(hi, la[0])
		}
		fmt.Fprintf(&sb, "Load average (1, 5, 15 min) at the start of the run: %.2f, %.2f, %.2f; at the end: %.2f, %.2f, %.2f; "+
			"the 1-minute figure before each terraform command ranged from %.2f to %.2f.\n\n",
			first[0], first[1], first[2], last[0], last[1], last[2], lo, hi)
	} else {
		fmt.Fprintf(&sb, "Load average: not available on %s.\n\n", runtime.GOOS)
	}
	sb.WriteString("Look-ups and catalog read from one canned server that replays the simulator's answers byte for byte; " +
		"`data \"http\"` is tools/bench/http, a stand-in for hashicorp/http (one GET, the body as `response_body`), decoded with `jsondecode`; " +
		"the real one can be neither installed here nor built from the Go module proxy (tools/bench/http says why).\n\n")
	if len(b.side) > 0 {
		sb.WriteString("What the fast path is worth: the same configurations planned with the provider as shipped (fast path for the data sources' reads), " +
			"with the same code served by the framework alone (`providerserver.NewProtocol6(provider.New(version))`, tools/bench/oxenfw) and with `data \"http\"` + `jsondecode`; " +
			"medians as in the table below.")
		if b.opts.baseline != "" {
			fmt.Fprintf(&sb, " The baseline is the provider of revision %s of this repository (`-baseline`), planned interleaved with the others.", b.opts.baseline)
		}
		sb.WriteString("\n\n")
		head, rule := "| | fast path | framework only | `data \"http\"` + `jsondecode` | fast path ÷ http | framework only ÷ http | fast path ÷ framework only |", "|---|---|---|---|---|---|---|"
		if b.opts.baseline != "" {
			head += fmt.Sprintf(" baseline (%s) | baseline ÷ http | fast path ÷ baseline |", b.opts.baseline)
			rule += "---|---|---|"
		}
		sb.WriteString(head + "\n" + rule + "\n")
		for _, r := range b.side {
			_, fh := ratio(r.fast, r.http)
			_, wh := ratio(r.fw, r.http)
			_, fw := ratio(r.fast, r.fw)
			fmt.Fprintf(&sb, "| %s | %s | %s | %s | %s | %s | %s |", r.figure, seconds(r.fast), seconds(r.fw), seconds(r.http), fh, wh, fw)
			if b.opts.baseline != "" {
				_, bh := ratio(r.base, r.http)
				_, fb := ratio(r.fast, r.base)
				fmt.Fprintf(&sb, " %s | %s | %s |", seconds(r.base), bh, fb)
			}
			sb.WriteString("\n")
		}
		sb.WriteString("\n")
	}
	sb.WriteString("| | Figure | Measured | Target | Met | How |\n|---|---|---|---|---|---|\n")
	for _, r := range rows {
		met := ""
		if r.hasTarget {
			met = map[bool]string{true: "yes", false: "**no**"}[r.met]
		}
		fmt.Fprintf(&sb, "| %s | %s | %s | %s | %s | %s |\n", r.section, r.figure, r.value, r.target, met, r.how)
	}
	return sb.String()
}

// sizes is a comma-separated list of positive numbers, as a flag.
type sizes []int

func (s *sizes) String() string {
	var parts []string
	for _, n := range *s {
		parts = append(parts, strconv.Itoa(n))
	}
	return strings.Join(parts, ",")
}

func (s *sizes) Set(v string) error {
	*s = nil
	for _, part := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 {
			return fmt.Errorf("%q is not a positive number", part)
		}
		*s = append(*s, n)
	}
	return nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func spread(d []time.Duration) string {
	return fmt.Sprintf("min %s, max %s", seconds(slices.Min(d)), seconds(slices.Max(d)))
}

// seconds prints a duration in seconds with two decimals.
func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// megabytes prints bytes in MB (10^6 bytes), the unit of the targets.
func megabytes(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/1e6) }

// ratio prints a ÷ b with two decimals.
func ratio(a, b time.Duration) (float64, string) {
	r := a.Seconds() / b.Seconds()
	return r, fmt.Sprintf("%.2f", r)
}

func goCmd() string {
	if g := os.Getenv("GO"); g != "" {
		return g
	}
	return "go"
}

func goEnv(name string) string {
	out, err := exec.Command(goCmd(), "env", name).Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// moduleRoot walks up from the working directory to the provider's go.mod
// (past this module's own).
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			bytes.Contains(data, []byte("module github.com/oxen-ai/terraform-provider-oxen\n")) {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("run this from inside the terraform-provider-oxen module")
		}
		dir = parent
	}
}
