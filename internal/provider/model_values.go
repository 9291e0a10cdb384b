package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxen"
)

// This file maps an Oxen Model to Terraform values: one field per attribute
// of modelSchemaAttributes (model_schema.go), each writing its value in the
// plugin protocol's msgpack encoding. Both data sources and the activation
// resource's deployments use it.
//
// The schema is the one list of attributes. modelFields says how each is
// filled, and modelWriter checks the two against each other before the
// first value is written: an attribute added to one and not the other, or
// of another type, is an error diagnostic naming it, never a panic or a
// malformed answer. Writing msgpack directly, rather than building a
// tftypes.Value tree for the framework to walk and encode, keeps a
// 5,000-model catalog cheap.

// field fills one attribute of a model.
type field struct {
	// typ is the wire type the field writes, checked against the schema.
	typ   tftypes.Type
	write func(w *wire, m *oxen.Model)
}

func stringField(get func(*oxen.Model) *string) field {
	return field{tftypes.String, func(w *wire, m *oxen.Model) { w.stringPtr(get(m)) }}
}

func intField(get func(*oxen.Model) *int64) field {
	return field{tftypes.Number, func(w *wire, m *oxen.Model) {
		if i := get(m); i != nil {
			w.int(*i)
		} else {
			w.null()
		}
	}}
}

func floatField(get func(*oxen.Model) *float64) field {
	return field{tftypes.Number, func(w *wire, m *oxen.Model) {
		if f := get(m); f != nil {
			w.float(*f)
		} else {
			w.null()
		}
	}}
}

// stringListField is never null: an absent list is empty.
func stringListField(get func(*oxen.Model) []string) field {
	return field{tftypes.List{ElementType: tftypes.String}, func(w *wire, m *oxen.Model) {
		items := get(m)
		w.arrayLen(len(items))
		for _, s := range items {
			w.string(s)
		}
	}}
}

func floatMapField(get func(*oxen.Model) map[string]float64) field {
	return field{tftypes.Map{ElementType: tftypes.Number}, func(w *wire, m *oxen.Model) { w.floatMap(get(m)) }}
}

func floatGridField(get func(*oxen.Model) map[string]map[string]float64) field {
	return field{tftypes.Map{ElementType: tftypes.Map{ElementType: tftypes.Number}}, func(w *wire, m *oxen.Model) {
		writeMap(w, get(m), w.floatMap)
	}}
}

// objectField is a nested object, null when present says so.
func objectField(present func(*oxen.Model) bool, fields map[string]field) field {
	obj := newObjectFields(fields)
	return field{obj.typ, func(w *wire, m *oxen.Model) {
		if present(m) {
			obj.write(w, m)
		} else {
			w.null()
		}
	}}
}

// deploymentsField is the deployments list; deploymentFields are the
// attributes of one deployment.
var deploymentFields = map[string]func(oxen.Deployment) string{
	"status": func(d oxen.Deployment) string { return d.Status },
}

func deploymentsField() field {
	names := slices.Sorted(maps.Keys(deploymentFields))
	attrs := make(map[string]tftypes.Type, len(names))
	for _, n := range names {
		attrs[n] = tftypes.String
	}
	return field{tftypes.List{ElementType: tftypes.Object{AttributeTypes: attrs}}, func(w *wire, m *oxen.Model) {
		w.arrayLen(len(m.Deployments))
		for _, d := range m.Deployments {
			w.mapLen(len(names))
			for _, n := range names {
				w.string(n)
				w.string(deploymentFields[n](d))
			}
		}
	}}
}

