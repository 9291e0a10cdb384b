// Command e2e is the end-to-end benchmark of the provider: a real Terraform
// CLI against the in-process Oxen API simulator, the provider installed from
// a filesystem mirror exactly as a user's CLI would load it. It prints a
// Markdown table and writes it to internal/bench/RESULTS.md.
//
//	go run ./internal/bench/cmd/e2e            # what `make bench` runs
//	go run ./internal/bench/cmd/e2e -wait-real # also the real 5-minute deployment
//
// Figures:
//   - look-ups: `terraform plan` of 100 oxen_model data sources at 0 ms and
//     at -latency, beside the same 100 data sources of a provider that does
//     no I/O (internal/bench/noop): Terraform's own per-data-source cost.
//   - catalog: plan of one oxen_models read of -catalog-size models: wall
//     time and peak resident memory of the provider and of terraform.
//   - waiting: requests and lateness of an oxen_model_activation apply,
//     for real on a short deployment (and on 5 minutes with -wait-real), and
//     for 5 minutes on a fake clock through the provider's client and wait loop.
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

const (
	providerVersion = "0.1.0"
	apiKey          = "bench-key"
)

// Targets of issue 5, item 8.
const (
	targetRatio       = 1.5
	targetLatencyAdd  = 350 * time.Millisecond
	targetCatalogTime = 2 * time.Second
	targetCatalogMem  = 300e6 // bytes
	targetWaitLate    = 30 * time.Second
	targetWaitReqs    = 40
	fiveMinutes       = 5 * time.Minute
)

type options struct {
	runs        int
	lookups     int
	latency     time.Duration
	catalogSize int
	terraform   string
	skipWait    bool
	waitReal    bool
	waitTime    time.Duration
	out         string
	keep        bool
}

func main() {
	log.SetFlags(0)
	log.SetPrefix("e2e: ")
	var o options
	gopath := strings.Split(goEnv("GOPATH"), string(os.PathListSeparator))[0]
	flag.IntVar(&o.runs, "runs", 5, "timed runs per look-up figure (the median is reported); the catalog uses min(runs, 3)")
	flag.IntVar(&o.lookups, "lookups", 100, "number of oxen_model data sources in the look-up configuration")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "latency injected into every simulator answer for the second look-up figure")
	flag.IntVar(&o.catalogSize, "catalog-size", 5000, "models served for the oxen_models figure (oxensim.GenerateCatalog)")
	flag.StringVar(&o.terraform, "terraform", filepath.Join(gopath, "bin", "terraform-1.5.7"), "Terraform CLI to run")
	flag.BoolVar(&o.skipWait, "skip-wait", false, "skip the waiting figures")
	flag.BoolVar(&o.waitReal, "wait-real", false, "also run a real 5-minute deployment (takes 5+ minutes)")
	flag.DurationVar(&o.waitTime, "wait-time", 30*time.Second, "deploy time of the real, short waiting run")
	flag.StringVar(&o.out, "out", "", "file the table is written to (default <module root>/internal/bench/RESULTS.md; \"-\" = none)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (configurations, mirror) for inspection")
	flag.Parse()
	if o.runs < 1 || o.lookups < 1 || o.catalogSize < 1 {
		log.Fatal("-runs, -lookups and -catalog-size must be positive")
	}
	if err := run(o); err != nil {
		log.Fatal(err)
	}
}

func run(o options) error {
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	if o.out == "" {
		o.out = filepath.Join(root, "internal", "bench", "RESULTS.md")
	}
	tfVersion, err := exec.Command(o.terraform, "version").Output()
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
	if err := b.setup(); err != nil {
		return err
	}
	var rows []row
	for _, step := range []func() ([]row, error){b.lookups, b.catalog, b.waiting} {
		r, err := step()
		if err != nil {
			return err
		}
		rows = append(rows, r...)
	}

	table := render(o, strings.SplitN(string(tfVersion), "\n", 2)[0], rows)
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
}

