package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/identityschema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/waiter"
)

const defaultActivationTimeout = 30 * time.Minute

var (
	_ resource.ResourceWithConfigure   = &ModelActivationResource{}
	_ resource.ResourceWithModifyPlan  = &ModelActivationResource{}
	_ resource.ResourceWithImportState = &ModelActivationResource{}
	_ resource.ResourceWithIdentity    = &ModelActivationResource{}
)

// ModelActivationResource is oxen_model_activation: it keeps a custom
// model's deployment active (or stopped) and waits until it has settled.
type ModelActivationResource struct {
	data *providerData
}

// NewModelActivationResource returns the oxen_model_activation resource.
func NewModelActivationResource() resource.Resource { return &ModelActivationResource{} }

type modelActivationModel struct {
	ID                  types.String   `tfsdk:"id"`
	ModelID             types.String   `tfsdk:"model_id"`
	Active              types.Bool     `tfsdk:"active"`
	DeactivateOnDestroy types.Bool     `tfsdk:"deactivate_on_destroy"`
	Status              types.String   `tfsdk:"status"`
	Deployments         types.List     `tfsdk:"deployments"`
	CostPerHour         types.Number   `tfsdk:"cost_per_hour"`
	Timeouts            timeouts.Value `tfsdk:"timeouts"`
}

// modelActivationIdentity is the resource identity: the model names the
// deployment, so it is all an import needs.
type modelActivationIdentity struct {
	ModelID types.String `tfsdk:"model_id"`
}

func (r *ModelActivationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_activation"
}

func (r *ModelActivationResource) Schema(ctx context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Keeps the deployment of a custom (fine-tuned) Oxen model active, or stopped to stop " +
			"billing, and waits until it has really settled. The plan shows the status apply will reach. " +
			"Base models are always active and cannot be managed by this resource.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:            true,
				MarkdownDescription: "The model id (same as `model_id`), known at plan time.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"model_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name or UUID of the custom model, such as `my-custom-model`. Changing it replaces the resource.",
				PlanModifiers:       []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"active": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				MarkdownDescription: "Whether the deployment should be active (serving and billed) or inactive " +
					"(stopped). Defaults to `true`.",
			},
			"deactivate_on_destroy": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				MarkdownDescription: "Whether destroying the resource deactivates the deployment and waits until it " +
					"is `inactive`. When `false`, destroy only forgets the resource and the deployment keeps its " +
					"status. Defaults to `true`.",
			},
			"status": schema.StringAttribute{
				Computed: true,
				MarkdownDescription: "Status of the model's deployment: `active`, `inactive`, `deploying`, " +
					"`deactivating`, `error` or `unknown`; a model that was never deployed (the hub lists no deployment) is " +
					"`inactive`. Known at plan time: the plan shows the status apply will reach.",
			},
			"cost_per_hour": schema.NumberAttribute{
				Computed: true,
				MarkdownDescription: "What an hour of the deployment costs in the status the plan shows: the model's " +
					"`pricing.cost_per_second` × 3600 while `status` is `active`, `0` while it is `inactive`, and null " +
					"when the model is not billed by time (its pricing `method` is not `time`). Exact in decimal, in the " +
					"currency of the hub's prices, and known at plan time, so `check` blocks and policies can budget " +
					"deployments before apply.",
			},
			// A list of objects rather than a nested attribute: Terraform
			// before 1.7 and OpenTofu 1.10 crash generating configuration
			// (import blocks with -generate-config-out) for a resource with a
			// computed-only nested attribute. The value is the same.
			"deployments": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.ObjectType{AttrTypes: deploymentAttrTypes},
				MarkdownDescription: "The model's deployments as the hub reports them, each an object with its `status`.",
			},
		},
		Blocks: map[string]schema.Block{
			"timeouts": timeouts.Block(ctx, timeouts.Opts{
				Create: true, Update: true, Delete: true,
				CreateDescription: "How long create waits for the deployment to settle, such as `\"30m\"` (the default).",
				UpdateDescription: "How long update waits for the deployment to settle, such as `\"30m\"` (the default).",
				DeleteDescription: "How long destroy waits for the deployment to become `inactive`, such as `\"30m\"` (the default).",
			}),
		},
	}
}