// modelFields says how each attribute of a model is filled. Nested fields
// are only called when their object is present.
var modelFields = map[string]field{
	"id":           stringField(func(m *oxen.Model) *string { return &m.ID }),
	"object":       stringField(func(m *oxen.Model) *string { return &m.Object }),
	"created":      intField(func(m *oxen.Model) *int64 { return &m.Created }),
	"owned_by":     stringField(func(m *oxen.Model) *string { return &m.OwnedBy }),
	"display_name": stringField(func(m *oxen.Model) *string { return m.DisplayName }),
	"description":  stringField(func(m *oxen.Model) *string { return m.Description }),
	"summary":      stringField(func(m *oxen.Model) *string { return m.Summary }),
	"model_type":   stringField(func(m *oxen.Model) *string { return m.ModelType }),
	"endpoint":     stringField(func(m *oxen.Model) *string { return m.Endpoint }),
	"capabilities": objectField(func(m *oxen.Model) bool { return m.Capabilities != nil }, map[string]field{
		"input":  stringListField(func(m *oxen.Model) []string { return m.Capabilities.Input }),
		"output": stringListField(func(m *oxen.Model) []string { return m.Capabilities.Output }),
	}),
	"pricing": objectField(func(m *oxen.Model) bool { return m.Pricing != nil }, map[string]field{
		"method":                     stringField(func(m *oxen.Model) *string { return m.Pricing.Method }),
		"input_cost_per_token":       floatField(func(m *oxen.Model) *float64 { return m.Pricing.InputCostPerToken }),
		"output_cost_per_token":      floatField(func(m *oxen.Model) *float64 { return m.Pricing.OutputCostPerToken }),
		"cost_per_second":            floatField(func(m *oxen.Model) *float64 { return m.Pricing.CostPerSecond }),
		"cost_per_image":             floatField(func(m *oxen.Model) *float64 { return m.Pricing.CostPerImage }),
		"cost_per_second_high_res":   floatField(func(m *oxen.Model) *float64 { return m.Pricing.CostPerSecondHighRes }),
		"cost_per_second_with_audio": floatField(func(m *oxen.Model) *float64 { return m.Pricing.CostPerSecondWithAudio }),
		"cost_per_image_grid": floatGridField(func(m *oxen.Model) map[string]map[string]float64 {
			return m.Pricing.CostPerImageGrid
		}),
		"cost_per_second_by_resolution": floatMapField(func(m *oxen.Model) map[string]float64 {
			return m.Pricing.CostPerSecondByResolution
		}),
	}),
	"fine_tuning": objectField(func(m *oxen.Model) bool { return m.FineTuning != nil }, map[string]field{
		"actions":         stringListField(func(m *oxen.Model) []string { return m.FineTuning.Actions }),
		"cost_per_second": floatField(func(m *oxen.Model) *float64 { return m.FineTuning.CostPerSecond }),
	}),
	"deployments": deploymentsField(),
	"status": stringField(func(m *oxen.Model) *string {
		if len(m.Deployments) == 0 {
			return nil
		}
		s := m.Status()
		return &s
	}),
	"developer": objectField(func(m *oxen.Model) bool { return m.Developer != nil }, map[string]field{
		"name": stringField(func(m *oxen.Model) *string { return &m.Developer.Name }),
		"logo": stringField(func(m *oxen.Model) *string { return m.Developer.Logo }),
	}),
	"source_model":      stringField(func(m *oxen.Model) *string { return m.SourceModel }),
	"image_url":         stringField(func(m *oxen.Model) *string { return m.ImageURL }),
	"released_at":       stringField(func(m *oxen.Model) *string { return m.ReleasedAt }),
	"context_length":    intField(func(m *oxen.Model) *int64 { return m.ContextLength }),
	"max_output_tokens": intField(func(m *oxen.Model) *int64 { return m.MaxOutputTok }),
	"request_schema": {tftypes.String, func(w *wire, m *oxen.Model) {
		if len(m.RequestSchema) == 0 {
			w.null()
			return
		}
		s, err := normalizeJSON(m.RequestSchema)
		if err != nil {
			w.fail(unreadableError{model: m.ID, err: err})
			w.null()
			return
		}
		w.string(s)
	}},
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

// mappingDiag is the diagnostic of an error of the mapping.
func mappingDiag(what string, err error) diag.Diagnostic {
	var unreadable unreadableError
	if errors.As(err, &unreadable) {
		return diag.NewErrorDiagnostic("Unreadable request_schema",
			fmt.Sprintf("The request_schema of model %q is not valid JSON: %s", unreadable.model, unreadable.err))
	}
	return diag.NewErrorDiagnostic("Could not map "+what, "This is a bug in the provider; please report it: "+err.Error())
}

// objectFields writes the fields of one object in the order the protocol
// uses, sorted by name, with each name encoded once.
type objectFields struct {
	typ    tftypes.Object
	keys   [][]byte
	fields []field
	byName map[string]field
}

func newObjectFields(fields map[string]field) objectFields {
	obj := objectFields{typ: tftypes.Object{AttributeTypes: make(map[string]tftypes.Type, len(fields))}, byName: fields}
	for _, name := range slices.Sorted(maps.Keys(fields)) {
		var key wire
		key.string(name)
		obj.keys = append(obj.keys, key.buf)
		obj.fields = append(obj.fields, fields[name])
		obj.typ.AttributeTypes[name] = fields[name].typ
	}
	return obj
}

func (o objectFields) write(w *wire, m *oxen.Model) {
	w.mapLen(len(o.fields))
	for i, f := range o.fields {
		w.buf = append(w.buf, o.keys[i]...)
		f.write(w, m)
	}
}

// modelWriter writes model objects once modelFields has been checked
// against the schema.
var modelWriter = sync.OnceValues(func() (objectFields, error) {
	obj := newObjectFields(modelFields)
	if err := sameType("", modelTFType(), obj.typ); err != nil {
		return objectFields{}, fmt.Errorf("the model attributes of the schema and of the mapping differ: %w", err)
	}
	return obj, nil
})

// sameType explains the differences between the schema's type and the
// mapping's, attribute by attribute, or returns nil. at names the value
// compared, empty at the top.
func sameType(at string, schema, mapping tftypes.Type) error {
	if sl, ok := schema.(tftypes.List); ok {
		if ml, ok := mapping.(tftypes.List); ok {
			return sameType(at+"[]", sl.ElementType, ml.ElementType)
		}
	}
	so, sok := schema.(tftypes.Object)
	mo, mok := mapping.(tftypes.Object)
	if !sok || !mok {
		if !schema.Equal(mapping) {
			return fmt.Errorf("%s is %s in the schema but %s in the mapping", at, schema, mapping)
		}
		return nil
	}
	child := func(name string) string {
		if at == "" || strings.HasSuffix(at, "[]") {
			return name
		}
		return at + "." + name
	}
	var errs []string
	for _, name := range slices.Sorted(maps.Keys(so.AttributeTypes)) {
		if _, ok := mo.AttributeTypes[name]; !ok {
			errs = append(errs, fmt.Sprintf("attribute %s has no field in the mapping", child(name)))
		}
	}
	for _, name := range slices.Sorted(maps.Keys(mo.AttributeTypes)) {
		st, ok := so.AttributeTypes[name]
		if !ok {
			errs = append(errs, fmt.Sprintf("field %s of the mapping is not in the schema", child(name)))
			continue
		}
		if err := sameType(child(name), st, mo.AttributeTypes[name]); err != nil {
			errs = append(errs, err.Error())
		}
	}
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "; "))
	}
	return nil
}

