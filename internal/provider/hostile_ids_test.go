package provider

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

// Model ids are user input that ends up in a URL path. Whatever the id,
// the request stays one escaped path segment under /api/ai/models/, or is
// refused before it is sent.
func TestAccModelDataSource_hostileIDs(t *testing.T) {
	env := newTestEnv(t)
	lookup := func(id string) string {
		return env.config(fmt.Sprintf("data \"oxen_model\" \"m\" {\n  id = %q\n}\n", id))
	}
	notFound := func(id string) resource.TestStep {
		return resource.TestStep{Config: lookup(id), ExpectError: wrapped("Model not found: " + id)}
	}
	refused := func(id, why string) resource.TestStep {
		return resource.TestStep{Config: lookup(id), ExpectError: wrapped(why)}
	}
	env.test(
		notFound("../models"),
		notFound(".."),
		notFound("gpt-5/activate"),
		notFound("gpt-5?deployment_status=live"),
		notFound("gpt-5#frag"),
		notFound("a%2Fb"),
		notFound("two words"),
		refused("tab\there", `Could not read model .* contains the control character U+0009`),
		refused(strings.Repeat("x", 10000), `Could not read model .* is 10000 bytes long, more than the 1024 allowed`),
		refused("", `Attribute id string length must be at least 1, got: 0`),
	)
	for _, r := range env.sim.Requests() {
		rest, ok := strings.CutPrefix(r.Path, "/api/ai/models/")
		if !ok || rest == "" || strings.Contains(rest, "/") || r.Method != "GET" || r.RawQuery != "" {
			t.Errorf("a hostile id escaped its path segment: %s %s?%s", r.Method, r.Path, r.RawQuery)
		}
	}
	if n := len(env.sim.Requests()); n < 7 {
		t.Fatalf("only %d requests reached the hub; the not-found cases did not run", n)
	}
}
