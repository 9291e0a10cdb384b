package oxensim

import (
	"bytes"
	"crypto/sha1"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// The built-in catalog. Each entry is a model object as the hub sends it,
// plus an optional "_sim" member with simulator-only metadata (see
// simMeta) that is never served.
//
//go:embed catalog.json
var seedJSON []byte

// metaKey is the member of a catalog entry that carries simulator-only
// metadata. It is stripped before the model is served.
const metaKey = "_sim"

// simMeta is the hidden, per-model metadata a catalog entry may carry under
// "_sim". Everything is optional.
type simMeta struct {
	// Provider is the serving backend matched by ?provider_name=, such as
	// "openai", "fal" or "oxen". Default: "oxen" for custom models, else the
	// developer name in lower case with spaces turned into dashes.
	Provider string `json:"provider"`
	// UUID is the model's UUID, accepted in place of its id in paths.
	// Default: a stable UUID derived from the id.
	UUID string `json:"uuid"`
}

// Seed returns the built-in catalog: realistic base models of every
// endpoint kind and pricing method, and custom models of the "acme-ml"
// namespace in every deployment status. Each call returns fresh copies.
func Seed() []json.RawMessage {
	var all []json.RawMessage
	if err := json.Unmarshal(seedJSON, &all); err != nil {
		panic("oxensim: embedded catalog.json is not a JSON array: " + err.Error())
	}
	return all
}

// SeedCustomModels returns only the custom models of Seed, for catalogs
// that pair generated base models with the well-known custom ones.
func SeedCustomModels() []json.RawMessage {
	var out []json.RawMessage
	for _, raw := range Seed() {
		var probe struct {
			ModelType string `json:"model_type"`
		}
		if json.Unmarshal(raw, &probe) == nil && probe.ModelType == "custom" {
			out = append(out, raw)
		}
	}
	return out
}

// Canonical order of the members of a served model; members not listed
// here follow in alphabetical order.
var fieldOrder = []string{
	"id", "object", "created", "owned_by", "display_name", "description",
	"summary", "model_type", "endpoint", "capabilities", "pricing",
	"fine_tuning", "deployments", "developer", "source_model", "image_url",
	"released_at", "context_length", "max_output_tokens", "request_schema",
	"showcase",
}

// neverDeployed is the state of a custom model whose catalog entry lists no
// deployment at all ("deployments": []): it is served with an empty list
// until it is first activated.
const neverDeployed = ""

// model is one catalog entry with its deployment state.
type model struct {
	id          string
	uuid        string
	provider    string // lower case
	custom      bool
	developer   string // lower case developer.name
	displayName string // lower case
	actions     []string

	// The served JSON is head + deployments + tail, so that only the
	// deployments array is rendered per request.
	head, tail []byte

	// Deployment of a custom model. state is the status at time since;
	// deploying and deactivating settle lazily (see Server.settle);
	// neverDeployed until the model is first activated.
	state  string
	since  time.Time
	cached string // status as last refreshed, served by non-live reads
	// failNext makes the current or next deploy end in "error".
	failNext bool
}

// parseModel checks that raw is a model object with the four required
// members and prepares it for serving.
func parseModel(raw json.RawMessage) (*model, error) {
	var fields map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&fields); err != nil {
		return nil, fmt.Errorf("model is not a JSON object: %w", err)
	}
	if fields == nil {
		return nil, errors.New("model is null, not an object")
	}
	var meta simMeta
	if m, ok := fields[metaKey]; ok {
		if err := json.Unmarshal(m, &meta); err != nil {
			return nil, fmt.Errorf("bad %q member: %w", metaKey, err)
		}
		delete(fields, metaKey)
	}

	m := &model{}
	if err := stringField(fields, "id", &m.id, true); err != nil {
		return nil, err
	}
	if m.id == "" {
		return nil, errors.New(`model "id" is empty`)
	}
	var object, ownedBy, modelType, displayName string
	if err := stringField(fields, "object", &object, true); err != nil {
		return nil, err
	}
	if err := stringField(fields, "owned_by", &ownedBy, true); err != nil {
		return nil, err
	}
	var created json.Number
	if err := json.Unmarshal(fields["created"], &created); err != nil || created == "" {
		return nil, fmt.Errorf("model %q: \"created\" must be an integer", m.id)
	}
	if _, err := created.Int64(); err != nil {
		return nil, fmt.Errorf("model %q: \"created\" must be an integer, not %s", m.id, created)
	}
	if err := stringField(fields, "model_type", &modelType, false); err != nil {
		return nil, err
	}
	if err := stringField(fields, "display_name", &displayName, false); err != nil {
		return nil, err
	}
	m.custom = modelType == "custom"
	m.displayName = strings.ToLower(displayName)

	var dev struct {
		Name string `json:"name"`
	}
	if d, ok := fields["developer"]; ok {
		_ = json.Unmarshal(d, &dev) // null or odd shapes simply match no filter
	}
	m.developer = strings.ToLower(dev.Name)
	var ft struct {
		Actions []string `json:"actions"`
	}
	if f, ok := fields["fine_tuning"]; ok {
		_ = json.Unmarshal(f, &ft)
	}
	m.actions = ft.Actions

	if m.custom {
		m.state = "inactive"
		var deps []struct {
			Status string `json:"status"`
		}
		if d, ok := fields["deployments"]; ok {
			if err := json.Unmarshal(d, &deps); err != nil {
				return nil, fmt.Errorf("model %q: bad \"deployments\": %w", m.id, err)
			}
			if deps != nil && len(deps) == 0 {
				m.state = neverDeployed
			}
		}
		if len(deps) > 0 && deps[0].Status != "" {
			m.state = deps[0].Status
		}
		m.cached = m.state
	}
	delete(fields, "deployments")

	m.provider = strings.ToLower(meta.Provider)
	if m.provider == "" {
		if m.custom {
			m.provider = "oxen"
		} else {
			m.provider = strings.ReplaceAll(m.developer, " ", "-")
		}
	}
	m.uuid = strings.ToLower(meta.UUID)
	if m.uuid == "" {
		m.uuid = uuidFor(m.id)
	}

	if err := m.prerender(fields); err != nil {
		return nil, fmt.Errorf("model %q: %w", m.id, err)
	}
	return m, nil
}