func (r *ModelActivationResource) IdentitySchema(_ context.Context, _ resource.IdentitySchemaRequest, resp *resource.IdentitySchemaResponse) {
	resp.IdentitySchema = identityschema.Schema{
		Attributes: map[string]identityschema.Attribute{
			"model_id": identityschema.StringAttribute{
				RequiredForImport: true,
				Description:       "Name or UUID of the custom model, such as `my-custom-model`.",
			},
		},
	}
}

func (r *ModelActivationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, resp.Diagnostics.AddError)
}

// deploymentStatus is the status the resource records for a custom model:
// its first deployment's, and "inactive" when the hub lists no deployment
// at all (a model never deployed is not serving and not billed).
func deploymentStatus(m *oxen.Model) string {
	if s := m.Status(); s != "" {
		return s
	}
	return oxen.StatusInactive
}

// targetStatus is the settled status that active asks for.
func targetStatus(active bool) string {
	if active {
		return oxen.StatusActive
	}
	return oxen.StatusInactive
}

func baseModelDiag(modelID string) diag.Diagnostic {
	return diag.NewAttributeErrorDiagnostic(path.Root("model_id"), "Base model cannot be activated",
		fmt.Sprintf("%q is a base model: base models are always active and need no activation. "+
			"oxen_model_activation manages custom (fine-tuned) models only; remove this resource, or name a custom model.", modelID))
}

func (r *ModelActivationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var plan modelActivationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Create(ctx, defaultActivationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m := r.apply(ctx, opCreate, &plan, timeout, &resp.State, &resp.Diagnostics); m != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, hourlyRateKey, rateOf(m).encode())...)
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.ModelID)...)
	}
}

func (r *ModelActivationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan modelActivationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	timeout, diags := plan.Timeouts.Update(ctx, defaultActivationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	if m := r.apply(ctx, opUpdate, &plan, timeout, &resp.State, &resp.Diagnostics); m != nil {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, hourlyRateKey, rateOf(m).encode())...)
		resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, plan.ModelID)...)
	}
}

// setIdentity records the identity, when the CLI keeps one.
func setIdentity(ctx context.Context, identity *tfsdk.ResourceIdentity, modelID types.String) diag.Diagnostics {
	if identity == nil {
		return nil
	}
	return identity.Set(ctx, modelActivationIdentity{ModelID: modelID})
}

// operation is what a change is part of: after a failure, what the next
// run does depends on it.
type operation string

const (
	opCreate operation = "create"
	opUpdate operation = "update"
	opDelete operation = "delete"
)

// apply brings the deployment to the planned status and records the
// outcome. Once a request that may have changed the deployment has been
// sent, the model is recorded in state whatever happens next, so nothing
// billable is ever left outside Terraform. A request the hub refused changed
// nothing, so it leaves no trace: no state on create, the prior state on
// update (which the framework keeps unless apply sets another).
//
// An interrupt (Ctrl-C) once the change request was sent is a warning, not
// an error: an error would taint a new resource, and the next apply would
// replace it, deactivating the deployment on the way. Terraform requires the
// applied status to be the planned one when apply succeeds, so the state
// keeps the planned status while deployments holds the last one seen; the
// next refresh reads the real status and the plan then finishes the job:
// only waiting if the request reached the hub, sending it again if not.
//
// It returns the last model seen when it recorded the model in state.
func (r *ModelActivationResource) apply(ctx context.Context, op operation, plan *modelActivationModel, timeout time.Duration, state *tfsdk.State, diags *diag.Diagnostics) *oxen.Model {
	modelID := plan.ModelID.ValueString()
	want := plan.Active.ValueBool()
	m, sent, err := r.converge(ctx, modelID, want, timeout)
	if err != nil && !sent {
		diags.Append(r.convergeErrorDiag(op, modelID, want, sent, err))
		return nil
	}
	interrupted := err != nil && errors.Is(err, context.Canceled)
	plan.ID = types.StringValue(modelID)
	// A plan that moved no status kept the deployments as refresh read them
	// (see ModifyPlan); apply must keep that promise.
	if plan.Deployments.IsUnknown() {
		plan.Deployments = deploymentsValue(ctx, m.Deployments, diags)
	}
	if !interrupted {
		plan.Status = types.StringValue(deploymentStatus(m))
	}
	// Known in the plan unless the model's price could not be looked up
	// then; apply keeps what the plan showed.
	if plan.CostPerHour.IsUnknown() {
		plan.CostPerHour = rateOf(m).cost(plan.Status.ValueString())
	}
	diags.Append(state.Set(ctx, plan)...)
	switch {
	case err == nil:
	case interrupted:
		diags.Append(interruptedDiag(op, modelID, want, deploymentStatus(m), err))
	default:
		diags.Append(r.convergeErrorDiag(op, modelID, want, sent, err))
	}
	return m
}

