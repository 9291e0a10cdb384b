package provider

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// TestAccModelActivation_interruptedWait does what Ctrl-C does: Terraform
// sends StopProvider while apply waits for a deployment. The wait must end
// at once, the deployment must stay in state (not tainted), and the next
// apply must finish the wait without a second activate or any deactivate.
func TestAccModelActivation_interruptedWait(t *testing.T) {
	const model = "acc-custom-6"
	var (
		rec   rpcRecorder
		ctrlC = interrupter{rec: &rec}
	)
	env := newTestEnv(t, ctrlC.after(model, "activate"))
	factories := env.wrappedFactories(rec.wrap)
	start := env.clock.Now()
	cfg := env.config(activationConfig("bot", model, ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			ctrlC.interruptedApply(cfg, func() { ctrlC.armed.Store(true) }, "deploying", func() error {
				// The wait was interrupted during its first poll: it must not
				// have slept at all, nor let any (fake) time pass.
				if sleeps := env.clock.Sleeps(); len(sleeps) != 0 {
					return fmt.Errorf("the interrupted wait slept %v after Ctrl-C, want no sleep", sleeps)
				}
				if waited := env.clock.Now().Sub(start); waited != 0 {
					return fmt.Errorf("the interrupted wait went on for %s, want 0", waited)
				}
				return expectDiags(&rec, "ApplyResourceChange", wantWarning(`Stopped waiting for model "acc-custom-6"`,
					`The hub accepted the activate request; the wait was then interrupted with the deployment in status `+
						`"deploying", on its way to "active". The model stays in state; the next plan shows its real status, `+
						`and the next apply waits for it to reach "active" without sending another activate request while it is still on its way.`))(nil)
			}),
			{
				Config: cfg,
				// Refresh found the real status: an in-place update, not a replacement.
				ConfigPlanChecks:  finishesInPlace,
				ConfigStateChecks: []statecheck.StateCheck{statusIs("oxen_model_activation.bot", "active")},
				Check: func(*terraform.State) error {
					if n := env.sim.CountRequests("POST", "/api/ai/models/"+model+"/activate"); n != 1 {
						return fmt.Errorf("%d activate requests, want exactly 1 (the wait resumes, it does not re-activate)", n)
					}
					if n := env.sim.CountRequests("POST", "/api/ai/models/"+model+"/deactivate"); n != 0 {
						return fmt.Errorf("%d deactivate requests after an interrupt, want 0", n)
					}
					return nil
				},
			},
		},
	})
}

// interrupter presses Ctrl-C on the provider that rec serves for the
// current command: while a change request is on its way (during), or, once
// armed, at the first live status poll after the hub received one (after),
// while apply or destroy waits for the deployment. rec.count("StopProvider")
// tells whether it fired.
type interrupter struct {
	rec       *rpcRecorder
	armed     atomic.Bool
	mu        sync.Mutex
	requested bool
}

// after is the simulator option that watches for request ("activate" or
// "deactivate") of model, then for the poll.
func (p *interrupter) after(model, request string) envOption {
	return func(o *oxensim.Options) {
		o.OnRequest = func(r oxensim.Request) {
			p.mu.Lock()
			defer p.mu.Unlock()
			if r.Method == "POST" && strings.HasSuffix(r.Path, model+"/"+request) {
				p.requested = true
				return
			}
			if p.requested && p.armed.Load() && r.Method == "GET" && strings.Contains(r.RawQuery, "deployment_status=live") {
				p.armed.Store(false)
				p.rec.pressCtrlC()
			}
		}
	}
}

// during makes the hub hold the next POST to path until its client gives up
// (or 10s pass, which leaves the test's checks to fail), and presses Ctrl-C
// the moment the request arrives.
func (p *interrupter) during(sim *oxensim.Server, path string) {
	sim.InjectHold(oxensim.Hold{
		Match:  func(r oxensim.Request) bool { return r.Method == "POST" && r.Path == path },
		Max:    10 * time.Second,
		OnHold: func(oxensim.Request) { p.rec.pressCtrlC() },
	})
}

// deploymentIs checks the deployments the interrupted apply recorded.
func deploymentIs(status string) statecheck.StateCheck {
	return statecheck.ExpectKnownValue("oxen_model_activation.bot", tfjsonpath.New("deployments"), knownvalue.ListExact([]knownvalue.Check{
		knownvalue.ObjectExact(map[string]knownvalue.Check{"status": knownvalue.StringExact(status)}),
	}))
}

