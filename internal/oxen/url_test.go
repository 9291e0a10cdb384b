package oxen

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
)

func TestParseBaseURL(t *testing.T) {
	// Each input parses to url, or fails with an error containing err.
	for in, want := range map[string]struct{ url, err string }{
		"https://hub.oxen.ai":            {url: "https://hub.oxen.ai"},
		"https://hub.oxen.ai/":           {url: "https://hub.oxen.ai"},
		"  https://hub.oxen.ai//  ":      {url: "https://hub.oxen.ai"},
		"http://localhost:8080":          {url: "http://localhost:8080"},
		"https://proxy.example/oxen":     {url: "https://proxy.example/oxen"},
		"https://proxy.example/oxen/":    {url: "https://proxy.example/oxen"},
		"HTTPS://Proxy.Example/a/b%2Fc/": {url: "https://Proxy.Example/a/b%2Fc"},
		"http://[::1]:9000/x":            {url: "http://[::1]:9000/x"},
		"https://proxy.example/oxen-api": {url: "https://proxy.example/oxen-api"},
		"https://proxy.example/api/oxen": {url: "https://proxy.example/api/oxen"},
		"":                               {err: "empty"},
		"   ":                            {err: "empty"},
		"hub.oxen.ai":                    {err: "no scheme"},
		"/api":                           {err: "no scheme"},
		"ftp://hub.oxen.ai":              {err: `scheme "ftp"`},
		"localhost:8080":                 {err: `scheme "localhost"`},
		"https://":                       {err: "no host"},
		"https:hub.oxen.ai":              {err: "no host"},
		"https://:8080":                  {err: "no host"},
		"https://hub.oxen.ai?x=1":        {err: "must not contain a query"},
		"https://hub.oxen.ai/?":          {err: "must not contain a query"},
		"https://hub.oxen.ai#frag":       {err: "must not contain a fragment"},
		"https://hub.oxen.ai#":           {err: "must not contain a fragment"},
		"https://user:pw@hub.oxen.ai":    {err: "must not contain user info"},
		"http://hub.oxen.ai/%zz":         {err: "not a valid URL"},
		"https://hub oxen.ai":            {err: "not a valid URL"},
		// Every API path starts with /api: these would send /api/api/ai/models.
		"https://hub.oxen.ai/api":         {err: `"https://hub.oxen.ai/api" ends in /api, which every API path starts with: requests would go to https://hub.oxen.ai/api/api/ai/models`},
		"https://proxy.example/oxen/api/": {err: `ends in /api, which every API path starts with: requests would go to https://proxy.example/oxen/api/api/ai/models`},
	} {
		u, err := ParseBaseURL(in)
		if want.err == "" {
			if err != nil {
				t.Errorf("ParseBaseURL(%q): %v", in, err)
			} else if u.String() != want.url {
				t.Errorf("ParseBaseURL(%q) = %q, want %q", in, u, want.url)
			}
			continue
		}
		if err == nil {
			t.Errorf("ParseBaseURL(%q) = %q, want an error", in, u)
			continue
		}
		msg := err.Error()
		// What the root should be is the caller's to say of a base URL
		// that is one only too long.
		example := errors.Is(err, ErrBaseURLEndsInAPI) || strings.Contains(msg, `"https://hub.oxen.ai"`)
		if !strings.Contains(msg, want.err) || !example {
			t.Errorf("ParseBaseURL(%q) error %q lacks %q or the example", in, msg, want.err)
		}
		if strings.Contains(want.err, "/api") != errors.Is(err, ErrBaseURLEndsInAPI) {
			t.Errorf("ParseBaseURL(%q) error %q: errors.Is ErrBaseURLEndsInAPI is %v", in, msg, errors.Is(err, ErrBaseURLEndsInAPI))
		}
		if strings.Contains(msg, "pw") {
			t.Errorf("ParseBaseURL(%q) error leaks the password: %q", in, msg)
		}
	}
}

