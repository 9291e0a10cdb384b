package oxen

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// unexpectedBody is a 2xx body that is not what the endpoint promises. Its
// text completes "the API answered 200 OK ...".
type unexpectedBody struct {
	what  string
	cause error
}

func (e *unexpectedBody) Error() string {
	if e.cause != nil {
		return e.what + ": " + e.cause.Error()
	}
	return e.what
}

func (e *unexpectedBody) Unwrap() error        { return e.cause }
func (e *unexpectedBody) Is(target error) bool { return target == ErrUnexpectedResponse }

// checkJSON rejects bodies that are not JSON at all (an HTML page from a
// proxy, a truncated document) with an excerpt, so the error shows what came
// back instead of a bare syntax error offset.
func checkJSON(body []byte) error {
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 {
		return &unexpectedBody{what: "with an empty body where JSON was expected"}
	}
	if !json.Valid(trimmed) {
		return &unexpectedBody{what: fmt.Sprintf("with a body that is not JSON: %q", excerpt(trimmed))}
	}
	return nil
}

// decodeModel reads one Model. Unknown fields, nulls and enum values this
// client does not know pass through; a body without an id is refused since
// nothing could refer to it.
func decodeModel(body []byte) (*Model, error) {
	if err := checkJSON(body); err != nil {
		return nil, err
	}
	var m Model
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, &unexpectedBody{what: "with JSON that is not a model", cause: err}
	}
	if m.ID == "" {
		return nil, &unexpectedBody{what: "with a model that has no id"}
	}
	return &m, nil
}

// decodeModelList reads the {"object":"list","data":[...]} envelope. A
// missing or null data is an empty catalog; null entries are skipped.
func decodeModelList(body []byte) ([]Model, error) {
	if err := checkJSON(body); err != nil {
		return nil, err
	}
	var env struct {
		Data []json.RawMessage `json:"data"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, &unexpectedBody{what: "with JSON that is not a model list", cause: err}
	}
	models := make([]Model, 0, len(env.Data))
	for i, raw := range env.Data {
		if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
			continue
		}
		var m Model
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, &unexpectedBody{what: fmt.Sprintf("with a list whose entry %d is not a model", i), cause: err}
		}
		models = append(models, m)
	}
	return models, nil
}