// setup builds the two providers into a filesystem mirror and writes a CLI
// configuration that installs them only from there, as scripts/demo.sh does.
func (b *bench) setup() error {
	mirror := filepath.Join(b.tmp, "plugins")
	platform := runtime.GOOS + "_" + runtime.GOARCH
	for _, p := range []struct{ name, pkg string }{{"oxen", "."}, {"noop", "./internal/bench/noop"}} {
		dir := filepath.Join(mirror, "registry.terraform.io", "oxen-ai", p.name, providerVersion, platform)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		bin := filepath.Join(dir, "terraform-provider-"+p.name+"_v"+providerVersion)
		log.Printf("building %s provider", p.name)
		cmd := exec.Command(goCmd(), "build", "-ldflags", "-X main.version="+providerVersion, "-o", bin, p.pkg)
		cmd.Dir = b.root
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %w\n%s", p.pkg, err, out)
		}
	}
	b.cliConf = filepath.Join(b.tmp, "cli.tfrc")
	conf := fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = ["registry.terraform.io/oxen-ai/oxen", "registry.terraform.io/oxen-ai/noop"]
  }
  direct {
    exclude = ["registry.terraform.io/oxen-ai/oxen", "registry.terraform.io/oxen-ai/noop"]
  }
}
`, mirror)
	return os.WriteFile(b.cliConf, []byte(conf), 0o644)
}

// sim is the simulator served on a loopback port.
type sim struct {
	*oxensim.Server
	url string
	srv *http.Server
}

func startSim(opts oxensim.Options) (*sim, error) {
	opts.APIKey = apiKey
	s := oxensim.New(opts)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: s, ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	return &sim{Server: s, url: "http://" + ln.Addr().String(), srv: srv}, nil
}

func (s *sim) close() { s.srv.Close() }

// workdir writes a configuration into a fresh directory and runs
// `terraform init` there (not timed).
func (b *bench) workdir(name, config string) (string, error) {
	dir := filepath.Join(b.tmp, name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(config), 0o644); err != nil {
		return "", err
	}
	if _, err := b.terraform(dir, nil, "init", "-input=false", "-no-color"); err != nil {
		return "", err
	}
	return dir, nil
}

// tfRun is one finished terraform command.
type tfRun struct {
	wall time.Duration
	end  time.Time
	// treeMaxRSS is ru_maxrss of terraform as wait4 reports it: the
	// largest resident set of terraform and of every descendant it waited
	// for (the provider plugins).
	treeMaxRSS int64
	mem        *memWatch
}

// terraform runs the CLI in dir with the benchmark's environment; sim, when
// set, is where the oxen provider points.
func (b *bench) terraform(dir string, s *sim, args ...string) (*tfRun, error) {
	return b.terraformWatched(dir, s, false, args...)
}

func (b *bench) terraformWatched(dir string, s *sim, watch bool, args ...string) (*tfRun, error) {
	cmd := exec.Command(b.opts.terraform, args...)
	cmd.Dir = dir
	env := []string{}
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); strings.HasPrefix(k, "TF_") || strings.HasPrefix(k, "OXEN_") {
			continue // no TF_LOG, TF_CLI_ARGS or stray credentials from the caller
		}
		env = append(env, kv)
	}
	env = append(env, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE="+b.cliConf)
	if s != nil {
		env = append(env, "OXEN_BASE_URL="+s.url, "OXEN_API_KEY="+apiKey)
	}
	cmd.Env = env
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
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
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.treeMaxRSS = ru.Maxrss << 10 // KiB on Linux
	}
	if err != nil {
		return nil, fmt.Errorf("terraform %s in %s: %w\n%s", strings.Join(args, " "), dir, err, out.String())
	}
	return r, nil
}

// ---- look-ups ----------------------------------------------------------------

func (b *bench) lookups() ([]row, error) {
	n := b.opts.lookups
	catalog := append(oxensim.Seed(), oxensim.GenerateCatalog(n)...)
	fast, err := startSim(oxensim.Options{Models: catalog})
	if err != nil {
		return nil, err
	}
	defer fast.close()
	slow, err := startSim(oxensim.Options{Models: catalog, Latency: b.opts.latency})
	if err != nil {
		return nil, err
	}
	defer slow.close()
	ids := fast.ModelIDs()
	if len(ids) < n {
		return nil, fmt.Errorf("the simulator serves %d models, fewer than %d", len(ids), n)
	}
	ids = ids[:n]

	var oxenCfg, noopCfg, fullCfg strings.Builder
	oxenCfg.WriteString("terraform {\n  required_providers {\n    oxen = { source = \"oxen-ai/oxen\" }\n  }\n}\n\n")
	noopCfg.WriteString("terraform {\n  required_providers {\n    noop = { source = \"oxen-ai/noop\" }\n  }\n}\n\n")
	fullCfg.WriteString(noopCfg.String())
	for i, id := range ids {
		fmt.Fprintf(&oxenCfg, "data \"oxen_model\" \"m%03d\" {\n  id = %q\n}\n", i, id)
		fmt.Fprintf(&noopCfg, "data \"noop_model\" \"m%03d\" {\n  id = %q\n}\n", i, id)
		fmt.Fprintf(&fullCfg, "data \"noop_model_full\" \"m%03d\" {\n  id = %q\n}\n", i, id)
	}
	oxenDir, err := b.workdir("lookups-oxen", oxenCfg.String())
	if err != nil {
		return nil, err
	}
	noopDir, err := b.workdir("lookups-noop", noopCfg.String())
	if err != nil {
		return nil, err
	}
	fullDir, err := b.workdir("lookups-noop-full", fullCfg.String())
	if err != nil {
		return nil, err
	}

	plan := []string{"plan", "-input=false", "-lock=false", "-no-color"}
	type scenario struct {
		dir   string
		sim   *sim
		times []time.Duration
	}
	scen := []*scenario{{dir: oxenDir, sim: fast}, {dir: noopDir}, {dir: oxenDir, sim: slow}, {dir: fullDir}}
	// One untimed warm-up each, then the timed runs interleaved so that
	// drift on the machine hits all three alike.
	for round := 0; round <= b.opts.runs; round++ {
		for _, sc := range scen {
			if sc.sim != nil {
				sc.sim.ResetRequests()
			}
			r, err := b.terraform(sc.dir, sc.sim, plan...)
			if err != nil {
				return nil, err
			}
			if sc.sim != nil {
				if got := sc.sim.CountRequests("GET", oxensim.ModelsPath+"/"); got != n {
					return nil, fmt.Errorf("plan sent %d GET requests for %d data sources, want one each", got, n)
				}
			}
			if round > 0 {
				sc.times = append(sc.times, r.wall)
			}
		}
		if round > 0 {
			log.Printf("look-ups round %d: oxen %s, noop %s, oxen at %s latency %s, noop with oxen_model's schema %s", round,
				sc3(scen[0].times[round-1]), sc3(scen[1].times[round-1]), b.opts.latency, sc3(scen[2].times[round-1]), sc3(scen[3].times[round-1]))
		}
	}
	ours, noop, slowT := median(scen[0].times), median(scen[1].times), median(scen[2].times)
	ratio := ours.Seconds() / noop.Seconds()
	added := slowT - ours
	how := fmt.Sprintf("median of %d `terraform plan` runs (after one untimed warm-up), %d data sources, parallelism 10", b.opts.runs, n)
	return []row{
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × `oxen_model`, 0 ms latency", n), value: sc3(ours), how: how + "; " + spread(scen[0].times)},
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × no-I/O `noop_model`", n), value: sc3(noop), how: "same, stand-in provider internal/bench/noop (Read sets a constant); " + spread(scen[1].times)},
		{section: "look-ups", figure: "per-read overhead ratio (oxen ÷ no-I/O)", value: fmt.Sprintf("%.2f", ratio), target: fmt.Sprintf("≤ %.1f", targetRatio), met: ratio <= targetRatio, hasTarget: true},
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × `oxen_model`, %s latency", n, b.opts.latency), value: sc3(slowT), how: "median as above; " + spread(scen[2].times)},
		{section: "look-ups", figure: fmt.Sprintf("time added by %s latency", b.opts.latency), value: sc3(added), target: "≤ " + sc3(targetLatencyAdd), met: added <= targetLatencyAdd, hasTarget: true,
			how: "difference of the two medians"},
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × no-I/O `noop_model_full` (oxen_model's schema)", n), value: sc3(median(scen[3].times)),
			how: "same, stand-in data source with oxen_model's schema whose Read returns the configuration: the cost of the schema alone; " + spread(scen[3].times)},
	}, nil
}

// ---- catalog -----------------------------------------------------------------

func (b *bench) catalog() ([]row, error) {
	s, err := startSim(oxensim.Options{Models: oxensim.GenerateCatalog(b.opts.catalogSize)})
	if err != nil {
		return nil, err
	}
	defer s.close()
	dir, err := b.workdir("catalog", "terraform {\n  required_providers {\n    oxen = { source = \"oxen-ai/oxen\" }\n  }\n}\n\n"+
		"data \"oxen_models\" \"all\" {}\n")
	if err != nil {
		return nil, err
	}
	runs := min(b.opts.runs, 3)
	var walls []time.Duration
	var provPeak, tfPeak, treePeak int64
	for i := 0; i < runs; i++ {
		r, err := b.terraformWatched(dir, s, true, "plan", "-input=false", "-lock=false", "-no-color")
		if err != nil {
			return nil, err
		}
		walls = append(walls, r.wall)
		pp, tp := r.mem.peaks()
		provPeak, tfPeak, treePeak = max(provPeak, pp), max(tfPeak, tp), max(treePeak, r.treeMaxRSS)
		log.Printf("catalog run %d: %s, provider peak %s, terraform peak %s, wait4 tree max %s",
			i+1, sc3(r.wall), mib(pp), mib(tp), mib(r.treeMaxRSS))
	}
	wall := median(walls)
	n := b.opts.catalogSize
	return []row{
		{section: "catalog", figure: fmt.Sprintf("plan, one `oxen_models` read of %d models: wall time", n), value: sc3(wall),
			target: "< " + sc3(targetCatalogTime), met: wall < targetCatalogTime, hasTarget: true,
			how: fmt.Sprintf("median of %d `terraform plan` runs (init not timed); %s", runs, spread(walls))},
		{section: "catalog", figure: "peak memory of the provider process", value: mib(provPeak),
			target: "< " + mib(targetCatalogMem), met: provPeak > 0 && provPeak < targetCatalogMem, hasTarget: true,
			how: "VmHWM of the terraform-provider-oxen child of terraform, read from /proc every 10 ms while it lives (max over runs)"},
		{section: "catalog", figure: "peak memory of terraform itself", value: mib(tfPeak),
			how: "VmHWM of the terraform process, sampled the same way; for context (it holds the models too)"},
		{section: "catalog", figure: "largest process of the run (wait4 ru_maxrss)", value: mib(treePeak),
			how: "rusage of the terraform child: max RSS over terraform and the plugins it waited for; cross-checks the two above"},
	}, nil
}

// memWatch samples VmHWM of terraform and of its provider plugin children.
type memWatch struct {
	done     chan struct{}
	finished chan struct{}
	provider int64
	tf       int64
}

func watchMemory(pid int) *memWatch {
	w := &memWatch{done: make(chan struct{}), finished: make(chan struct{})}
	go func() {
		defer close(w.finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			if v := vmHWM(pid); v > w.tf {
				w.tf = v
			}
			for _, c := range children(pid) {
				if v := vmHWM(c); v > w.provider {
					w.provider = v
				}
			}
			select {
			case <-w.done:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *memWatch) stop()                 { close(w.done); <-w.finished }
func (w *memWatch) peaks() (int64, int64) { return w.provider, w.tf }

// children lists the pids whose parent is pid and whose command is a
// terraform provider plugin.
func children(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		c, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces, so cut at the last ')'.
		s := string(stat)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) < 2 || fields[1] != strconv.Itoa(pid) {
			continue
		}
		if strings.HasPrefix(s[open+1:end], "terraform-provi") {
			out = append(out, c)
		}
	}
	return out
}

// vmHWM is the peak resident set size of pid in bytes, 0 when unreadable.
func vmHWM(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// ---- waiting -----------------------------------------------------------------

func (b *bench) waiting() ([]row, error) {
	if b.opts.skipWait {
		return []row{{section: "waiting", figure: "(skipped with -skip-wait)", value: "–"}}, nil
	}
	model, err := inactiveCustomModel()
	if err != nil {
		return nil, err
	}
	var rows []row

	// The 1- and 5-minute cases on a fake clock, measured by the provider's
	// own acceptance test: the real CLI and the provider's own wait, with
	// the simulator's deployments on the same fake clock.
	faked, err := b.acceptanceWaitFigures()
	if err != nil {
		return nil, err
	}
	for _, f := range faked {
		r := row{section: "waiting", figure: fmt.Sprintf("%s deployment, fake clock: status requests / late by", f.deploy), value: f.String(),
			how: "TestAccModelActivation_waitFigures (internal/provider): real CLI and provider, simulator and provider on one fake clock; requests = live status GETs of the model during the apply"}
		if f.deploy == fiveMinutes {
			r.target = fmt.Sprintf("≤ %d / ≤ %s", targetWaitReqs, targetWaitLate)
			r.met, r.hasTarget = f.gets <= targetWaitReqs && f.late <= targetWaitLate && f.late >= 0, true
		}
		rows = append(rows, r)
	}

	durations := []time.Duration{b.opts.waitTime}
	if b.opts.waitReal {
		durations = append(durations, fiveMinutes)
	}
	for _, d := range durations {
		w, err := b.realWait(model, d)
		if err != nil {
			return nil, err
		}
		r := row{section: "waiting", figure: fmt.Sprintf("%s deployment, real `terraform apply`: status requests / late by", d), value: w.String(),
			how: "real CLI and provider binary, simulator on the wall clock; requests = GETs of the model during the whole apply (plan included); late = apply exit − (activate request + deploy time)"}
		if d == fiveMinutes {
			r.target = fmt.Sprintf("≤ %d / ≤ %s", targetWaitReqs, targetWaitLate)
			r.met, r.hasTarget = w.gets <= targetWaitReqs && w.late <= targetWaitLate && w.late >= 0, true
		}
		rows = append(rows, r)
	}
	return rows, nil
}

type waitFigures struct {
	deploy time.Duration
	gets   int
	late   time.Duration
}

func (w waitFigures) String() string { return fmt.Sprintf("%d / %s", w.gets, sc3(w.late)) }

// inactiveCustomModel picks a custom model of the seed whose deployment
// starts inactive, so that an apply activates it and waits.
func inactiveCustomModel() (string, error) {
	for _, raw := range oxensim.SeedCustomModels() {
		var m oxen.Model
		if err := json.Unmarshal(raw, &m); err != nil {
			return "", err
		}
		if m.Status() == oxen.StatusInactive || m.Status() == "" {
			return m.ID, nil
		}
	}
	return "", errors.New("the seed has no inactive custom model")
}

// acceptanceWaitFigures runs the provider's wait-figures acceptance test
// with this harness's Terraform and reads the figures it logs.
func (b *bench) acceptanceWaitFigures() ([]waitFigures, error) {
	cmd := exec.Command("go", "test", "./internal/provider", "-run", "^TestAccModelActivation_waitFigures$", "-count=1", "-v")
	cmd.Dir = b.root
	cmd.Env = append(os.Environ(), "TF_ACC=1", "CHECKPOINT_DISABLE=1", "TF_ACC_TERRAFORM_PATH="+b.opts.terraform)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("TestAccModelActivation_waitFigures: %w\n%s", err, out)
	}
	line := regexp.MustCompile(`(\S+) deployment: (\d+) live status requests .*, apply returned (\S+) after it settled`)
	var figures []waitFigures
	for _, m := range line.FindAllStringSubmatch(string(out), -1) {
		deploy, err1 := time.ParseDuration(m[1])
		gets, err2 := strconv.Atoi(m[2])
		late, err3 := time.ParseDuration(m[3])
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("reading %q: %w", m[0], err)
		}
		figures = append(figures, waitFigures{deploy: deploy, gets: gets, late: late})
	}
	if len(figures) == 0 {
		return nil, fmt.Errorf("TestAccModelActivation_waitFigures logged no figures:\n%s", out)
	}
	slices.SortFunc(figures, func(a, b waitFigures) int { return int(a.deploy - b.deploy) })
	return figures, nil
}

func (b *bench) realWait(model string, deploy time.Duration) (waitFigures, error) {
	s, err := startSim(oxensim.Options{DeployDuration: deploy})
	if err != nil {
		return waitFigures{}, err
	}
	defer s.close()
	name := fmt.Sprintf("wait-%s", deploy)
	dir, err := b.workdir(name, fmt.Sprintf("terraform {\n  required_providers {\n    oxen = { source = \"oxen-ai/oxen\" }\n  }\n}\n\n"+
		"resource \"oxen_model_activation\" \"bench\" {\n  model_id = %q\n}\n", model))
	if err != nil {
		return waitFigures{}, err
	}
	log.Printf("waiting: real apply of a %s deployment of %s", deploy, model)
	s.ResetRequests()
	r, err := b.terraform(dir, s, "apply", "-input=false", "-auto-approve", "-no-color")
	if err != nil {
		return waitFigures{}, err
	}
	var activated time.Time
	gets := 0
	for _, q := range s.Requests() {
		switch {
		case q.Method == http.MethodPost && strings.HasSuffix(q.Path, "/activate"):
			activated = q.Time
		case q.Method == http.MethodGet && strings.HasPrefix(q.Path, oxensim.ModelsPath+"/"+model):
			gets++
		}
	}
	if activated.IsZero() {
		return waitFigures{}, errors.New("the apply sent no activate request")
	}
	if st, _ := s.Status(model); st != oxensim.StatusActive {
		return waitFigures{}, fmt.Errorf("after apply the model is %q, not active", st)
	}
	// Leave nothing running in the simulator's clocked deployment: destroy.
	if _, err := b.terraform(dir, s, "destroy", "-input=false", "-auto-approve", "-no-color"); err != nil {
		return waitFigures{}, err
	}
	return waitFigures{gets: gets, late: r.end.Sub(activated.Add(deploy))}, nil
}

// ---- output ------------------------------------------------------------------

type row struct {
	section, figure, value, target, how string
	met, hasTarget                      bool
}

func render(o options, tfVersion string, rows []row) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "# End-to-end benchmark\n\n")
	fmt.Fprintf(&sb, "%s on %s/%s, %d CPUs, %s; made by `make bench` (`go run ./internal/bench/cmd/e2e -runs %d -latency %s -catalog-size %d%s`).\n\n",
		tfVersion, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), time.Now().UTC().Format("2006-01-02 15:04 MST"),
		o.runs, o.latency, o.catalogSize, map[bool]string{true: " -wait-real", false: ""}[o.waitReal])
	// Wall times on a shared 2-core machine move with its load; say what it was.
	if la, err := os.ReadFile("/proc/loadavg"); err == nil {
		fmt.Fprintf(&sb, "Load average at the end of the run (1, 5, 15 min): %s.\n\n", strings.Join(strings.Fields(string(la))[:3], ", "))
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

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func spread(d []time.Duration) string {
	return fmt.Sprintf("min %s, max %s", sc3(slices.Min(d)), sc3(slices.Max(d)))
}

func sc3(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// mib prints bytes in MB (10^6), the unit of the targets.
func mib(n int64) string { return fmt.Sprintf("%.0f MB", float64(n)/1e6) }

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

// moduleRoot walks up from the working directory to the provider's go.mod.
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
