package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// Not parallel: it sets OXEN_API_KEY. A key of only white space (a key
// file holding an empty line) is no key: the error on a custom model gives
// the advice for a missing key, and following it with a padded key (as
// file() gives one) reads the model.
func TestAccProvider_blankKeyIsNoKey(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(envAPIKey, " \t\n")
	cfg := fmt.Sprintf("provider \"oxen\" {\n  base_url = %q\n}\n", env.url) + lookup("custom", "support-bot-ft")
	followNoKeyAdvice(t, env, cfg, "\t"+testAPIKey+" \n")
}

// Not parallel: it sets OXEN_API_KEY. A blank api_key in the provider block
// is no key either, and does not hide the environment variable: setting
// OXEN_API_KEY as advised, with the blank block left as it is, reads the
// model.
func TestAccProvider_blankKeyInBlockFallsBackToEnvironment(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(envAPIKey, "")
	followNoKeyAdvice(t, env, env.configWithKey(" \n", lookup("custom", "support-bot-ft")), testAPIKey+"\n")
}

// followNoKeyAdvice reads the custom model support-bot-ft with cfg, which
// sends no key: the error advises setting OXEN_API_KEY. Set to key, the
// same configuration reads the model.
func followNoKeyAdvice(t *testing.T, env *testEnv, cfg, key string) {
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: cfg,
			ExpectError: wrapped(`Could not read model "support-bot-ft" .* Model not found: support-bot-ft .* ` +
				`Check the model id (data "oxen_models" lists them). Custom models are visible only to their owner: ` +
				`if this is one, set OXEN_API_KEY.`),
		}, {
			PreConfig: func() { t.Setenv(envAPIKey, key) },
			Config:    cfg,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.oxen_model.custom", tfjsonpath.New("owned_by"), knownvalue.StringExact("acme-ml")),
			},
		}},
	})
}

// A rejected key on a base model: the advice does not send the user to
// "the account that owns the model" (the hub owns base models). Both of
// its remedies work: a current key, or no key at all.
func TestAccModelDataSource_rejectedKeyOnBaseModel(t *testing.T) {
	env := newTestEnv(t)
	ownedByOxen := []statecheck.StateCheck{
		statecheck.ExpectKnownValue("data.oxen_model.m", tfjsonpath.New("owned_by"), knownvalue.StringExact("oxen")),
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(),
		Steps: []resource.TestStep{{
			Config: env.configWithKey("sk-wrong-key-123", sonnetLookup),
			ExpectError: wrapped(`Could not read model "claude-sonnet-4-6" .* 401 Unauthorized: Invalid or missing API key .* ` +
				`The API key was rejected. Check that OXEN_API_KEY (or the provider's api_key) holds a current key: of ` +
				`your Oxen account for a base model, of the account that owns the model for a custom one. Base models ` +
				`can also be read with no key at all, but never with a rejected one.`),
		}, {
			Config:            env.configWithKey(testAPIKey, sonnetLookup),
			ConfigStateChecks: ownedByOxen,
		}, {
			Config:            env.configWithKey("", sonnetLookup),
			ConfigStateChecks: ownedByOxen,
		}},
	})
}
