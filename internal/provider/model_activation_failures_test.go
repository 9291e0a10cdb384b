package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

const slowCreate = `  timeouts {
    create = "30s"
  }`

// A create that times out leaves the deployment going and the resource
// tainted. The error's advice is followed to the letter: untaint, then
// apply. That apply keeps waiting for the same deployment: no deactivate,
// no second activate, and the deployment ends active.
func TestAccModelActivation_createTimeoutUntaintKeepsWaiting(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-2"
	addr := "oxen_model_activation.slow"
	workDir := t.TempDir()
	untaintThenApply := endsActive(env.config(activationConfig("slow", model, slowCreate)), addr, plancheck.ResourceActionUpdate,
		resource.ComposeAggregateTestCheckFunc(
			env.expectSimStatus(model, "active"),
			env.expectChangeRequests(model, 1, 0),
		))
	untaintThenApply.PreConfig = func() { untaint(t, workDir, addr) }
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		WorkingDir:               workDir,
		CheckDestroy:             env.expectSimStatus(model, "inactive"),
		Steps: []resource.TestStep{{
			// The deployment takes 60s; a 30s create timeout runs out first.
			Config: env.config(activationConfig("slow", model, slowCreate)),
			ExpectError: wrapped(`Timed out waiting for model "acc-custom-2" .* still "deploying" after 30s .* ` +
				`did not reach "active" within the create timeout, and the hub goes on with it. .* ` +
				"marks the resource tainted. To keep waiting without starting over, run `terraform untaint` " +
				"(`tofu untaint` on OpenTofu) with the resource address shown with this error, then apply again .* " +
				`A plain apply instead replaces the tainted resource: it deactivates the deployment .* ` +
				`raise create in the resource's timeouts block`),
		}, untaintThenApply},
	})
}

// The other half of the advice: a plain apply after a create timeout
// replaces the tainted resource, deactivating the deployment under way
// and activating it again from the start.
func TestAccModelActivation_createTimeoutPlainApplyStartsOver(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-2"
	addr := "oxen_model_activation.slow"
	env.testActivation(model, resource.TestStep{
		Config:      env.config(activationConfig("slow", model, slowCreate)),
		ExpectError: wrapped(`Timed out waiting for model "acc-custom-2"`),
	}, endsActive(env.config(activationConfig("slow", model, "")), addr, plancheck.ResourceActionDestroyBeforeCreate,
		env.expectChangeRequests(model, 2, 1)))
}

// insufficientCredits is the hub's refusal of an activation.
func insufficientCredits(model string) oxensim.Fault {
	return oxensim.Fault{Method: "POST", PathPrefix: "/api/ai/models/" + model + "/activate", Status: 402}
}

// A create whose activate the hub refuses (402 insufficient_credits)
// changed nothing, so it records nothing: the next plan is a plain create,
// not the replacement of a tainted resource.
func TestAccModelActivation_refusedCreateRecordsNothing(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-7"
	env.refusedCreate(model, []oxensim.Fault{insufficientCredits(model)},
		`Could not activate model "acc-custom-7" .* 402 Payment Required: `+
			`Your account does not have enough credits (request id req_ .* `+
			`The deployment was not changed, and nothing is recorded in state.`,
		plancheck.ResourceActionCreate, env.expectChangeRequests(model, 2, 0))
}

// refusedCreate is the test of a create of model that fails, with the
// error refusal, on the faults the hub is given, and of the apply after it,
// which plans action and ends active; check looks at how it got there.
func (e *testEnv) refusedCreate(model string, faults []oxensim.Fault, refusal string, action plancheck.ResourceActionType, check resource.TestCheckFunc) {
	e.t.Helper()
	cfg := e.config(activationConfig("bot", model, ""))
	e.testActivation(model, resource.TestStep{
		PreConfig: func() {
			for _, f := range faults {
				e.sim.InjectFault(f)
			}
		},
		Config:      cfg,
		ExpectError: wrapped(refusal),
	}, endsActive(cfg, "oxen_model_activation.bot", action, check))
}

// An update whose activate the hub refuses leaves the state exactly as it
// was before the apply.
func TestAccModelActivation_refusedUpdateKeepsPriorState(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-7"
	addr := "oxen_model_activation.bot"
	rpcs := &rpcRecorder{}
	factories := env.wrappedFactories(rpcs.wrap)
	retried := endsActive(env.config(activationConfig("bot", model, "")), addr, plancheck.ResourceActionUpdate,
		env.expectChangeRequests(model, 2, 0))
	// What the refused apply answered: its prior state, unchanged.
	retried.PreConfig = func() {
		last, err := rpcs.lastApply()
		if err != nil {
			t.Fatal(err)
		}
		if !last.errored || !last.next.Equal(last.prior) {
			t.Fatalf("the refused update returned state\n%v\nwant the prior state\n%v", last.next, last.prior)
		}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy:             env.expectSimStatus(model, "inactive"),
		Steps: []resource.TestStep{{
			Config:            env.config(activationConfig("bot", model, "  active = false")),
			ConfigStateChecks: []statecheck.StateCheck{statusIs(addr, "inactive")},
		}, {
			PreConfig: func() { env.sim.InjectFault(insufficientCredits(model)) },
			Config:    env.config(activationConfig("bot", model, "")),
			ExpectError: wrapped(`Could not activate model "acc-custom-7" .* 402 Payment Required .* ` +
				`The deployment was not changed, and the state is left as it was.`),
		}, retried},
	})
}

// A 4xx is a refusal only if nothing changed: here the hub acted on a
// first attempt whose answer was lost, and refused the retry. The model
// is deploying, so it stays in state and the error says the hub may have
// acted.
func TestAccModelActivation_refusalAfterAnActedAttemptKeepsState(t *testing.T) {
	env := newTestEnv(t)
	const model = "acc-custom-8"
	path := "/api/ai/models/" + model + "/activate"
	acted := []oxensim.Fault{{Method: "POST", PathPrefix: path, Truncate: true}, {Method: "POST", PathPrefix: path, Status: 409}}
	env.refusedCreate(model, acted,
		`Could not activate model "acc-custom-8" .* 409 Conflict .* `+
			`The hub may have acted on the request. The model stays in state, and Terraform or OpenTofu marks the resource tainted.`,
		plancheck.ResourceActionDestroyBeforeCreate, func(*terraform.State) error {
			if n := env.sim.PendingFaults(); n != 0 {
				return fmt.Errorf("%d faults never fired: the test proves nothing", n)
			}
			return nil
		})
}