// converge reads the model, sends activate or deactivate when its status
// is not already heading to the wanted one, and waits until it settles. It
// returns the last model seen (nil only when the first read failed) and
// whether a request that may have changed the deployment was sent, even one
// that failed, unless the hub refused it.
func (r *ModelActivationResource) converge(ctx context.Context, modelID string, wantActive bool, timeout time.Duration) (*oxen.Model, bool, error) {
	return r.convergeSeeing(ctx, modelID, wantActive, timeout, nil)
}

// convergeSeeing is converge that also hands seen (when not nil) every
// custom model it reads or is answered on the way, so that the actions,
// which move deployments with this same code, can report each status.
func (r *ModelActivationResource) convergeSeeing(ctx context.Context, modelID string, wantActive bool, timeout time.Duration, seen func(*oxen.Model)) (*oxen.Model, bool, error) {
	if seen == nil {
		seen = func(*oxen.Model) {}
	}
	unlock := r.data.locks.lock(modelID)
	defer unlock()

	client := r.data.client
	m, err := client.GetModel(ctx, modelID, oxen.GetOptions{Live: true})
	if err != nil {
		return nil, false, err
	}
	if m.IsBase() {
		return m, false, errBaseModel
	}
	seen(m)
	target := targetStatus(wantActive)
	heading := oxen.StatusDeploying
	if !wantActive {
		heading = oxen.StatusDeactivating
	}
	s := deploymentStatus(m)
	if s == target {
		return m, false, nil
	}
	sent := false
	if s != heading {
		tflog.Info(ctx, "changing model deployment", map[string]any{"model_id": modelID, "from": s, "to": target})
		change := client.ActivateModel
		if !wantActive {
			change = client.DeactivateModel
		}
		sent = true
		changed, err := change(ctx, modelID)
		if err != nil {
			return m, !r.refused(ctx, modelID, s, err), err
		}
		m = changed
		seen(m)
	}
	settled, err := r.waitFor(ctx, modelID, target, heading, timeout, m, seen)
	return settled, sent, err
}

var errBaseModel = errors.New("base model")

// refused reports whether a change request answered with a 4xx left the
// deployment as it was (status before). The hub refuses with a 4xx without
// acting, but the client may have sent the request again after an attempt
// that the hub did act on (a reset, a 5xx), so the live status has the last
// word. A model that no longer exists has no deployment to have changed.
func (r *ModelActivationResource) refused(ctx context.Context, modelID, before string, err error) bool {
	apiErr, ok := oxen.AsAPIError(err)
	if !ok || apiErr.StatusCode < 400 || apiErr.StatusCode > 499 {
		return false
	}
	m, err := r.data.client.GetModel(ctx, modelID, oxen.GetOptions{Live: true})
	if oxen.IsNotFound(err) {
		return true
	}
	return err == nil && deploymentStatus(m) == before
}

