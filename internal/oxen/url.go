package oxen

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxModelIDLength bounds a model id in bytes. Real ids are short names or
// UUIDs; anything this long is a mistake, and refusing it keeps absurd URLs
// off the wire.
const MaxModelIDLength = 1024

// ErrInvalidModelID is wrapped by every error ValidateModelID returns, so a
// caller can tell a refused id from an API failure with errors.Is.
var ErrInvalidModelID = errors.New("invalid model id")

const baseURLExample = `"https://hub.oxen.ai"`

// apiPrefix starts every API path.
const (
	apiPrefix  = "/api"
	modelsPath = apiPrefix + "/ai/models"
)

// ErrBaseURLEndsInAPI is wrapped by the error ParseBaseURL returns for a
// base URL whose path ends in /api: every API path starts with /api, so
// requests would go to /api/api/ai/models, which nothing serves.
var ErrBaseURLEndsInAPI = errors.New("ends in " + apiPrefix)

// ParseBaseURL checks that s is a usable root for the API: an absolute http
// or https URL with a host, optionally a path prefix (for a proxy), and no
// query, fragment or user info. Surrounding spaces and trailing slashes are
// dropped, so "https://proxy.example/oxen/" becomes
// "https://proxy.example/oxen".
func ParseBaseURL(s string) (*url.URL, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, fmt.Errorf("base URL is empty; expected an absolute http or https URL such as %s", baseURLExample)
	}
	u, err := url.Parse(s)
	if err != nil {
		// url.Error repeats the input; the unwrapped cause is enough.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		return nil, fmt.Errorf("base URL %q is not a valid URL (%v); expected an absolute http or https URL such as %s", s, err, baseURLExample)
	}
	switch {
	case u.Scheme == "":
		return nil, fmt.Errorf("base URL %q has no scheme; expected an absolute http or https URL such as %s", s, baseURLExample)
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, fmt.Errorf("base URL %q uses scheme %q; only http and https are supported, as in %s", s, u.Scheme, baseURLExample)
	case u.Opaque != "" || u.Hostname() == "":
		return nil, fmt.Errorf("base URL %q has no host; expected an absolute http or https URL such as %s", s, baseURLExample)
	case u.User != nil:
		return nil, fmt.Errorf("base URL %q must not contain user info (credentials); give the API key separately, and the URL as in %s", redactUserInfo(u), baseURLExample)
	case u.RawQuery != "" || u.ForceQuery:
		return nil, fmt.Errorf("base URL %q must not contain a query (?...); expected a root URL such as %s", s, baseURLExample)
	case u.Fragment != "" || strings.Contains(s, "#"):
		return nil, fmt.Errorf("base URL %q must not contain a fragment (#...); expected a root URL such as %s", s, baseURLExample)
	}
	u.Path = strings.TrimRight(u.Path, "/")
	u.RawPath = strings.TrimRight(u.RawPath, "/")
	if strings.HasSuffix(u.Path, apiPrefix) {
		return nil, fmt.Errorf("base URL %q %w, which every API path starts with: requests would go to %s%s",
			s, ErrBaseURLEndsInAPI, u, modelsPath)
	}
	return u, nil
}

func redactUserInfo(u *url.URL) string {
	c := *u
	c.User = url.User("****")
	return c.String()
}

// ValidateModelID refuses ids that cannot name a model: empty, longer than
// MaxModelIDLength bytes, not UTF-8, or containing control characters. Every
// client method runs it before any request goes out.
func ValidateModelID(id string) error {
	if id == "" {
		return fmt.Errorf("%w: the id is empty", ErrInvalidModelID)
	}
	if len(id) > MaxModelIDLength {
		return fmt.Errorf("%w: the id is %d bytes long, more than the %d allowed (it starts %q)",
			ErrInvalidModelID, len(id), MaxModelIDLength, truncateUTF8(id, 40))
	}
	if !utf8.ValidString(id) {
		return fmt.Errorf("%w %q: not valid UTF-8", ErrInvalidModelID, id)
	}
	for _, r := range id {
		if unicode.IsControl(r) {
			return fmt.Errorf("%w %q: contains the control character %U", ErrInvalidModelID, id, r)
		}
	}
	return nil
}

// escapeSegment turns id into exactly one path segment. url.PathEscape
// already escapes "/", "?", "#" and "%"; the dot segments "." and ".." are
// left alone by it but would be resolved by servers and proxies as "here"
// and "parent", so their dots are escaped too.
func escapeSegment(id string) string {
	switch id {
	case ".":
		return "%2E"
	case "..":
		return "%2E%2E"
	}
	return url.PathEscape(id)
}

// endpoint joins the base URL's path prefix with an already escaped API path
// and the query. It never touches scheme or host, so no part of rawPath can
// send the request elsewhere.
func endpoint(base *url.URL, rawPath string, query url.Values) *url.URL {
	u := *base
	u.User = nil
	u.Fragment, u.RawFragment = "", ""
	full := strings.TrimRight(base.EscapedPath(), "/") + rawPath
	p, err := url.PathUnescape(full)
	if err != nil {
		// Unreachable: both halves are produced escaped by this package.
		p = full
	}
	u.Path, u.RawPath = p, full
	u.RawQuery = query.Encode()
	return &u
}

// truncateUTF8 cuts s to at most n bytes without splitting a rune.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut]
}
