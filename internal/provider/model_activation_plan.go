package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/pricing"
)

// hourlyRateKey is the private state key under which every read of the
// model keeps its hourly rate, so that a plan can price a change of status
// without asking the hub again.
const hourlyRateKey = "hourly_rate"

// hourlyRate is what an hour of a model's running deployment costs; a nil
// perHour means the model is not billed by time.
type hourlyRate struct {
	perHour *big.Rat
}

func rateOf(m *oxen.Model) hourlyRate {
	perHour, billed := pricing.CostPerHour(pricingFromAPI(m.Pricing))
	if !billed {
		return hourlyRate{}
	}
	return hourlyRate{perHour: perHour}
}

// cost is cost_per_hour for a deployment in status: nothing is billed by
// time while it is inactive, and any other status (active, or on its way
// somewhere) is priced as running, so that a budget never counts too low.
func (h hourlyRate) cost(status string) types.Number {
	switch {
	case h.perHour == nil:
		return types.NumberNull()
	case status == oxen.StatusInactive:
		return numberFromRat(new(big.Rat))
	default:
		return numberFromRat(h.perHour)
	}
}

// storedRate is the private state form of hourlyRate: the exact fraction,
// or null.
type storedRate struct {
	PerHour *string `json:"per_hour"`
}

func (h hourlyRate) encode() []byte {
	var s storedRate
	if h.perHour != nil {
		text := h.perHour.RatString()
		s.PerHour = &text
	}
	b, _ := json.Marshal(s) // a struct of one string pointer always marshals
	return b
}

// decodeRate reads what encode wrote; ok is false when nothing usable was
// stored (a state written before the rate was kept).
func decodeRate(b []byte) (h hourlyRate, ok bool) {
	var s storedRate
	if len(b) == 0 || json.Unmarshal(b, &s) != nil {
		return hourlyRate{}, false
	}
	if s.PerHour == nil {
		return hourlyRate{}, true
	}
	perHour, ok := new(big.Rat).SetString(*s.PerHour)
	return hourlyRate{perHour: perHour}, ok
}

// ModifyPlan makes the plan show what apply will reach (id, status, cost)
// and warns of what apply will do that the plan's diff does not say: for a
// new resource, what happens to the deployment it adopts; for a resource
// being destroyed, that a serving deployment stops; for any, that it acts
// on a deployment in error. It fails a plan that names a missing model or a
// base model, before anything is applied.
func (r *ModelActivationResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if req.Plan.Raw.IsNull() {
		if !req.State.Raw.IsNull() {
			resp.Diagnostics.Append(destroyWarning(ctx, req.State)...)
		}
		return
	}
	var plan modelActivationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"), plan.ModelID)...)

	// A resource already in state was read during this plan's refresh, which
	// kept the model's rate; only a new one needs a look at the model.
	creating := req.State.Raw.IsNull()
	var (
		rate      hourlyRate
		rateKnown bool
		adopted   *oxen.Model
	)
	switch {
	case !creating:
		stored, diags := req.Private.GetKey(ctx, hourlyRateKey)
		resp.Diagnostics.Append(diags...)
		rate, rateKnown = decodeRate(stored)
	case !plan.ModelID.IsUnknown() && r.data != nil:
		modelID := plan.ModelID.ValueString()
		// The hub's recorded status, without asking the serving backend
		// (apply reads the live status before it changes anything).
		m, err := r.data.client.GetModel(ctx, modelID, oxen.GetOptions{})
		if err != nil {
			resp.Diagnostics.Append(apiErrorDiag(r.data, "plan the activation of model", modelID, err))
			return
		}
		if m.IsBase() {
			resp.Diagnostics.Append(baseModelDiag(modelID))
			return
		}
		adopted, rate, rateKnown = m, rateOf(m), true
	}

	if plan.Active.IsUnknown() {
		return // status, deployments and cost follow active: unknown until apply
	}
	want := plan.Active.ValueBool()
	target := types.StringValue(targetStatus(want))
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("status"), target)...)
	// Apply changes the deployment only when the status moves; only then is
	// the deployment list unknown until apply.
	var prior types.String // the status refresh read
	if !creating {
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("status"), &prior)...)
	}
	deployments := types.ListUnknown(types.ObjectType{AttrTypes: deploymentAttrTypes})
	if prior.Equal(target) {
		// Nothing will be asked of the hub (only a setting such as
		// deactivate_on_destroy changes): the deployments stay as read.
		resp.Diagnostics.Append(req.State.GetAttribute(ctx, path.Root("deployments"), &deployments)...)
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("deployments"), deployments)...)
	cost := types.NumberUnknown()
	if rateKnown {
		cost = rate.cost(target.ValueString())
	}
	resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("cost_per_hour"), cost)...)

	switch {
	case adopted != nil:
		if d := adoptionWarning(plan.ModelID.ValueString(), deploymentStatus(adopted), want, rate); d != nil {
			resp.Diagnostics.Append(d)
		}
	case !creating && !plan.ModelID.IsUnknown() && !plan.ModelID.Equal(stateModelID(ctx, req.State, &resp.Diagnostics)):
		// A new model_id replaces the resource: this plan destroys the old
		// one (the plan of the new one, a create, says what it adopts).
		resp.Diagnostics.Append(destroyWarning(ctx, req.State)...)
	case prior.ValueString() == oxen.StatusError:
		// Refresh read the error; the plan's diff shows only a status
		// change, not that apply acts on a failed deployment.
		resp.Diagnostics.Append(errorWarning(plan.ModelID.ValueString(), want, rate))
	}
}

