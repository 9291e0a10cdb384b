package oxen

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func FuzzDecodeModel(f *testing.F) {
	full := fullModel(f)
	for _, seed := range []string{
		string(full),
		minimalModel,
		`{"id":"x","deployments":[null,{"status":7}]}`,
		`{"id":"x","pricing":{"cost_per_image_grid":{"a":null,"b":{"c":null}}}}`,
		`{"id":"x","request_schema":null,"created":1e3}`,
		`null`, `[]`, `{}`, `"str"`, `<html>`, `{"id":"x"`, ``, "\xff",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		m, err := decodeModel(body)
		if err != nil {
			if m != nil {
				t.Fatalf("model and error both returned")
			}
			if len(err.Error()) > 2000 {
				t.Fatalf("error text of %d bytes", len(err.Error()))
			}
			return
		}
		if m.ID == "" {
			t.Fatalf("decoded a model without id from %q", body)
		}
		if !json.Valid(m.Raw) || !bytes.Equal(m.Raw, bytes.Trim(body, " \t\r\n")) {
			t.Fatalf("Raw %q is not the body %q", m.Raw, body)
		}
		if m.RequestSchema != nil && !json.Valid(m.RequestSchema) {
			t.Fatalf("request_schema %q is not JSON", m.RequestSchema)
		}
		_ = m.Status()
		_ = m.IsBase()
		if _, err := decodeModelList([]byte(`{"object":"list","data":[` + string(body) + `]}`)); err != nil {
			t.Fatalf("a model that decodes alone fails in a list: %v", err)
		}
	})
}

func FuzzParseErrorBody(f *testing.F) {
	for _, seed := range []string{
		notFoundBody,
		`{"error":{"message":"Model not found: bad-model-name"}}`,
		`{"error":"unauthenticated"}`,
		`{"error":{"type":"x"},"status_message":"y"}`,
		`{"error":[1,2]}`,
		`{"error":null,"message":"m"}`,
		`<html><head><title>502 Bad Gateway</title></head></html>`,
		`<html><script>x</script>text</html>`,
		"\x00\x1b[31m\xff\xfe",
		strings.Repeat("é", 300),
		``,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		typ, msg, _ := parseErrorBody(body)
		for name, s := range map[string]string{"type": typ, "message": msg} {
			if len(s) > maxMessageLen {
				t.Fatalf("%s of %d bytes", name, len(s))
			}
			if !utf8.ValidString(s) {
				t.Fatalf("%s %q is not UTF-8", name, s)
			}
			if strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
				t.Fatalf("%s %q is not trimmed and collapsed", name, s)
			}
			for _, r := range s {
				if !unicode.IsPrint(r) && r != ' ' {
					t.Fatalf("%s %q holds unprintable %U", name, s, r)
				}
			}
		}
		e := &APIError{StatusCode: 500, Method: "GET", Path: "/p", Type: typ, Message: msg}
		if strings.ContainsAny(e.Error(), "\n\r\x00") {
			t.Fatalf("Error() is not one line: %q", e.Error())
		}
	})
}