// interruptedApply is the step of an apply that arm sets up to be
// interrupted: the apply ends with the deployment recorded in status, short
// of "active", so the plan right after it is not empty. Its check fails
// unless Ctrl-C was pressed, then runs then.
func (p *interrupter) interruptedApply(cfg string, arm func(), status string, then func() error) resource.TestStep {
	return resource.TestStep{
		PreConfig:          arm,
		Config:             cfg,
		ExpectNonEmptyPlan: true,
		ConfigStateChecks:  []statecheck.StateCheck{deploymentIs(status)},
		Check: func(*terraform.State) error {
			if p.rec.count("StopProvider") == 0 {
				return fmt.Errorf("the interrupt never fired")
			}
			return then()
		},
	}
}

// finishesInPlace is the plan after an interrupted create: an update to
// "active", not a replacement.
var finishesInPlace = resource.ConfigPlanChecks{
	PreApply: []plancheck.PlanCheck{
		plancheck.ExpectResourceAction("oxen_model_activation.bot", plancheck.ResourceActionUpdate),
		plancheck.ExpectKnownValue("oxen_model_activation.bot", tfjsonpath.New("status"), knownvalue.StringExact("active")),
	},
}

// TestAccModelActivation_interruptedActivateRequest presses Ctrl-C while
// the activate request itself is on its way, before the hub has answered.
// The warning must not promise that the next apply only waits: the hub may
// never have seen the request, and here it did not (the deployment is still
// inactive), so the next apply sends activate, exactly once.
func TestAccModelActivation_interruptedActivateRequest(t *testing.T) {
	const model = "acc-custom-7"
	var (
		rec   rpcRecorder
		ctrlC = interrupter{rec: &rec}
	)
	env := newTestEnv(t)
	factories := env.wrappedFactories(rec.wrap)
	activatePath := oxensim.ModelsPath + "/" + model + "/activate"
	cfg := env.config(activationConfig("bot", model, ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{
			ctrlC.interruptedApply(cfg, func() { ctrlC.during(env.sim, activatePath) }, "inactive", func() error {
				for _, r := range env.sim.Requests() {
					if r.Method == "POST" && r.Status != 0 {
						return fmt.Errorf("the hub answered the interrupted %s %s with %d, want it abandoned unanswered", r.Method, r.Path, r.Status)
					}
				}
				if st, _ := env.sim.Status(model); st != "inactive" {
					return fmt.Errorf("the hub has the deployment %q, want it untouched (inactive)", st)
				}
				return expectDiags(&rec, "ApplyResourceChange", wantWarning(`Interrupted while asking to activate model "acc-custom-7"`,
					`Apply was interrupted while the activate request was in flight, so it is not known whether the hub `+
						`received it. The deployment was last seen in status "inactive", before the request. The model stays in state; `+
						`the next plan shows its real status, and the next apply sends activate again unless the deployment is `+
						`by then "deploying" or "active".`))(nil)
			}),
			{
				PreConfig:         func() { env.sim.ResetRequests() },
				Config:            cfg,
				ConfigPlanChecks:  finishesInPlace,
				ConfigStateChecks: []statecheck.StateCheck{statusIs("oxen_model_activation.bot", "active")},
				Check: func(*terraform.State) error {
					if n := env.sim.CountRequests("POST", activatePath); n != 1 {
						return fmt.Errorf("the apply after the interrupt sent %d activate requests, want exactly 1", n)
					}
					if n := env.sim.CountRequests("POST", oxensim.ModelsPath+"/"+model+"/deactivate"); n != 0 {
						return fmt.Errorf("%d deactivate requests after an interrupt, want 0", n)
					}
					return env.expectSimStatus(model, "active")(nil)
				},
			},
		},
	})
}

