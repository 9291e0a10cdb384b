package provider

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
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
		current   atomic.Pointer[tfprotov6.ProviderServer]
		armed     atomic.Bool
		fired     atomic.Bool
		mu        sync.Mutex
		activated bool
	)
	env := newTestEnv(t, func(o *oxensim.Options) {
		o.OnRequest = func(r oxensim.Request) {
			mu.Lock()
			defer mu.Unlock()
			if r.Method == "POST" && strings.HasSuffix(r.Path, model+"/activate") {
				activated = true
				return
			}
			// The first status poll after the activate request: press Ctrl-C.
			if activated && armed.Load() && r.Method == "GET" && strings.Contains(r.RawQuery, "deployment_status=live") {
				armed.Store(false)
				if s := current.Load(); s != nil {
					(*s).StopProvider(context.Background(), &tfprotov6.StopProviderRequest{})
					fired.Store(true)
				}
			}
		}
	})
	factories := env.wrappedFactories(func(s tfprotov6.ProviderServer) tfprotov6.ProviderServer {
		current.Store(&s)
		return s
	})
	start := env.clock.Now()
	cfg := env.config(activationConfig("bot", model, ""))
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			PreConfig: func() { armed.Store(true) },
			Config:    cfg,
			// The deployment is still deploying, so a plan right after the
			// interrupted apply wants to finish the job.
			ExpectNonEmptyPlan: true,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("oxen_model_activation.bot", tfjsonpath.New("deployments"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{"status": knownvalue.StringExact("deploying")}),
				})),
			},
			Check: func(*terraform.State) error {
				if !fired.Load() {
					return fmt.Errorf("the interrupt never fired")
				}
				// The wait was interrupted during its first poll: it must not
				// have slept at all, nor let any (fake) time pass.
				if sleeps := env.clock.Sleeps(); len(sleeps) != 0 {
					return fmt.Errorf("the interrupted wait slept %v after Ctrl-C, want no sleep", sleeps)
				}
				if waited := env.clock.Now().Sub(start); waited != 0 {
					return fmt.Errorf("the interrupted wait went on for %s, want 0", waited)
				}
				return nil
			},
		}, {
			Config: cfg,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					// Refresh found the real status: an in-place update, not a replacement.
					plancheck.ExpectResourceAction("oxen_model_activation.bot", plancheck.ResourceActionUpdate),
					plancheck.ExpectKnownValue("oxen_model_activation.bot", tfjsonpath.New("status"), knownvalue.StringExact("active")),
				},
			},
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
		}},
	})
}
