package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"

	"github.com/hashicorp/terraform-plugin-framework-jsontypes/jsontypes"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// This file is the one statement of how an Oxen model becomes Terraform
// values. Each struct is an object of the schema (model_schema.go) in
// framework types; newModelModel fills one from the API's answer. The data
// sources' Read methods set their state from these structs and the
// activation resource takes its deployments from them. The fast path that
// answers the same reads at the plugin protocol (data_source_protocol.go)
// writes the same values its own way and is tested against these structs,
// so it must never call newModelModel.

// modelModel is one model: the top level of oxen_model, an element of
// oxen_models' models.
type modelModel struct {
	ID              types.String         `tfsdk:"id"`
	Object          types.String         `tfsdk:"object"`
	Created         types.Number         `tfsdk:"created"`
	OwnedBy         types.String         `tfsdk:"owned_by"`
	DisplayName     types.String         `tfsdk:"display_name"`
	Description     types.String         `tfsdk:"description"`
	Summary         types.String         `tfsdk:"summary"`
	ModelType       types.String         `tfsdk:"model_type"`
	Endpoint        types.String         `tfsdk:"endpoint"`
	Capabilities    *capabilitiesModel   `tfsdk:"capabilities"`
	Pricing         *pricingModel        `tfsdk:"pricing"`
	FineTuning      *fineTuningModel     `tfsdk:"fine_tuning"`
	Deployments     []deploymentModel    `tfsdk:"deployments"`
	Status          types.String         `tfsdk:"status"`
	Developer       *developerModel      `tfsdk:"developer"`
	SourceModel     types.String         `tfsdk:"source_model"`
	ImageURL        types.String         `tfsdk:"image_url"`
	ReleasedAt      types.String         `tfsdk:"released_at"`
	ContextLength   types.Number         `tfsdk:"context_length"`
	MaxOutputTokens types.Number         `tfsdk:"max_output_tokens"`
	RequestSchema   jsontypes.Normalized `tfsdk:"request_schema"`
}

// capabilitiesModel lists modalities; a list the API leaves out is empty,
// so that contains() needs no null check.
type capabilitiesModel struct {
	Input  []string `tfsdk:"input"`
	Output []string `tfsdk:"output"`
}

type pricingModel struct {
	Method                    types.String                       `tfsdk:"method"`
	InputCostPerToken         types.Number                       `tfsdk:"input_cost_per_token"`
	OutputCostPerToken        types.Number                       `tfsdk:"output_cost_per_token"`
	CostPerSecond             types.Number                       `tfsdk:"cost_per_second"`
	CostPerImage              types.Number                       `tfsdk:"cost_per_image"`
	CostPerSecondHighRes      types.Number                       `tfsdk:"cost_per_second_high_res"`
	CostPerSecondWithAudio    types.Number                       `tfsdk:"cost_per_second_with_audio"`
	CostPerImageGrid          map[string]map[string]types.Number `tfsdk:"cost_per_image_grid"`
	CostPerSecondByResolution map[string]types.Number            `tfsdk:"cost_per_second_by_resolution"`
}

type fineTuningModel struct {
	Actions       []string     `tfsdk:"actions"`
	CostPerSecond types.Number `tfsdk:"cost_per_second"`
}

type deploymentModel struct {
	Status types.String `tfsdk:"status"`
}

type developerModel struct {
	Name types.String `tfsdk:"name"`
	Logo types.String `tfsdk:"logo"`
}

// modelDataSourceModel is oxen_model's state: its arguments, raw_json and
// the model.
type modelDataSourceModel struct {
	LiveStatus types.Bool           `tfsdk:"live_status"`
	RawJSON    jsontypes.Normalized `tfsdk:"raw_json"`
	modelModel
}

