package provider

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/action"
	"github.com/hashicorp/terraform-plugin-framework/action/schema"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
	"github.com/oxen-ai/terraform-provider-oxen/internal/waiter"
)

// The bounds of an action's timeout.
const (
	minActionTimeout = time.Second
	maxActionTimeout = 24 * time.Hour
)

var (
	_ action.ActionWithConfigure  = &ModelDeploymentAction{}
	_ action.ActionWithModifyPlan = &ModelDeploymentAction{}
)

// ModelDeploymentAction is the action oxen_model_activate, or
// oxen_model_deactivate: a one-off move of a custom model's deployment,
// made and waited for by the same code as an oxen_model_activation apply.
type ModelDeploymentAction struct {
	data     *providerData
	activate bool
}

// NewModelActivateAction returns the oxen_model_activate action.
func NewModelActivateAction() action.Action { return &ModelDeploymentAction{activate: true} }

// NewModelDeactivateAction returns the oxen_model_deactivate action.
func NewModelDeactivateAction() action.Action { return &ModelDeploymentAction{activate: false} }

type modelDeploymentActionModel struct {
	ModelID types.String `tfsdk:"model_id"`
	Timeout types.String `tfsdk:"timeout"`
}

// verb is the request the action sends, as the hub names it.
func (a *ModelDeploymentAction) verb() string {
	if a.activate {
		return "activate"
	}
	return "deactivate"
}

func (a *ModelDeploymentAction) Metadata(_ context.Context, req action.MetadataRequest, resp *action.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_model_" + a.verb()
}

func (a *ModelDeploymentAction) Schema(_ context.Context, _ action.SchemaRequest, resp *action.SchemaResponse) {
	target, heading, does := oxen.StatusActive, oxen.StatusDeploying, "Starts the deployment of a custom (fine-tuned) model"
	if !a.activate {
		target, heading, does = oxen.StatusInactive, oxen.StatusDeactivating, "Stops the deployment of a custom (fine-tuned) model, which stops its billing,"
	}
	resp.Schema = schema.Schema{
		MarkdownDescription: fmt.Sprintf("%s and waits until it is `%s` (Terraform 1.14+): from a `lifecycle` "+
			"`action_trigger`, or with `terraform apply -invoke=action.oxen_model_%s.<name>`. It sends `%s` only when "+
			"the deployment is not already `%s` or `%s`, and reports each status it passes through. A deployment that "+
			"ends in `error` and a request the hub refuses fail the action; a base model and a model the hub does not have "+
			"fail the plan, before anything is applied.\n\n"+
			"An action changes no resource's state. Used on a model that an `oxen_model_activation` manages, it "+
			"moves the deployment behind that resource's back: the next plan shows the drift and plans to put the "+
			"deployment back where the resource's `active` says. To keep a deployment %s for good, set `active` on "+
			"the resource instead.",
			does, target, a.verb(), a.verb(), target, heading, target),
		Attributes: map[string]schema.Attribute{
			"model_id": schema.StringAttribute{
				Required:            true,
				MarkdownDescription: "Name or UUID of the custom model, such as `my-custom-model`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"timeout": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: fmt.Sprintf("How long to wait for the deployment to be `%s`, as a duration such as "+
					"`\"20m\"`. Defaults to `\"%s\"`; between `%s` and `%s`.", target,
					shortDuration(defaultActivationTimeout), shortDuration(minActionTimeout), shortDuration(maxActionTimeout)),
				Validators: []validator.String{durationBetween{minActionTimeout, maxActionTimeout}},
			},
		},
	}
}

func (a *ModelDeploymentAction) Configure(_ context.Context, req action.ConfigureRequest, resp *action.ConfigureResponse) {
	a.data = configuredData(req.ProviderData, resp.Diagnostics.AddError)
}

// ModifyPlan fails the plan of an action that cannot succeed, before
// anything is applied: a model the hub does not have, or a base model. The
// read is the look-ups' own, shared with any data source naming the model.
// Any other answer (the hub unreachable, a key refused) is left to the
// invoke, which retries and explains; so is a model_id not yet known.
func (a *ModelDeploymentAction) ModifyPlan(ctx context.Context, req action.ModifyPlanRequest, resp *action.ModifyPlanResponse) {
	var cfg modelDeploymentActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if resp.Diagnostics.HasError() || a.data == nil || cfg.ModelID.IsUnknown() || cfg.ModelID.IsNull() {
		return
	}
	modelID := cfg.ModelID.ValueString()
	m, err := a.data.client.GetModel(ctx, modelID, oxen.GetOptions{})
	switch {
	case oxen.IsNotFound(err):
		resp.Diagnostics.Append(a.errorDiag(modelID, false, 0, err))
	case err == nil && m.IsBase():
		resp.Diagnostics.Append(a.errorDiag(modelID, false, 0, errBaseModel))
	}
}

