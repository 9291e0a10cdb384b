package provider

import (
	"context"
	"errors"
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"

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
