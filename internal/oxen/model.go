package oxen

import (
	"encoding/json"
)

// Model is one entry of the Oxen model catalog. Only id, object, created and
// owned_by are required by the API; every other field may be absent or null,
// which decodes to the zero value of a pointer, slice, map or Number. Fields
// the API adds later are kept in Raw, never rejected.
//
// Numbers are kept as the decimal text the API wrote (a json.Number, "" when
// absent or null): a float64 would turn a price of 3e-6 into the binary
// fraction nearest to it, and the provider must hand Terraform the decimal
// itself.
type Model struct {
	ID            string          `json:"id"`
	Object        string          `json:"object"`
	Created       json.Number     `json:"created"`
	OwnedBy       string          `json:"owned_by"`
	DisplayName   *string         `json:"display_name,omitempty"`
	Description   *string         `json:"description,omitempty"`
	Summary       *string         `json:"summary,omitempty"`
	ModelType     *string         `json:"model_type,omitempty"`
	Endpoint      *string         `json:"endpoint,omitempty"`
	Capabilities  *Capabilities   `json:"capabilities,omitempty"`
	Pricing       *Pricing        `json:"pricing,omitempty"`
	FineTuning    *FineTuning     `json:"fine_tuning,omitempty"`
	Deployments   []Deployment    `json:"deployments,omitempty"`
	Developer     *Developer      `json:"developer,omitempty"`
	SourceModel   *string         `json:"source_model,omitempty"`
	ImageURL      *string         `json:"image_url,omitempty"`
	ReleasedAt    *string         `json:"released_at,omitempty"`
	ContextLength json.Number     `json:"context_length,omitempty"`
	MaxOutputTok  json.Number     `json:"max_output_tokens,omitempty"`
	RequestSchema json.RawMessage `json:"request_schema,omitempty"`

	// Raw is the object exactly as the API sent it (for raw_json and for
	// fields this type does not name yet). Not part of the wire format.
	Raw json.RawMessage `json:"-"`
}

// Capabilities lists the input and output modalities of a model.
type Capabilities struct {
	Input  []string `json:"input,omitempty"`
	Output []string `json:"output,omitempty"`
}

// Pricing describes how a model is billed. Method is passed through as sent:
// a method this client does not know is not an error.
type Pricing struct {
	Method                    *string                           `json:"method,omitempty"`
	InputCostPerToken         json.Number                       `json:"input_cost_per_token,omitempty"`
	OutputCostPerToken        json.Number                       `json:"output_cost_per_token,omitempty"`
	CostPerSecond             json.Number                       `json:"cost_per_second,omitempty"`
	CostPerImage              json.Number                       `json:"cost_per_image,omitempty"`
	CostPerSecondHighRes      json.Number                       `json:"cost_per_second_high_res,omitempty"`
	CostPerSecondWithAudio    json.Number                       `json:"cost_per_second_with_audio,omitempty"`
	CostPerImageGrid          map[string]map[string]json.Number `json:"cost_per_image_grid,omitempty"`
	CostPerSecondByResolution map[string]json.Number            `json:"cost_per_second_by_resolution,omitempty"`
}

// FineTuning is present only for fine-tuneable models.
type FineTuning struct {
	Actions       []string    `json:"actions,omitempty"`
	CostPerSecond json.Number `json:"cost_per_second,omitempty"`
}

// Deployment is one deployment of a custom model. Only status is documented.
type Deployment struct {
	Status string `json:"status"`
}

// Developer is the organisation that publishes a model.
type Developer struct {
	Name string  `json:"name"`
	Logo *string `json:"logo,omitempty"`
}

// Deployment statuses documented by the API. The list may grow: code that
// switches on a status must treat any other value as "not settled yet" or
// pass it through, never fail on it alone.
const (
	StatusActive       = "active"
	StatusInactive     = "inactive"
	StatusDeploying    = "deploying"
	StatusDeactivating = "deactivating"
	StatusError        = "error"
	StatusUnknown      = "unknown"
)

// ModelTypeBase is the model_type of the catalog's base models.
const ModelTypeBase = "base"

// Status is the status of the model's first deployment, as the API reference
// reads it, or "" when the model has no deployment (base models).
func (m *Model) Status() string {
	if m == nil || len(m.Deployments) == 0 {
		return ""
	}
	return m.Deployments[0].Status
}

// IsBase reports whether the model is a base model, which is always active
// and cannot be activated or deactivated.
func (m *Model) IsBase() bool {
	return m != nil && m.ModelType != nil && *m.ModelType == ModelTypeBase
}

// UnmarshalJSON decodes a model and keeps the original bytes in Raw.
func (m *Model) UnmarshalJSON(data []byte) error {
	type plain Model
	var p plain
	if err := json.Unmarshal(data, &p); err != nil {
		return err
	}
	*m = Model(p)
	if string(m.RequestSchema) == "null" {
		m.RequestSchema = nil
	}
	m.Raw = append(json.RawMessage(nil), data...)
	return nil
}