// waitFor polls the model's live status until it reaches target, handing
// seen every model polled.
func (r *ModelActivationResource) waitFor(ctx context.Context, modelID, target, heading string, timeout time.Duration, last *oxen.Model, seen func(*oxen.Model)) (*oxen.Model, error) {
	if last != nil && last.Status() == target {
		return last, nil
	}
	polls := 0
	m, err := waiter.Wait(ctx, waiter.Config[*oxen.Model]{
		Subject: fmt.Sprintf("deployment of model %q", modelID),
		Poll: func(ctx context.Context) (*oxen.Model, string, error) {
			polls++
			m, err := r.data.client.GetModel(ctx, modelID, oxen.GetOptions{Live: true})
			if err != nil {
				return nil, "", err
			}
			tflog.Debug(ctx, "polled model deployment", map[string]any{"model_id": modelID, "poll": polls, "status": m.Status()})
			seen(m)
			return m, m.Status(), nil
		},
		Target:      target,
		Pending:     []string{heading},
		Failure:     []string{oxen.StatusError},
		Unknown:     []string{oxen.StatusUnknown},
		Timeout:     timeout,
		MaxInterval: r.data.pollInterval,
		Clock:       r.data.clock,
		RetryAfter:  serverRequestedWait,
	})
	if m == nil {
		m = last
	}
	return m, err
}

// interruptedDiag tells what a change stopped by Ctrl-C leaves behind, from
// how far it got: a change request that got no answer may or may not have
// reached the hub, so the next run may have to send it again, while one the
// hub accepted only needs waiting for. last is the status last seen. For
// create and update it is a warning (see apply); for destroy an error, which
// keeps the resource in state until its deployment is really inactive.
func interruptedDiag(op operation, modelID string, wantActive bool, last string, err error) diag.Diagnostic {
	verb, heading, target := "activate", oxen.StatusDeploying, targetStatus(wantActive)
	if !wantActive {
		verb, heading = "deactivate", oxen.StatusDeactivating
	}
	who, next := "Apply", "the next plan shows its real status, and the next apply"
	newDiag := func(summary, detail string) diag.Diagnostic { return diag.NewWarningDiagnostic(summary, detail) }
	if op == opDelete {
		who, next = "Destroying the resource", "run the same command again (the destroy, or the apply that removed the "+
			"resource): it reads the real status and"
		newDiag = func(summary, detail string) diag.Diagnostic { return diag.NewErrorDiagnostic(summary, detail) }
	}
	var stopped *waiter.StoppedError
	if !errors.As(err, &stopped) {
		return newDiag(fmt.Sprintf("Interrupted while asking to %s model %q", verb, modelID),
			fmt.Sprintf("%s was interrupted while the %s request was in flight, so it is not known whether the hub "+
				"received it. The deployment was last seen in status %q, before the request. The model stays in state; "+
				"%s sends %s again unless the deployment is by then %q or %q.", who, verb, last, next, verb, heading, target))
	}
	return newDiag(fmt.Sprintf("Stopped waiting for model %q", modelID),
		fmt.Sprintf("The hub accepted the %s request; the wait was then interrupted with the deployment in status "+
			"%q, on its way to %q. The model stays in state; %s waits for it to reach %q without sending another %s "+
			"request while it is still on its way.", verb, last, target, next, target, verb))
}

