package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/figures"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// waitFiguresTest is the acceptance test that measures waiting on a fake
// clock and records its figures with package figures.
const waitFiguresTest = "TestAccModelActivation_waitFigures"

func (b *bench) waiting(ctx context.Context) ([]row, error) {
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
	faked, err := b.acceptanceWaitFigures(ctx)
	if err != nil {
		return nil, err
	}
	for _, f := range faked {
		r := row{section: "waiting", figure: fmt.Sprintf("%s deployment, fake clock: status requests / late by", f.Deploy), value: waitValue(f),
			how: waitFiguresTest + " (internal/provider): real CLI and provider, simulator and provider on one fake clock; requests = live status GETs of the model during the apply"}
		if f.Deploy == fiveMinutes {
			r.target = fmt.Sprintf("≤ %d / ≤ %s", targetWaitReqs, targetWaitLate)
			r.met, r.hasTarget = f.LiveStatusRequests <= targetWaitReqs && f.Late <= targetWaitLate && f.Late >= 0, true
		}
		rows = append(rows, r)
	}

	durations := []time.Duration{b.opts.waitTime}
	if b.opts.waitReal {
		durations = append(durations, fiveMinutes)
	}
	for _, d := range durations {
		w, err := b.realWait(ctx, model, d)
		if err != nil {
			return nil, err
		}
		r := row{section: "waiting", figure: fmt.Sprintf("%s deployment, real `terraform apply`: status requests / late by", d), value: waitValue(w),
			how: "real CLI and provider binary, simulator on the wall clock; requests = live status GETs of the model during the whole apply (plan included); late = apply exit − (activate request + deploy time)"}
		if d == fiveMinutes {
			r.target = fmt.Sprintf("≤ %d / ≤ %s", targetWaitReqs, targetWaitLate)
			r.met, r.hasTarget = w.LiveStatusRequests <= targetWaitReqs && w.Late <= targetWaitLate && w.Late >= 0, true
		}
		rows = append(rows, r)
	}
	return rows, nil
}

func waitValue(w figures.Wait) string {
	return fmt.Sprintf("%d / %s", w.LiveStatusRequests, seconds(w.Late))
}

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
// with this harness's Terraform and reads the figures it records.
func (b *bench) acceptanceWaitFigures(ctx context.Context) ([]figures.Wait, error) {
	dir := filepath.Join(b.tmp, "figures")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	cmd := exec.CommandContext(ctx, goCmd(), "test", "./internal/provider", "-run", "^"+waitFiguresTest+"$", "-count=1", "-timeout", "10m")
	cmd.Dir = b.root
	cmd.Env = append(os.Environ(), "TF_ACC=1", "CHECKPOINT_DISABLE=1", "TF_ACC_TERRAFORM_PATH="+b.opts.terraform, figures.DirEnv+"="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s: %w\n%s", waitFiguresTest, err, out)
	}
	got, err := figures.Read[figures.Wait](dir)
	if err != nil {
		return nil, err
	}
	if len(got) == 0 {
		return nil, fmt.Errorf("%s passed but recorded no figures in %s (does it still call figures.Record?):\n%s", waitFiguresTest, dir, out)
	}
	slices.SortFunc(got, func(a, b figures.Wait) int { return int(a.Deploy - b.Deploy) })
	return got, nil
}

// realWait applies an activation against the simulator on the wall clock
// and measures the status requests and how late apply returned.
func (b *bench) realWait(ctx context.Context, model string, deploy time.Duration) (figures.Wait, error) {
	sim := oxensim.New(oxensim.Options{APIKey: apiKey, DeployDuration: deploy})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return figures.Wait{}, err
	}
	srv := &http.Server{Handler: sim, ErrorLog: log.New(io.Discard, "", 0)}
	go srv.Serve(ln) //nolint:errcheck // ends with Close
	defer srv.Close()
	baseURL := "http://" + ln.Addr().String()

	dir, err := b.workdir(ctx, fmt.Sprintf("wait-%s", deploy), requiredProviders("oxen")+
		fmt.Sprintf("resource \"oxen_model_activation\" \"bench\" {\n  model_id = %q\n}\n", model))
	if err != nil {
		return figures.Wait{}, err
	}
	log.Printf("waiting: real apply of a %s deployment of %s", deploy, model)
	sim.ResetRequests()
	r, err := b.terraform(ctx, dir, baseURL, false, "apply", "-input=false", "-auto-approve", "-no-color")
	if err != nil {
		return figures.Wait{}, err
	}
	var activated time.Time
	live := 0
	for _, q := range sim.Requests() {
		switch {
		case q.Method == http.MethodPost && strings.HasSuffix(q.Path, "/activate"):
			activated = q.Time
		case q.Method == http.MethodGet && q.Path == oxensim.ModelsPath+"/"+model && strings.Contains(q.RawQuery, "deployment_status=live"):
			live++
		}
	}
	if activated.IsZero() {
		return figures.Wait{}, errors.New("the apply sent no activate request")
	}
	if st, _ := sim.Status(model); st != oxensim.StatusActive {
		return figures.Wait{}, fmt.Errorf("after apply the model is %q, not active", st)
	}
	// Leave nothing running in the simulator's clocked deployment: destroy.
	if _, err := b.terraform(ctx, dir, baseURL, false, "destroy", "-input=false", "-auto-approve", "-no-color"); err != nil {
		return figures.Wait{}, err
	}
	return figures.Wait{Deploy: deploy, LiveStatusRequests: live, Late: r.end.Sub(activated.Add(deploy))}, nil
}