// Hostile ids stay one path segment: the server sees exactly the escaped
// segment, no query, no fragment, no climbing out of /api/ai/models.
func TestModelIDEscaping(t *testing.T) {
	cases := map[string]string{
		"claude-sonnet-4-6": "/api/ai/models/claude-sonnet-4-6",
		"../x":              "/api/ai/models/..%2Fx",
		"..":                "/api/ai/models/%2E%2E",
		".":                 "/api/ai/models/%2E",
		"a/b":               "/api/ai/models/a%2Fb",
		"a?b=c":             "/api/ai/models/a%3Fb=c",
		"a#b":               "/api/ai/models/a%23b",
		"%2F":               "/api/ai/models/%252F",
		"with space":        "/api/ai/models/with%20space",
		"modèle-日本":         "/api/ai/models/mod%C3%A8le-%E6%97%A5%E6%9C%AC",
		"a;b,c":             "/api/ai/models/a%3Bb%2Cc",
		"//evil.example/x":  "/api/ai/models/%2F%2Fevil.example%2Fx",
		"http://evil":       "/api/ai/models/http:%2F%2Fevil",
		"0d3f7a2c-uuid":     "/api/ai/models/0d3f7a2c-uuid",
	}
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, minimalModel)
	})
	c, _ := newTestClient(t, f, func(c *Config) { c.BaseURL = f.URL + "/prefix" })
	for id, want := range cases {
		for _, call := range []struct {
			name, suffix string
			do           func() error
		}{
			{"get", "", func() error { _, err := c.GetModel(context.Background(), id, GetOptions{}); return err }},
			{"activate", "/activate", func() error { _, err := c.ActivateModel(context.Background(), id); return err }},
		} {
			if err := call.do(); err != nil {
				t.Errorf("%s(%q): %v", call.name, id, err)
				continue
			}
			r := f.lastRequest()
			if got, w := r.URL.EscapedPath(), "/prefix"+want+call.suffix; got != w || r.RequestURI != w {
				t.Errorf("%s(%q): server saw %q (request URI %q), want %q", call.name, id, got, r.RequestURI, w)
			}
			if r.URL.RawQuery != "" || r.Host != f.Listener.Addr().String() {
				t.Errorf("%s(%q): query %q host %q", call.name, id, r.URL.RawQuery, r.Host)
			}
		}
	}
}

func TestInvalidModelIDsSendNothing(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, minimalModel) })
	c, _ := newTestClient(t, f)
	cases := map[string]string{
		"":                                      "the id is empty",
		strings.Repeat("a", MaxModelIDLength+1): "1025 bytes long",
		"a\x00b":                                "U+0000",
		"line\nbreak":                           "U+000A",
		"tab\there":                             "U+0009",
		"del\x7f":                               "U+007F",
		"c1\u0085":                              "U+0085",
		"bad\xffutf8":                           "not valid UTF-8",
	}
	for id, want := range cases {
		for name, call := range map[string]func() error{
			"GetModel":        func() error { _, err := c.GetModel(context.Background(), id, GetOptions{}); return err },
			"ActivateModel":   func() error { _, err := c.ActivateModel(context.Background(), id); return err },
			"DeactivateModel": func() error { _, err := c.DeactivateModel(context.Background(), id); return err },
		} {
			err := call()
			if !errors.Is(err, ErrInvalidModelID) || !strings.Contains(err.Error(), want) {
				t.Errorf("%s(%.20q) = %v, want ErrInvalidModelID mentioning %q", name, id, err, want)
			}
		}
	}
	if n := f.hits.Load(); n != 0 {
		t.Errorf("%d requests sent for invalid ids", n)
	}
	if err := ValidateModelID(strings.Repeat("a", MaxModelIDLength)); err != nil {
		t.Errorf("an id of exactly MaxModelIDLength bytes is refused: %v", err)
	}
}