// convergeErrorDiag explains a failed apply or destroy: what happened to
// which model, the API's words, and what the next run does. sent tells
// whether a request that may have changed the deployment went out.
func (r *ModelActivationResource) convergeErrorDiag(op operation, modelID string, wantActive, sent bool, err error) diag.Diagnostic {
	verb := "activate"
	if !wantActive {
		verb = "deactivate"
	}
	target := targetStatus(wantActive)
	var failed *waiter.FailureError
	var timedOut *waiter.TimeoutError
	var unknown *waiter.UnknownTooLongError
	switch {
	case errors.Is(err, errBaseModel):
		return baseModelDiag(modelID)
	case !sent:
		d := apiErrorDiag(r.data, verb+" model", modelID, err)
		return diag.NewErrorDiagnostic(d.Summary(), d.Detail()+"\n\n"+unchanged(op))
	case errors.As(err, &failed):
		return diag.NewErrorDiagnostic(fmt.Sprintf("Model %q deployment failed", modelID),
			fmt.Sprintf("The %s, waited for after the %s request. The hub reports the deployment in status %q. "+
				"Check the model's deployment in the Oxen hub and fix the cause.\n\n%s",
				err, verb, failed.State, nextRun(op, wantActive, "retry")))
	case errors.As(err, &timedOut):
		return diag.NewErrorDiagnostic(fmt.Sprintf("Timed out waiting for model %q", modelID),
			fmt.Sprintf("The %s: it did not reach %q within the %s timeout, and the hub goes on with it.\n\n%s\n\n"+
				"To give the next %s more time, raise %s in the resource's timeouts block (the default is 30m).",
				err, target, op, nextRun(op, wantActive, "keep waiting"), op, op))
	case errors.As(err, &unknown):
		return diag.NewErrorDiagnostic(fmt.Sprintf("Model %q has no clear deployment status", modelID),
			fmt.Sprintf("The %s while waiting for %q. Check the model in the Oxen hub.\n\n%s",
				err, target, nextRun(op, wantActive, "try again")))
	}
	d := apiErrorDiag(r.data, verb+" model", modelID, err)
	return diag.NewErrorDiagnostic(d.Summary(), d.Detail()+"\n\nThe hub may have acted on the request. "+
		nextRun(op, wantActive, "finish the change"))
}

// unchanged says what is left after a failure that changed nothing.
func unchanged(op operation) string {
	switch op {
	case opCreate:
		return "The deployment was not changed, and nothing is recorded in state."
	case opUpdate:
		return "The deployment was not changed, and the state is left as it was."
	default:
		return "The deployment was not changed; the resource stays in state."
	}
}

// nextRun says what the next run does after a change that may have reached
// the hub failed, to a user who wants to `purpose`. On create, Terraform
// marks the resource tainted whatever the provider does, and the
// replacement it then plans deactivates before it activates: only
// untainting keeps a deployment under way.
func nextRun(op operation, wantActive bool, purpose string) string {
	switch {
	case op == opCreate && wantActive:
		return "The model stays in state, and Terraform or OpenTofu marks the resource tainted. To " + purpose + " without starting " +
			"over, run `terraform untaint` (`tofu untaint` on OpenTofu) with the resource address shown with this error, " +
			"then apply again: apply reads the deployment's real status and waits for it to become \"active\", sending " +
			"an activate request only if the hub is not already deploying the model. A plain apply instead replaces the " +
			"tainted resource: it deactivates the deployment and waits until it is inactive, then activates it again " +
			"and waits for a whole new deployment."
	case op == opCreate:
		return "Apply again to " + purpose + ": apply replaces the resource marked tainted, which waits for the " +
			"deployment to become \"inactive\", sending a deactivate request only if the hub is not already stopping it."
	case op == opUpdate:
		return "Apply again to " + purpose + ": the next plan reads the deployment's real status, and apply waits for " +
			"it, sending a request only if the hub is not already heading to the planned status."
	default:
		return "Run the same command again to " + purpose + ": the resource stays in state until its deployment is inactive."
	}
}

// importedActive is the active a deployment reads as when no
// configuration says otherwise (import, terraform query): true only for a
// deployment that is serving or on its way to serving, so that a
// configuration written from what was read never starts, restarts or
// retries a deployment.
func importedActive(status string) bool {
	return status == oxen.StatusActive || status == oxen.StatusDeploying
}

