package provider

import (
	"fmt"
	"net/http/httptest"
	"os"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// testAPIKey is the key the simulator accepts in acceptance tests.
const testAPIKey = "sk-test-4f1c9a7e2b"

// testEnv is one simulated Oxen hub and the provider wired to it. The
// simulator and the provider share a fake clock, so a deployment that takes
// minutes on the hub settles in microseconds here while every poll and
// backoff still happens in the same order as on a real clock.
type testEnv struct {
	t     *testing.T
	sim   *oxensim.Server
	url   string
	clock *clock.Fake
}

type envOption func(*oxensim.Options)

func newTestEnv(t *testing.T, opts ...envOption) *testEnv {
	t.Helper()
	fake := clock.NewFake(time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC))
	o := oxensim.Options{
		APIKey:             testAPIKey,
		Clock:              fake,
		DeployDuration:     60 * time.Second,
		DeactivateDuration: 20 * time.Second,
	}
	for _, opt := range opts {
		opt(&o)
	}
	sim := oxensim.New(o)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return &testEnv{t: t, sim: sim, url: srv.URL, clock: fake}
}

// factories serves the provider in-process, sharing the env's fake clock.
func (e *testEnv) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"oxen": func() (tfprotov6.ProviderServer, error) {
			return serve(&OxenProvider{version: "test", clock: e.clock, locks: newModelLocks()}), nil
		},
	}
}

// wrappedFactories serves the provider behind wrap, which sees every RPC
// Terraform makes: to count reads, scan answers or press Ctrl-C.
func (e *testEnv) wrappedFactories(wrap func(tfprotov6.ProviderServer) tfprotov6.ProviderServer) map[string]func() (tfprotov6.ProviderServer, error) {
	factories := e.factories()
	inner := factories["oxen"]
	factories["oxen"] = func() (tfprotov6.ProviderServer, error) {
		s, err := inner()
		if err != nil {
			return nil, err
		}
		return wrap(s), nil
	}
	return factories
}

// planIsEmpty is the step that plans cfg again after it was applied and
// expects no change: data sources must not produce diffs on their own.
func planIsEmpty(cfg string) resource.TestStep {
	return resource.TestStep{
		Config: cfg,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
		},
	}
}

// config returns a provider block pointed at the simulator, followed by body.
func (e *testEnv) config(body string) string {
	return e.configWithKey(testAPIKey, body)
}

func (e *testEnv) configWithKey(key, body string) string {
	keyLine := ""
	if key != "" {
		keyLine = fmt.Sprintf("  api_key  = %q\n", key)
	}
	return fmt.Sprintf(`
provider "oxen" {
  base_url    = %q
%s  max_retries = 2
}
%s`, e.url, keyLine, body)
}

func TestMain(m *testing.M) {
	// The acceptance tests configure the provider explicitly; a developer's
	// own key or URL in the environment must not leak into them.
	for _, err := range []error{os.Unsetenv(envAPIKey), os.Unsetenv(envBaseURL), os.Setenv("CHECKPOINT_DISABLE", "1")} {
		if err != nil {
			panic(err)
		}
	}
	code := m.Run()
	if builtProviderDir != "" {
		_ = os.RemoveAll(builtProviderDir)
	}
	os.Exit(code)
}