// modelsDataSourceModel is oxen_models' state.
type modelsDataSourceModel struct {
	DeveloperName  types.String `tfsdk:"developer_name"`
	Action         types.String `tfsdk:"action"`
	ProviderName   types.String `tfsdk:"provider_name"`
	Search         types.String `tfsdk:"search"`
	ModelType      types.String `tfsdk:"model_type"`
	Endpoint       types.String `tfsdk:"endpoint"`
	InputModality  types.String `tfsdk:"input_modality"`
	OutputModality types.String `tfsdk:"output_modality"`
	IDs            []string     `tfsdk:"ids"`
	Models         []modelModel `tfsdk:"models"`
}

// newModelModel maps an API model. The error is a value of the answer that
// Terraform cannot hold (see modelDiag).
func newModelModel(m *oxen.Model) (modelModel, error) {
	nums := numbers{model: m.ID}
	mm := modelModel{
		ID:              types.StringValue(m.ID),
		Object:          types.StringValue(m.Object),
		Created:         nums.of("created", m.Created),
		OwnedBy:         types.StringValue(m.OwnedBy),
		DisplayName:     types.StringPointerValue(m.DisplayName),
		Description:     types.StringPointerValue(m.Description),
		Summary:         types.StringPointerValue(m.Summary),
		ModelType:       types.StringPointerValue(m.ModelType),
		Endpoint:        types.StringPointerValue(m.Endpoint),
		Deployments:     deploymentModels(m.Deployments),
		Status:          types.StringNull(),
		SourceModel:     types.StringPointerValue(m.SourceModel),
		ImageURL:        types.StringPointerValue(m.ImageURL),
		ReleasedAt:      types.StringPointerValue(m.ReleasedAt),
		ContextLength:   nums.of("context_length", m.ContextLength),
		MaxOutputTokens: nums.of("max_output_tokens", m.MaxOutputTok),
		RequestSchema:   jsontypes.NewNormalizedNull(),
	}
	if len(m.Deployments) > 0 {
		mm.Status = types.StringValue(m.Status())
	}
	if c := m.Capabilities; c != nil {
		mm.Capabilities = &capabilitiesModel{Input: orEmpty(c.Input), Output: orEmpty(c.Output)}
	}
	if p := m.Pricing; p != nil {
		mm.Pricing = &pricingModel{
			Method:                    types.StringPointerValue(p.Method),
			InputCostPerToken:         nums.of("pricing.input_cost_per_token", p.InputCostPerToken),
			OutputCostPerToken:        nums.of("pricing.output_cost_per_token", p.OutputCostPerToken),
			CostPerSecond:             nums.of("pricing.cost_per_second", p.CostPerSecond),
			CostPerImage:              nums.of("pricing.cost_per_image", p.CostPerImage),
			CostPerSecondHighRes:      nums.of("pricing.cost_per_second_high_res", p.CostPerSecondHighRes),
			CostPerSecondWithAudio:    nums.of("pricing.cost_per_second_with_audio", p.CostPerSecondWithAudio),
			CostPerSecondByResolution: nums.table("pricing.cost_per_second_by_resolution", p.CostPerSecondByResolution),
		}
		if p.CostPerImageGrid != nil {
			mm.Pricing.CostPerImageGrid = make(map[string]map[string]types.Number, len(p.CostPerImageGrid))
			for quality, row := range p.CostPerImageGrid {
				mm.Pricing.CostPerImageGrid[quality] = nums.table("pricing.cost_per_image_grid."+quality, row)
			}
		}
	}
	if f := m.FineTuning; f != nil {
		mm.FineTuning = &fineTuningModel{Actions: orEmpty(f.Actions), CostPerSecond: nums.of("fine_tuning.cost_per_second", f.CostPerSecond)}
	}
	if d := m.Developer; d != nil {
		mm.Developer = &developerModel{Name: types.StringValue(d.Name), Logo: types.StringPointerValue(d.Logo)}
	}
	if len(m.RequestSchema) > 0 {
		s, err := normalizeJSON(m.RequestSchema)
		if err != nil {
			return mm, firstError(nums.err, unreadableError{model: m.ID, err: err})
		}
		mm.RequestSchema = jsontypes.NewNormalizedValue(s)
	}
	return mm, nums.err
}