// readFrom fills the state of the activation of model m as the hub reports
// it, and returns the hourly rate Read keeps in private state. active
// follows the real deployment, so a change made outside Terraform shows up
// in the next plan: a deployment on its way somewhere counts as where it
// is going; an error or unknown status keeps what was asked for, and the
// planned status (always settled) differs from it, so the plan still
// finishes the job. With nothing asked for yet (import), importedActive
// decides.
func (state *modelActivationModel) readFrom(ctx context.Context, m *oxen.Model, diags *diag.Diagnostics) hourlyRate {
	status := deploymentStatus(m)
	rate := rateOf(m)
	if state.ModelID.IsNull() { // terraform query: the model as the hub names it
		state.ModelID = types.StringValue(m.ID)
	}
	state.ID = state.ModelID
	state.Status = types.StringValue(status)
	state.CostPerHour = rate.cost(status)
	state.Deployments = deploymentsValue(ctx, m.Deployments, diags)
	switch {
	case status == oxen.StatusActive || status == oxen.StatusDeploying:
		state.Active = types.BoolValue(true)
	case status == oxen.StatusInactive || status == oxen.StatusDeactivating:
		state.Active = types.BoolValue(false)
	case state.Active.IsNull():
		state.Active = types.BoolValue(importedActive(status))
	}
	if state.DeactivateOnDestroy.IsNull() { // after import
		state.DeactivateOnDestroy = types.BoolValue(true)
	}
	return rate
}

func (r *ModelActivationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var state modelActivationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	// The framework wants an identity after every successful read, even
	// one that removes the resource; it is the model id whatever the hub says.
	resp.Diagnostics.Append(setIdentity(ctx, resp.Identity, state.ModelID)...)
	modelID := state.ModelID.ValueString()
	m, err := r.data.client.GetModel(ctx, modelID, oxen.GetOptions{Live: true})
	if oxen.IsNotFound(err) {
		resp.Diagnostics.AddWarning(fmt.Sprintf("Model %q no longer exists", modelID),
			fmt.Sprintf("The hub answered: %s\n\nThe activation is removed from state; the next apply will try to "+
				"activate the model again, which fails unless a model of that name exists.", err))
		resp.State.RemoveResource(ctx)
		return
	}
	if err != nil {
		resp.Diagnostics.Append(apiErrorDiag(r.data, "read model", modelID, err))
		return
	}
	if m.IsBase() {
		resp.Diagnostics.Append(baseModelDiag(modelID))
		return
	}

	rate := state.readFrom(ctx, m, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, hourlyRateKey, rate.encode())...)
}

func (r *ModelActivationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var state modelActivationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if !state.DeactivateOnDestroy.ValueBool() {
		tflog.Info(ctx, "leaving model deployment as it is", map[string]any{"model_id": state.ModelID.ValueString()})
		return
	}
	timeout, diags := state.Timeouts.Delete(ctx, defaultActivationTimeout)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	modelID := state.ModelID.ValueString()
	m, sent, err := r.converge(ctx, modelID, false, timeout)
	switch {
	case err == nil || oxen.IsNotFound(err):
		// an already missing model is as deactivated as it gets
	case sent && errors.Is(err, context.Canceled):
		resp.Diagnostics.Append(interruptedDiag(opDelete, modelID, false, deploymentStatus(m), err))
	default:
		resp.Diagnostics.Append(r.convergeErrorDiag(opDelete, modelID, false, sent, err))
	}
}

// ImportState takes the model id from an import id (terraform import, or
// an import block's id) or from an import block's identity.
func (r *ModelActivationResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resource.ImportStatePassthroughWithIdentity(ctx, path.Root("model_id"), path.Root("model_id"), req, resp)
	var modelID types.String
	resp.Diagnostics.Append(resp.State.GetAttribute(ctx, path.Root("model_id"), &modelID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), modelID)...)
}

// serverRequestedWait lets the wait loop honour a Retry-After that outlived
// the client's own retries.
func serverRequestedWait(err error) (time.Duration, bool) {
	if apiErr, ok := oxen.AsAPIError(err); ok && apiErr.RetryAfter > 0 {
		return apiErr.RetryAfter, true
	}
	return 0, false
}