func stringField(fields map[string]json.RawMessage, name string, dst *string, required bool) error {
	v, ok := fields[name]
	if !ok {
		if required {
			return fmt.Errorf("model lacks the required %q member", name)
		}
		return nil
	}
	if string(v) == "null" && !required {
		return nil
	}
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("model member %q must be a string: %s", name, v)
	}
	return nil
}

// prerender fixes head and tail: every member but deployments, in
// canonical order, compacted.
func (m *model) prerender(fields map[string]json.RawMessage) error {
	split := slices.Index(fieldOrder, "deployments")
	var before, after []string
	for i, k := range fieldOrder {
		if _, ok := fields[k]; ok {
			if i < split {
				before = append(before, k)
			} else {
				after = append(after, k)
			}
		}
	}
	var extra []string
	for k := range fields {
		if !slices.Contains(fieldOrder, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	after = append(after, extra...)

	member := func(buf *bytes.Buffer, k string) error {
		name, _ := json.Marshal(k)
		buf.Write(name)
		buf.WriteByte(':')
		if err := json.Compact(buf, fields[k]); err != nil {
			return fmt.Errorf("member %q: %w", k, err)
		}
		return nil
	}
	var head, tail bytes.Buffer
	head.WriteByte('{')
	for _, k := range before {
		if err := member(&head, k); err != nil {
			return err
		}
		head.WriteByte(',')
	}
	head.WriteString(`"deployments":`)
	for _, k := range after {
		tail.WriteByte(',')
		if err := member(&tail, k); err != nil {
			return err
		}
	}
	tail.WriteByte('}')
	m.head, m.tail = head.Bytes(), tail.Bytes()
	return nil
}

// appendJSON appends the model as served, with status as the deployment
// status of a custom model.
func (m *model) appendJSON(b []byte, status string) []byte {
	b = append(b, m.head...)
	if m.custom && status != neverDeployed {
		b = append(b, `[{"status":`...)
		s, _ := json.Marshal(status)
		b = append(b, s...)
		b = append(b, `}]`...)
	} else {
		b = append(b, `[]`...)
	}
	return append(b, m.tail...)
}

// uuidFor derives a stable, version-5-shaped UUID from a model id.
func uuidFor(id string) string {
	sum := sha1.Sum([]byte("oxensim/model/" + id))
	sum[6] = sum[6]&0x0f | 0x50
	sum[8] = sum[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", sum[0:4], sum[4:6], sum[6:8], sum[8:10], sum[10:16])
}
