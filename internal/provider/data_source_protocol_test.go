package provider

import (
	"context"
	"errors"
	"maps"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// The protocol layer answers oxen_model and oxen_models exactly as the
// framework would with each data source's own Read: same state, same
// diagnostics.
func TestCatalogServerAnswersAsTheFramework(t *testing.T) {
	sim := httptest.NewServer(oxensim.New(oxensim.Options{APIKey: testAPIKey}))
	t.Cleanup(sim.Close)
	newProvider := func() *OxenProvider {
		return &OxenProvider{version: "test", clock: clock.Real(), locks: newModelLocks()}
	}
	type servers struct{ layered, framework tfprotov6.ProviderServer }
	var schemas *tfprotov6.GetProviderSchemaResponse
	byKey := map[string]servers{}
	for _, key := range []string{testAPIKey, "sk-revoked"} {
		layered := newCatalogServer(newProvider())
		_, schemas = configure(t, layered, sim.URL, key)
		// Every read must be the layer's own.
		layered.ProviderServer = frameworkReadsRefused{layered.ProviderServer}
		framework, _ := configure(t, providerserver.NewProtocol6(newProvider())(), sim.URL, key)
		byKey[key] = servers{layered, framework}
	}

	for name, c := range map[string]struct {
		key, typeName string
		args          map[string]string
		live          bool
	}{
		"the whole catalog":         {testAPIKey, modelsTypeName, nil, false},
		"filters ignoring case":     {testAPIKey, modelsTypeName, map[string]string{"model_type": "Custom", "endpoint": "images/generate"}, false},
		"a filter matching nothing": {testAPIKey, modelsTypeName, map[string]string{"endpoint": "/image/generate", "input_modality": "txt"}, false},
		"search":                    {testAPIKey, modelsTypeName, map[string]string{"search": "kling", "output_modality": "video"}, false},
		"the catalog, key refused":  {"sk-revoked", modelsTypeName, nil, false},
		"a base model":              {testAPIKey, modelTypeName, map[string]string{"id": "gpt-image-1"}, false},
		"a custom model, live":      {testAPIKey, modelTypeName, map[string]string{"id": "support-bot-ft"}, true},
		"a missing model":           {testAPIKey, modelTypeName, map[string]string{"id": "no-such-model"}, false},
		"a model, key refused":      {"sk-revoked", modelTypeName, map[string]string{"id": "support-bot-ft"}, false},
	} {
		t.Run(name, func(t *testing.T) {
			layered, framework := byKey[c.key].layered, byKey[c.key].framework
			typ := schemas.DataSourceSchemas[c.typeName].ValueType()
			config := nullObject(typ, c.args)
			if c.live {
				var vals map[string]tftypes.Value
				if err := config.As(&vals); err != nil {
					t.Fatal(err)
				}
				vals["live_status"] = tftypes.NewValue(tftypes.Bool, true)
				config = tftypes.NewValue(typ, vals)
			}
			cfg, err := tfprotov6.NewDynamicValue(typ, config)
			if err != nil {
				t.Fatal(err)
			}
			req := &tfprotov6.ReadDataSourceRequest{TypeName: c.typeName, Config: &cfg}
			got, err := layered.ReadDataSource(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			want, err := framework.ReadDataSource(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Diagnostics) != len(want.Diagnostics) {
				t.Fatalf("diagnostics %v, want %v", got.Diagnostics, want.Diagnostics)
			}
			// Each server's request has its own id.
			requestID := regexp.MustCompile(`req_\d+`)
			for i, d := range got.Diagnostics {
				w := want.Diagnostics[i]
				if d.Severity != w.Severity || d.Summary != w.Summary || !d.Attribute.Equal(w.Attribute) ||
					requestID.ReplaceAllString(d.Detail, "req_N") != requestID.ReplaceAllString(w.Detail, "req_N") {
					t.Errorf("diagnostic %d = %+v, want %+v", i, d, w)
				}
			}
			// After an error Terraform reads no state: the framework sends
			// an empty one, the layer none.
			if slices.ContainsFunc(got.Diagnostics, func(d *tfprotov6.Diagnostic) bool {
				return d.Severity == tfprotov6.DiagnosticSeverityError
			}) {
				if got.State != nil {
					t.Errorf("state %v sent with an error", got.State)
				}
				return
			}
			if got.State == nil || want.State == nil {
				t.Fatalf("state %v, want %v", got.State, want.State)
			}
			gv, err := got.State.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			wv, err := want.State.Unmarshal(typ)
			if err != nil {
				t.Fatal(err)
			}
			if diff, err := gv.Diff(wv); err != nil || len(diff) > 0 {
				t.Errorf("state differs from the framework's: %v %v", diff, err)
			}
		})
	}
}

type frameworkReadsRefused struct{ tfprotov6.ProviderServer }

func (frameworkReadsRefused) ReadDataSource(context.Context, *tfprotov6.ReadDataSourceRequest) (*tfprotov6.ReadDataSourceResponse, error) {
	return nil, errors.New("the read was passed on to the framework")
}

// oxen_model's configuration is validated by the protocol layer with the
// same diagnostics as the framework's validation; oxen_models' goes on to
// the framework.
func TestCatalogServerValidatesAsTheFramework(t *testing.T) {
	newProvider := func() *OxenProvider {
		return &OxenProvider{version: "test", clock: clock.Real(), locks: newModelLocks()}
	}
	layered := newCatalogServer(newProvider())
	framework := providerserver.NewProtocol6(newProvider())()
	schemas, err := framework.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	// oxen_model's validation must be the layer's own; oxen_models' the
	// framework's.
	var passedOn []string
	layered.ProviderServer = validationSpy{layered.ProviderServer, &passedOn}

	unknown := tftypes.NewValue(tftypes.String, tftypes.UnknownValue)
	for name, c := range map[string]struct {
		typeName string
		args     map[string]tftypes.Value
		wantErr  string // a diagnostic summary both must send, or "" for none
	}{
		"an id":               {modelTypeName, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "gpt-image-1")}, ""},
		"an empty id":         {modelTypeName, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, "")}, "Invalid Attribute Value Length"},
		"an empty id, live":   {modelTypeName, map[string]tftypes.Value{"id": tftypes.NewValue(tftypes.String, ""), "live_status": tftypes.NewValue(tftypes.Bool, true)}, "Invalid Attribute Value Length"},
		"an id not known yet": {modelTypeName, map[string]tftypes.Value{"id": unknown}, ""},
		"no id":               {modelTypeName, nil, "Missing Configuration for Required Attribute"},
		"a model type typo":   {modelsTypeName, map[string]tftypes.Value{"model_type": tftypes.NewValue(tftypes.String, "fine-tuned")}, "Invalid Attribute Value Match"},
	} {
		t.Run(name, func(t *testing.T) {
			passedOn = nil
			typ := schemas.DataSourceSchemas[c.typeName].ValueType()
			config := nullObject(typ, nil)
			var vals map[string]tftypes.Value
			if err := config.As(&vals); err != nil {
				t.Fatal(err)
			}
			maps.Copy(vals, c.args)
			cfg, err := tfprotov6.NewDynamicValue(typ, tftypes.NewValue(typ, vals))
			if err != nil {
				t.Fatal(err)
			}
			req := &tfprotov6.ValidateDataResourceConfigRequest{TypeName: c.typeName, Config: &cfg}
			got, err := layered.ValidateDataResourceConfig(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			want, err := framework.ValidateDataResourceConfig(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			// A missing id, which the CLIs refuse themselves, is left to
			// the framework too.
			if wantPassed := c.typeName == modelsTypeName || c.args == nil; (len(passedOn) > 0) != wantPassed {
				t.Errorf("passed on to the framework: %v, want %t", passedOn, wantPassed)
			}
			if len(got.Diagnostics) != len(want.Diagnostics) {
				t.Fatalf("diagnostics %v, want %v", got.Diagnostics, want.Diagnostics)
			}
			for i, d := range got.Diagnostics {
				if w := want.Diagnostics[i]; d.Severity != w.Severity || d.Summary != w.Summary || d.Detail != w.Detail || !d.Attribute.Equal(w.Attribute) {
					t.Errorf("diagnostic %d = %+v, want %+v", i, d, w)
				}
			}
			if c.wantErr != "" && (len(got.Diagnostics) != 1 || got.Diagnostics[0].Summary != c.wantErr) {
				t.Errorf("diagnostics %+v, want one %q", got.Diagnostics, c.wantErr)
			}
			if c.wantErr == "" && len(got.Diagnostics) != 0 {
				t.Errorf("diagnostics %+v, want none", got.Diagnostics)
			}
		})
	}
}

type validationSpy struct {
	tfprotov6.ProviderServer
	passedOn *[]string
}

func (s validationSpy) ValidateDataResourceConfig(ctx context.Context, req *tfprotov6.ValidateDataResourceConfigRequest) (*tfprotov6.ValidateDataResourceConfigResponse, error) {
	*s.passedOn = append(*s.passedOn, req.TypeName)
	return s.ProviderServer.ValidateDataResourceConfig(ctx, req)
}

// The protocol layer runs oxen_model's string validators only: a check of
// any other kind added to the data source would be skipped, so it must not
// have one (or the layer must learn it).
func TestProtocolValidatedSchemas(t *testing.T) {
	var ds datasource.DataSource = &ModelDataSource{}
	if _, ok := ds.(datasource.DataSourceWithConfigValidators); ok {
		t.Error("oxen_model has config validators, which catalogServer.ValidateDataResourceConfig does not run")
	}
	if _, ok := ds.(datasource.DataSourceWithValidateConfig); ok {
		t.Error("oxen_model has ValidateConfig, which catalogServer.ValidateDataResourceConfig does not run")
	}
	var walk func(prefix string, attrs map[string]schema.Attribute)
	walk = func(prefix string, attrs map[string]schema.Attribute) {
		for name, a := range attrs {
			if _, ok := a.(schema.StringAttribute); ok && prefix == "" {
				continue // run by the layer
			}
			v := reflect.ValueOf(a)
			if f := v.FieldByName("Validators"); f.IsValid() && f.Len() > 0 {
				t.Errorf("%s%s has validators, which catalogServer.ValidateDataResourceConfig does not run", prefix, name)
			}
			if n := v.FieldByName("NestedObject"); n.IsValid() {
				no := n.Interface().(schema.NestedAttributeObject)
				if len(no.Validators) > 0 {
					t.Errorf("%s%s's elements have validators", prefix, name)
				}
				walk(prefix+name+".", no.Attributes)
			}
			if n := v.FieldByName("Attributes"); n.IsValid() {
				walk(prefix+name+".", n.Interface().(map[string]schema.Attribute))
			}
		}
	}
	walk("", modelSchema().Attributes)
}