// TestAccModelActivation_interruptedBeforeTheRequest presses Ctrl-C while
// apply is still reading the deployment, before it has asked the hub for
// anything: the create fails saying nothing was changed or recorded, and
// the next apply activates the model with one request.
func TestAccModelActivation_interruptedBeforeTheRequest(t *testing.T) {
	const model = "acc-custom-8"
	env := newTestEnv(t)
	// Apply's first read of the deployment is held, and Ctrl-C pressed the
	// moment it arrives.
	hold := overlappingLiveReads(model)
	hold.Together, hold.Max = 0, 10*time.Second
	var rec rpcRecorder
	hold.OnHold = func(oxensim.Request) { rec.pressCtrlC() }
	rec.runBefore("ApplyResourceChange", meeting(1, func() { env.sim.InjectHold(hold) }))
	cfg := env.config(activationConfig("bot", model, ""))
	env.testRecorded(&rec, resource.TestStep{
		Config:      cfg,
		ExpectError: wrapped(`Could not activate model "acc-custom-8" .* The operation was interrupted; run it again to finish. .* The deployment was not changed, and nothing is recorded in state.`),
	}, resource.TestStep{
		PreConfig: func() {
			if rec.count("StopProvider") == 0 {
				t.Fatal("the interrupt never fired")
			}
			if n := env.sim.CountRequests("POST", "/"); n != 0 {
				t.Fatalf("the interrupted create sent %d POST requests, want 0", n)
			}
		},
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{
				plancheck.ExpectResourceAction("oxen_model_activation.bot", plancheck.ResourceActionCreate),
			},
		},
		ConfigStateChecks: []statecheck.StateCheck{statusIs("oxen_model_activation.bot", "active")},
		Check: func(*terraform.State) error {
			if n := env.sim.CountRequests("POST", oxensim.ModelsPath+"/"+model+"/activate"); n != 1 {
				return fmt.Errorf("%d activate requests in all, want exactly 1", n)
			}
			return nil
		},
	})
}

// Ctrl-C during terraform destroy: while it waits for the deployment to
// stop, or while the deactivate request is on its way (here the hub never
// acts on it). The error says, in words, how far the deactivation got and
// what running destroy again does, and doing so does just that: wait
// without a second deactivate request, or send deactivate once.
func TestAccModelActivation_interruptedDestroy(t *testing.T) {
	const waitAccepted = `Stopped waiting for model "acc-custom-6" The hub accepted the deactivate request; the ` +
		`wait was then interrupted with the deployment in status "deactivating", on its way to "inactive". The ` +
		`model stays in state; run the same command again (the destroy, or the apply that removed the resource): ` +
		`it reads the real status and waits for it to reach "inactive" without sending another deactivate ` +
		`request while it is still on its way.`
	const requestInFlight = `Interrupted while asking to deactivate model "acc-custom-7" Destroying the resource ` +
		`was interrupted while the deactivate request was in flight, so it is not known whether the hub received ` +
		`it. The deployment was last seen in status "active", before the request. The model stays in state; run ` +
		`the same command again (the destroy, or the apply that removed the resource): it reads the real status ` +
		`and sends deactivate again unless the deployment is by then "deactivating" or "inactive".`
	cases := []struct {
		name, model, want string
		inFlight          bool
		statusBetween     string // the hub's status after the interrupt
		deactivatesAfter  int    // deactivate requests of the destroy run again
	}{
		{"while_waiting", "acc-custom-6", waitAccepted, false, "deactivating", 0},
		{"request_in_flight", "acc-custom-7", requestInFlight, true, "active", 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var rec rpcRecorder
			ctrlC := interrupter{rec: &rec}
			env := newTestEnv(t, ctrlC.after(c.model, "deactivate"))
			cfg := env.config(activationConfig("bot", c.model, ""))
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: env.wrappedFactories(rec.wrap),
				CheckDestroy:             env.expectSimStatus(c.model, "inactive"),
				Steps: []resource.TestStep{{
					Config: cfg,
				}, {
					PreConfig: func() {
						if c.inFlight {
							ctrlC.during(env.sim, oxensim.ModelsPath+"/"+c.model+"/deactivate")
						} else {
							ctrlC.armed.Store(true)
						}
					},
					Config:      cfg,
					Destroy:     true,
					ExpectError: wrapped(c.want),
				}, {
					PreConfig: func() {
						if rec.count("StopProvider") == 0 {
							t.Fatal("the interrupt never fired")
						}
						if st, _ := env.sim.Status(c.model); st != c.statusBetween {
							t.Fatalf("after the interrupt the hub has the deployment %q, want %q", st, c.statusBetween)
						}
						env.sim.ResetRequests()
					},
					Config:  cfg,
					Destroy: true,
					Check:   env.expectChangeRequests(c.model, 0, c.deactivatesAfter),
				}},
			})
		})
	}
}