func (a *ModelDeploymentAction) Invoke(ctx context.Context, req action.InvokeRequest, resp *action.InvokeResponse) {
	var cfg modelDeploymentActionModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &cfg)...)
	if a.data == nil {
		resp.Diagnostics.Append(unconfiguredDiag("oxen_model_" + a.verb() + " action"))
	}
	if resp.Diagnostics.HasError() {
		return
	}
	timeout := defaultActivationTimeout
	if !cfg.Timeout.IsNull() {
		var err error
		if timeout, err = parseDuration(cfg.Timeout.ValueString(), minActionTimeout, maxActionTimeout); err != nil {
			resp.Diagnostics.AddAttributeError(path.Root("timeout"), "Invalid timeout", err.Error())
			return
		}
	}
	modelID := cfg.ModelID.ValueString()

	// One event per status, with the time since the action began.
	clk := a.data.clock
	start, reported := clk.Now(), ""
	seen := func(m *oxen.Model) {
		status := deploymentStatus(m)
		if status == reported {
			return
		}
		reported = status
		resp.SendProgress(action.InvokeProgressEvent{
			Message: fmt.Sprintf("%s: %s, %d s", modelID, status, clk.Now().Sub(start)/time.Second),
		})
	}
	activation := &ModelActivationResource{data: a.data}
	_, sent, err := activation.convergeSeeing(ctx, modelID, a.activate, timeout, seen)
	if err != nil {
		resp.Diagnostics.Append(a.errorDiag(modelID, sent, timeout, err))
	}
}

// errorDiag explains a failed action: what happened to which model, the
// API's words, and what to do next.
func (a *ModelDeploymentAction) errorDiag(modelID string, sent bool, timeout time.Duration, err error) diag.Diagnostic {
	if errors.Is(err, errBaseModel) {
		return diag.NewAttributeErrorDiagnostic(path.Root("model_id"), fmt.Sprintf("Base model cannot be %sd", a.verb()),
			fmt.Sprintf("%q is a base model: base models are always active and have no deployment to %s. "+
				"oxen_model_%s acts on custom (fine-tuned) models only; name one of those "+
				"(data \"oxen_models\" with model_type = \"custom\" lists them).", modelID, a.verb(), a.verb()))
	}
	target := targetStatus(a.activate)
	again := fmt.Sprintf("Invoking the action again reads the deployment's status and sends %s only if the "+
		"deployment is not already on its way to %q.", a.verb(), target)
	// How the wait ended, when it did not end at the target.
	waits := []struct {
		as              any
		summary, advice string
	}{
		{new(*waiter.FailureError), "Model %q deployment failed", "Check the model's deployment in the Oxen hub and fix the cause, then invoke the action again."},
		{new(*waiter.TimeoutError), "Timed out waiting for model %q", fmt.Sprintf("The action's timeout is %s; the hub goes on with the deployment. %s To wait longer in one go, raise timeout in the action's config block.", shortDuration(timeout), again)},
		{new(*waiter.UnknownTooLongError), "Model %q has no clear deployment status", "Check the model in the Oxen hub, then invoke the action again."},
		{new(*waiter.StoppedError), "Stopped waiting for model %q", "The action was interrupted; the hub goes on with the deployment. " + again},
	}
	for _, w := range waits {
		if errors.As(err, w.as) {
			return diag.NewErrorDiagnostic(fmt.Sprintf(w.summary, modelID),
				fmt.Sprintf("While the action waited for %q: %s.\n\n%s", target, err, w.advice))
		}
	}
	d := apiErrorDiag(a.data, a.verb()+" model", modelID, err)
	if !sent {
		return diag.NewErrorDiagnostic(d.Summary(), d.Detail()+"\n\nThe deployment was not changed.")
	}
	return diag.NewErrorDiagnostic(d.Summary(), d.Detail()+"\n\nThe hub may have acted on the request. "+again)
}