// argument writes a configured argument back into the state as written:
// a string, a bool or null, the kinds the data sources' arguments have.
func (w *wire) argument(name string, v tftypes.Value) error {
	switch {
	case v.IsNull():
		w.null()
	case v.Type().Is(tftypes.String):
		var s string
		if err := v.As(&s); err != nil {
			return fmt.Errorf("argument %s: %w", name, err)
		}
		w.string(s)
	case v.Type().Is(tftypes.Bool):
		var b bool
		if err := v.As(&b); err != nil {
			return fmt.Errorf("argument %s: %w", name, err)
		}
		w.bool(b)
	default:
		return fmt.Errorf("argument %s is a %s, which the mapping does not write", name, v.Type())
	}
	return nil
}

// modelState encodes the state of a data source of type typ that is one
// model: each attribute comes from own when it is named there (the
// arguments, raw_json), otherwise from the model's fields.
func modelState(typ tftypes.Type, m *oxen.Model, own map[string]func(w *wire) error) ([]byte, error) {
	obj, err := modelWriter()
	if err != nil {
		return nil, err
	}
	st, ok := typ.(tftypes.Object)
	if !ok {
		return nil, fmt.Errorf("the state is a %s, not an object", typ)
	}
	var w wire
	w.mapLen(len(st.AttributeTypes))
	for _, name := range slices.Sorted(maps.Keys(st.AttributeTypes)) {
		w.string(name)
		if write, ok := own[name]; ok {
			if err := write(&w); err != nil {
				return nil, err
			}
			continue
		}
		f, ok := obj.byName[name]
		if !ok {
			return nil, fmt.Errorf("attribute %s has no field in the mapping", name)
		}
		if err := sameType(name, st.AttributeTypes[name], f.typ); err != nil {
			return nil, err
		}
		f.write(&w, m)
	}
	return w.buf, w.err
}