// deploymentModels is never nil: a model without deployments has an empty
// list, not a null one.
func deploymentModels(deps []oxen.Deployment) []deploymentModel {
	out := make([]deploymentModel, len(deps))
	for i, d := range deps {
		out[i] = deploymentModel{Status: types.StringValue(d.Status)}
	}
	return out
}

// deploymentsValue is the deployments list as a framework value, for the
// activation resource's state.
func deploymentsValue(ctx context.Context, deps []oxen.Deployment, diags *diag.Diagnostics) types.List {
	list, d := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: deploymentAttrTypes}, deploymentModels(deps))
	diags.Append(d...)
	return list
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// parseNumber reads a decimal as Terraform does (cty.ParseNumberVal, which
// jsondecode uses): at 512 bits, rounding to nearest even.
func parseNumber(text string) (*big.Float, error) {
	f, _, err := big.ParseFloat(text, 10, numberPrecision, big.ToNearestEven)
	return f, err
}

// numbers maps the numbers of one model, keeping the first that Terraform
// cannot hold.
type numbers struct {
	model string
	err   error
}

// of is the number the API wrote; "" (absent or null) is null.
func (n *numbers) of(attribute string, text json.Number) types.Number {
	if text == "" {
		return types.NumberNull()
	}
	f, err := parseNumber(string(text))
	if err != nil {
		n.err = firstError(n.err, numberError{model: n.model, attribute: attribute, text: string(text), err: err})
		return types.NumberNull()
	}
	return types.NumberValue(f)
}

// table is a map of prices; a nil map is null.
func (n *numbers) table(attribute string, m map[string]json.Number) map[string]types.Number {
	if m == nil {
		return nil
	}
	out := make(map[string]types.Number, len(m))
	for k, text := range m {
		out[k] = n.of(attribute+"."+k, text)
	}
	return out
}

// numberError is a number of the API's answer that Terraform cannot hold,
// such as 1e999999999999, as opposed to a bug of the mapping.
type numberError struct {
	model, attribute, text string
	err                    error
}

func (e numberError) Error() string {
	return fmt.Sprintf("the %s of model %q, %s, is not a number Terraform can hold: %s", e.attribute, e.model, e.text, e.err)
}

// firstError is the error reported for a model with several values that
// Terraform cannot hold: the one of the first attribute by name, whatever
// order they were met in, so that every way of mapping a model reports the
// same one.
func firstError(a, b error) error {
	if a == nil || (b != nil && errorAttribute(b) < errorAttribute(a)) {
		return b
	}
	return a
}

func errorAttribute(err error) string {
	var number numberError
	if errors.As(err, &number) {
		return number.attribute
	}
	return "request_schema"
}

// unreadableError is a request_schema of the API's answer that is not
// JSON, as opposed to a bug of the mapping.
type unreadableError struct {
	model string
	err   error
}

func (e unreadableError) Error() string {
	return fmt.Sprintf("the request_schema of model %q is not valid JSON: %s", e.model, e.err)
}

// modelDiag is the diagnostic of an error of the mapping: the API's answer
// at fault, or else a bug.
func modelDiag(what string, err error) diag.Diagnostic {
	var unreadable unreadableError
	if errors.As(err, &unreadable) {
		return diag.NewErrorDiagnostic("Unreadable request_schema",
			fmt.Sprintf("The request_schema of model %q is not valid JSON: %s", unreadable.model, unreadable.err))
	}
	var number numberError
	if errors.As(err, &number) {
		return diag.NewErrorDiagnostic("Unreadable number",
			fmt.Sprintf("The %s of model %q is %s, which is not a number Terraform can hold (%s). "+
				"Report it to Oxen with the model's id.", number.attribute, number.model, number.text, number.err))
	}
	return diag.NewErrorDiagnostic("Could not map "+what, "This is a bug in the provider; please report it: "+err.Error())
}

// normalizeJSON re-encodes a JSON document with sorted keys and no
// insignificant space, keeping numbers exactly as written.
func normalizeJSON(raw []byte) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return string(bytes.TrimRight(buf.Bytes(), "\n")), nil
}