func stateModelID(ctx context.Context, state tfsdk.State, diags *diag.Diagnostics) types.String {
	var modelID types.String
	diags.Append(state.GetAttribute(ctx, path.Root("model_id"), &modelID)...)
	return modelID
}

// costText is a cost_per_hour as the plan shows it.
func costText(perHour *big.Rat) string {
	return numberFromRat(perHour).ValueBigFloat().Text('f', -1)
}

// errorWarning tells what apply does to a deployment in error: try again,
// or stop it. Either way the plan shows only a change of status.
func errorWarning(modelID string, wantActive bool, rate hourlyRate) diag.Diagnostic {
	failed := fmt.Sprintf("Model %q is \"error\" in the hub: its deployment failed. ", modelID)
	if !wantActive {
		return diag.NewAttributeWarningDiagnostic(path.Root("active"),
			fmt.Sprintf("Apply will deactivate model %q, whose deployment failed", modelID),
			failed+"With active = false, apply sends deactivate and waits until the deployment is \"inactive\"; "+
				"it does not try to deploy the model again. To try again instead, set active = true.")
	}
	detail := failed + "With active = true, apply sends activate again and waits for the deployment to become " +
		"\"active\"; unless the cause of the failure has been fixed, it is likely to fail again. Check the model's " +
		"deployment in the Oxen hub first. To stop the deployment instead, set active = false."
	if rate.perHour != nil {
		detail += fmt.Sprintf(" The deployment is billed for as long as it is up: cost_per_hour = %s.", costText(rate.perHour))
	}
	return diag.NewAttributeWarningDiagnostic(path.Root("active"),
		fmt.Sprintf("Apply will try again to activate model %q, whose deployment failed", modelID), detail)
}

// destroyWarning tells what destroying the resource does to a deployment
// that is serving, on its way to serving, or in error. A removed resource
// or a destroy plans only "will be destroyed": without this, a model that
// drops out of a for_each would stop serving without a word.
func destroyWarning(ctx context.Context, state tfsdk.State) diag.Diagnostics {
	var prior modelActivationModel
	diags := state.Get(ctx, &prior)
	if diags.HasError() || !prior.DeactivateOnDestroy.ValueBool() {
		return diags
	}
	modelID, status := prior.ModelID.ValueString(), prior.Status.ValueString()
	destroying := fmt.Sprintf("This oxen_model_activation is to be destroyed (removed from the configuration, or "+
		"by a destroy) with deactivate_on_destroy = true, so apply will send deactivate and wait until model %q is "+
		"\"inactive\".", modelID)
	switch status {
	case oxen.StatusActive, oxen.StatusDeploying:
		detail := fmt.Sprintf("Model %q is %q in the hub. %s The deployment stops serving requests", modelID, status, destroying)
		if cost := prior.CostPerHour; !cost.IsNull() && !cost.IsUnknown() {
			detail += fmt.Sprintf(", and its cost_per_hour = %s stops", cost.ValueBigFloat().Text('f', -1))
		}
		detail += ". To leave it running, apply deactivate_on_destroy = false on this resource before removing it, " +
			"or forget the resource without destroying it (`terraform state rm`, `tofu state rm`)."
		diags.AddWarning(fmt.Sprintf("Apply will stop model %q, which is %s", modelID, servingWord[status]), detail)
	case oxen.StatusError:
		diags.AddWarning(fmt.Sprintf("Apply will deactivate model %q, whose deployment failed", modelID),
			fmt.Sprintf("Model %q is \"error\" in the hub: its deployment failed. %s", modelID, destroying))
	}
	return diags
}

// servingWord says how a running deployment serves, for a warning's summary.
var servingWord = map[string]string{oxen.StatusActive: "serving", oxen.StatusDeploying: "deploying"}

// adoptionWarning tells what apply will do to the deployment a new
// resource takes over, or returns nil when apply leaves it as it is (or
// only waits for where it is already going). A new resource's plan shows
// only "+ active = false": without this, stopping a serving deployment
// would read like creating something.
func adoptionWarning(modelID, current string, wantActive bool, rate hourlyRate) diag.Diagnostic {
	target, heading, request := oxen.StatusActive, oxen.StatusDeploying, "activate"
	if !wantActive {
		target, heading, request = oxen.StatusInactive, oxen.StatusDeactivating, "deactivate"
	}
	if current == target || current == heading {
		return nil
	}
	if current == oxen.StatusError {
		return errorWarning(modelID, wantActive, rate)
	}
	detail := fmt.Sprintf("Model %q is %q in the hub. This new oxen_model_activation sets active = %t, so apply "+
		"will send %s and wait until the deployment is %q.", modelID, current, wantActive, request, target)
	switch {
	case wantActive:
		summary := fmt.Sprintf("Apply will activate model %q", modelID)
		if rate.perHour != nil {
			detail += fmt.Sprintf(" The deployment is billed for as long as it is up: cost_per_hour = %s.", costText(rate.perHour))
		}
		return diag.NewAttributeWarningDiagnostic(path.Root("active"), summary, detail)
	case current == oxen.StatusActive || current == oxen.StatusDeploying:
		summary := fmt.Sprintf("Apply will stop model %q, which is %s", modelID, servingWord[current])
		detail += fmt.Sprintf(" The deployment stops serving requests. To keep it running, set active = true; "+
			"to take it over as it is and change it later, import it (an import block with id = %q) so that any "+
			"change shows in the plan as a change of active.", modelID)
		return diag.NewAttributeWarningDiagnostic(path.Root("active"), summary, detail)
	default:
		return diag.NewAttributeWarningDiagnostic(path.Root("active"),
			fmt.Sprintf("Apply will deactivate model %q", modelID), detail)
	}
}