// deploymentsValue is the deployments list as a framework value, for the
// activation resource's state.
func deploymentsValue(ctx context.Context, deps []oxen.Deployment, diags *diag.Diagnostics) types.List {
	elem := types.ObjectType{AttrTypes: deploymentAttrTypes}
	f := modelFields["deployments"]
	var w wire
	f.write(&w, &oxen.Model{Deployments: deps})
	v, err := (&tfprotov6.DynamicValue{MsgPack: w.buf}).Unmarshal(f.typ)
	if err == nil {
		var list attr.Value
		list, err = types.ListType{ElemType: elem}.ValueFromTerraform(ctx, v)
		if l, ok := list.(types.List); ok && err == nil {
			return l
		}
		if err == nil {
			err = fmt.Errorf("deployments mapped to %T", list)
		}
	}
	diags.AddError("Could not map the deployments", "This is a bug in the provider; please report it: "+err.Error())
	return types.ListNull(elem)
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

// wire appends values in the msgpack encoding of the plugin protocol, as
// terraform-plugin-go's own encoder writes them.
type wire struct {
	buf []byte
	err error
}

// fail keeps the first error; the caller checks it once at the end.
func (w *wire) fail(err error) {
	if w.err == nil {
		w.err = err
	}
}

func (w *wire) null() { w.buf = append(w.buf, 0xc0) }

func (w *wire) bool(b bool) {
	if b {
		w.buf = append(w.buf, 0xc3)
	} else {
		w.buf = append(w.buf, 0xc2)
	}
}

func (w *wire) string(s string) {
	switch n := len(s); {
	case n < 32:
		w.buf = append(w.buf, 0xa0|byte(n))
	case n < 1<<8:
		w.buf = append(w.buf, 0xd9, byte(n))
	case n < 1<<16:
		w.buf = append(w.buf, 0xda, byte(n>>8), byte(n))
	default:
		w.buf = append(w.buf, 0xdb, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
	w.buf = append(w.buf, s...)
}

func (w *wire) stringPtr(s *string) {
	if s == nil {
		w.null()
	} else {
		w.string(*s)
	}
}

func (w *wire) int(i int64) {
	if i >= -32 && i < 128 {
		w.buf = append(w.buf, byte(i))
		return
	}
	u := uint64(i)
	w.buf = append(w.buf, 0xd3, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

// float writes a whole number as an integer, as terraform-plugin-go does,
// so the same number always has the same encoding.
func (w *wire) float(f float64) {
	if f == math.Trunc(f) && f >= math.MinInt64 && f < math.MaxInt64 {
		w.int(int64(f))
		return
	}
	u := math.Float64bits(f)
	w.buf = append(w.buf, 0xcb, byte(u>>56), byte(u>>48), byte(u>>40), byte(u>>32), byte(u>>24), byte(u>>16), byte(u>>8), byte(u))
}

func (w *wire) floatMap(m map[string]float64) { writeMap(w, m, w.float) }

// writeMap writes m with its keys sorted, so one answer always encodes the
// same way, or null when m is nil.
func writeMap[V any](w *wire, m map[string]V, value func(V)) {
	if m == nil {
		w.null()
		return
	}
	w.mapLen(len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		w.string(k)
		value(m[k])
	}
}

func (w *wire) arrayLen(n int) { w.collectionLen(n, 0x90, 0xdc, 0xdd) }

func (w *wire) mapLen(n int) { w.collectionLen(n, 0x80, 0xde, 0xdf) }

func (w *wire) collectionLen(n int, fix, len16, len32 byte) {
	switch {
	case n < 16:
		w.buf = append(w.buf, fix|byte(n))
	case n < 1<<16:
		w.buf = append(w.buf, len16, byte(n>>8), byte(n))
	default:
		w.buf = append(w.buf, len32, byte(n>>24), byte(n>>16), byte(n>>8), byte(n))
	}
}
