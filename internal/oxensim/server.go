// Package oxensim is an in-memory stand-in for the models API of the Oxen
// hub (https://hub.oxen.ai/api/ai/models*). It speaks the same JSON as the
// hub, with the same error envelopes, auth rules and deployment life cycle,
// so that the provider's client is tested against the wire format rather
// than against its own types. It deliberately does not import the client.
//
// A Server is an http.Handler: mount it on httptest.NewServer in tests, or
// run cmd/oxen-sim for a demo. Deployment transitions follow an injectable
// clock, so tests can move minutes of deploy time in microseconds, and
// faults (rate limits, 5xx, broken bodies, resets, slowness) can be queued
// per method and path.
package oxensim

import (
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/clock"
)

// Default deployment timings, used when Options leave them zero.
const (
	DefaultDeployDuration     = 2 * time.Minute
	DefaultDeactivateDuration = 30 * time.Second
)

// Deployment statuses the hub documents. They are written here, not taken
// from internal/oxen: the client's own tests are served by this simulator,
// so it cannot import the client, and a status the client spells wrong
// must disagree with what the simulator sends. TestOpenAPIConformance holds
// these to the API's enum.
const (
	StatusActive       = "active"
	StatusInactive     = "inactive"
	StatusDeploying    = "deploying"
	StatusDeactivating = "deactivating"
	StatusError        = "error"
	StatusUnknown      = "unknown"
)

// ModelsPath is the root of the models API.
const ModelsPath = "/api/ai/models"

// Options configure a Server. The zero value serves the seed catalog on
// the wall clock with no valid API key.
type Options struct {
	// APIKey is the one valid bearer token. Empty means no key is valid:
	// every request that carries an Authorization header gets 401.
	APIKey string
	// Clock drives deployment transitions; nil means clock.Real().
	Clock clock.Clock
	// DeployDuration is how long an activated deployment stays "deploying"
	// before it is "active"; 0 means DefaultDeployDuration.
	DeployDuration time.Duration
	// DeactivateDuration is how long a deactivated deployment stays
	// "deactivating" before it is "inactive"; 0 means
	// DefaultDeactivateDuration.
	DeactivateDuration time.Duration
	// Latency is added to every request, as a real sleep that ends early
	// when the request's context is done.
	Latency time.Duration
	// Models is the catalog to serve; nil means Seed(). An entry that is
	// not a valid model makes New panic.
	Models []json.RawMessage
	// OnRequest, when set, is called after each request with its log entry
	// (cmd/oxen-sim uses it for -v). It must not call back into the Server
	// in a way that blocks on the request.
	OnRequest func(Request)
}

// Server is the simulated hub. It is safe for concurrent use.
type Server struct {
	apiKey       string
	clk          clock.Clock
	deployDur    time.Duration
	deactDur     time.Duration
	latency      time.Duration
	onRequest    func(Request)
	requestCount atomic.Int64

	mu     sync.Mutex // guards the catalog and the deployments
	models []*model   // in catalog order
	byID   map[string]*model
	byUUID map[string]*model

	logMu    sync.Mutex // guards requests, faults and holds
	requests []Request
	faults   []*queuedFault
	holds    []*heldGroup
}

var _ http.Handler = (*Server)(nil)

// New returns a Server for opts. It panics if opts.Models holds an entry
// that is not a model object or two entries with one id.
func New(opts Options) *Server {
	s := &Server{
		apiKey:    opts.APIKey,
		clk:       opts.Clock,
		deployDur: opts.DeployDuration,
		deactDur:  opts.DeactivateDuration,
		latency:   opts.Latency,
		onRequest: opts.OnRequest,
		byID:      map[string]*model{},
		byUUID:    map[string]*model{},
	}
	if s.clk == nil {
		s.clk = clock.Real()
	}
	if s.deployDur <= 0 {
		s.deployDur = DefaultDeployDuration
	}
	if s.deactDur <= 0 {
		s.deactDur = DefaultDeactivateDuration
	}
	catalog := opts.Models
	if catalog == nil {
		catalog = Seed()
	}
	for i, raw := range catalog {
		if err := s.AddModel(raw); err != nil {
			panic(fmt.Sprintf("oxensim: catalog entry %d: %v", i, err))
		}
	}
	return s
}

// AddModel adds a model object to the catalog. It must be a JSON object
// with the four required members (id, object, created, owned_by) and an id
// not yet in use. A custom model (model_type "custom") takes its initial
// status from deployments[0].status, "inactive" when absent; an empty
// deployments list is a model never deployed, served with no deployment
// until it is first activated. The model may
// carry a "_sim" member with a hidden "provider" (for ?provider_name=) and
// "uuid"; it is not served.
func (s *Server) AddModel(raw json.RawMessage) error {
	m, err := parseModel(raw)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.byID[m.id]; dup {
		return fmt.Errorf("model %q already exists", m.id)
	}
	if other, dup := s.byUUID[m.uuid]; dup {
		return fmt.Errorf("model %q: uuid %s already belongs to %q", m.id, m.uuid, other.id)
	}
	m.since = s.clk.Now()
	s.models = append(s.models, m)
	s.byID[m.id] = m
	s.byUUID[m.uuid] = m
	return nil
}

// DeleteModel removes a model by id and reports whether it existed.
func (s *Server) DeleteModel(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.deleteLocked(id)
}

func (s *Server) deleteLocked(id string) bool {
	m, ok := s.byID[id]
	if !ok {
		return false
	}
	delete(s.byID, id)
	delete(s.byUUID, m.uuid)
	for i, x := range s.models {
		if x == m {
			s.models = append(s.models[:i], s.models[i+1:]...)
			break
		}
	}
	return true
}

// SetStatus forces the deployment status of a custom model, as if the
// deployment had changed outside the API (drift). The new status is both
// the true status and the cached one that non-live reads return. A
// transitional status ("deploying", "deactivating") settles after the
// usual duration from now. Any non-empty string is accepted, so that a
// status the API does not document yet can be served on purpose.
func (s *Server) SetStatus(id, status string) error {
	if status == "" {
		return fmt.Errorf("empty status for model %q", id)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.customLocked(id)
	if err != nil {
		return err
	}
	m.state, m.since, m.cached = status, s.clk.Now(), status
	return nil
}

// FailNextDeploy makes the current or next deploy of a custom model end in
// "error" instead of "active" once DeployDuration has passed.
func (s *Server) FailNextDeploy(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, err := s.customLocked(id)
	if err != nil {
		return err
	}
	m.failNext = true
	return nil
}

func (s *Server) customLocked(id string) (*model, error) {
	m, ok := s.byID[id]
	if !ok {
		return nil, fmt.Errorf("model %q not found", id)
	}
	if !m.custom {
		return nil, fmt.Errorf("model %q is a base model and has no deployment", id)
	}
	return m, nil
}

// Status returns the true deployment status of a model now, per the clock
// (what a live read would answer). It is "" for a base model and for a
// custom model never deployed; ok is false when there is no such model.
func (s *Server) Status(id string) (status string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.byID[id]
	if !ok {
		return "", false
	}
	if !m.custom {
		return "", true
	}
	return s.settle(m), true
}

// CachedStatus returns the deployment status that a non-live read would
// serve now: the one of the last refresh. It is "" for a base model.
func (s *Server) CachedStatus(id string) (status string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.byID[id]
	if !ok {
		return "", false
	}
	return m.cached, true
}

// UUID returns the UUID under which a model can also be fetched.
func (s *Server) UUID(id string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if m, ok := s.byID[id]; ok {
		return m.uuid, true
	}
	return "", false
}

// ModelJSON returns a model as an authenticated, non-live GET would serve
// it now.
func (s *Server) ModelJSON(id string) (json.RawMessage, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.byID[id]
	if !ok {
		return nil, false
	}
	return m.appendJSON(nil, m.cached), true
}

// ModelIDs returns the ids of the catalog, in catalog order.
func (s *Server) ModelIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, len(s.models))
	for i, m := range s.models {
		ids[i] = m.id
	}
	return ids
}

// settle moves a transitional deployment on to its end state once its
// duration has passed, and returns the status now. Callers hold s.mu.
func (s *Server) settle(m *model) string {
	now := s.clk.Now()
	switch m.state {
	case StatusDeploying:
		if end := m.since.Add(s.deployDur); !now.Before(end) {
			m.state, m.since = StatusActive, end
			if m.failNext {
				m.state, m.failNext = StatusError, false
			}
		}
	case StatusDeactivating:
		if end := m.since.Add(s.deactDur); !now.Before(end) {
			m.state, m.since = StatusInactive, end
		}
	}
	return m.state
}

// ServeHTTP answers one request the way the hub would.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	reqID := "req_" + strconv.FormatInt(s.requestCount.Add(1), 10)
	entry := Request{
		Method:        r.Method,
		Path:          r.URL.EscapedPath(),
		RawQuery:      r.URL.RawQuery,
		Authorization: strings.TrimSpace(r.Header.Get("Authorization")) != "",
		UserAgent:     r.UserAgent(),
		RequestID:     reqID,
		Time:          s.clk.Now(),
	}
	sw := &statusWriter{ResponseWriter: w}
	// The log entry is written before a fault cuts the connection, so a
	// client that sees the cut can already find the request in the log.
	recorded := false
	record := func(status int) {
		if !recorded {
			recorded = true
			entry.Status = status
			s.record(entry)
		}
	}
	defer func() { record(sw.status) }()
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Oxen-Request-Id", reqID)

	if err := clock.Real().Sleep(r.Context(), s.latency); err != nil {
		return // the client is gone; nothing is answered
	}
	if h := s.catch(entry); h != nil && !s.wait(r.Context(), h, entry) {
		return // the client gave up while the request was held
	}
	if f := s.takeFault(r.Method, entry.Path, r.URL.RawQuery); f != nil {
		if !s.applyFault(sw, r, f, record) {
			return
		}
	}
	s.handle(sw, r)
}

// handle routes an authenticated-or-anonymous request to its endpoint.
func (s *Server) handle(w http.ResponseWriter, r *http.Request) {
	authed, ok := s.authenticate(r)
	if !ok {
		writeUnauthenticated(w)
		return
	}

	path := r.URL.EscapedPath()
	for len(path) > 1 && strings.HasSuffix(path, "/") {
		path = strings.TrimSuffix(path, "/")
	}
	method := r.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	if path == ModelsPath {
		if method != http.MethodGet {
			writeMethodNotAllowed(w, "GET")
			return
		}
		s.list(w, r, authed)
		return
	}
	rest, found := strings.CutPrefix(path, ModelsPath+"/")
	if !found {
		writeRouteNotFound(w, r)
		return
	}
	segs := strings.Split(rest, "/")
	id, err := url.PathUnescape(segs[0])
	if err != nil {
		id = segs[0]
	}
	switch {
	case len(segs) == 1 && segs[0] == "search":
		if method != http.MethodGet {
			writeMethodNotAllowed(w, "GET")
			return
		}
		s.search(w, r, authed)
	case len(segs) == 1:
		switch method {
		case http.MethodGet:
			s.show(w, r, id, authed)
		case http.MethodDelete:
			s.delete(w, id, authed)
		default:
			writeMethodNotAllowed(w, "GET, DELETE")
		}
	case len(segs) == 2 && (segs[1] == "activate" || segs[1] == "deactivate"):
		if r.Method != http.MethodPost {
			writeMethodNotAllowed(w, "POST")
			return
		}
		s.transition(w, id, segs[1] == "activate", authed)
	default:
		writeRouteNotFound(w, r)
	}
}

// authenticate reports whether the request carries the valid key (authed)
// and whether it may go on at all (ok is false for a present but wrong
// key).
func (s *Server) authenticate(r *http.Request) (authed, ok bool) {
	header := strings.TrimSpace(r.Header.Get("Authorization"))
	if header == "" {
		return false, true
	}
	scheme, token, found := strings.Cut(header, " ")
	token = strings.TrimSpace(token)
	if !found || !strings.EqualFold(scheme, "Bearer") || token == "" || s.apiKey == "" {
		return false, false
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(s.apiKey)) != 1 {
		return false, false
	}
	return true, true
}

func (s *Server) list(w http.ResponseWriter, r *http.Request, authed bool) {
	q := r.URL.Query()
	developer := strings.ToLower(q.Get("developer_name"))
	action := q.Get("action")
	provider := strings.ToLower(q.Get("provider_name"))
	s.writeList(w, authed, func(m *model) bool {
		return (developer == "" || m.developer == developer) &&
			(action == "" || slices.Contains(m.actions, action)) &&
			(provider == "" || m.provider == provider)
	})
}

func (s *Server) search(w http.ResponseWriter, r *http.Request, authed bool) {
	term := strings.ToLower(strings.TrimSpace(r.URL.Query().Get("search")))
	if term == "" {
		writeError(w, http.StatusBadRequest, "invalid_params", "Invalid parameters", "search: can't be blank")
		return
	}
	s.writeList(w, authed, func(m *model) bool {
		return strings.Contains(strings.ToLower(m.id), term) || strings.Contains(m.displayName, term)
	})
}

// writeList serves the list envelope of the visible models that match
// keep, each with its cached status.
func (s *Server) writeList(w http.ResponseWriter, authed bool, keep func(*model) bool) {
	s.mu.Lock()
	b := make([]byte, 0, 64+1024*len(s.models))
	b = append(b, `{"object":"list","data":[`...)
	first := true
	for _, m := range s.models {
		if (m.custom && !authed) || !keep(m) {
			continue
		}
		if !first {
			b = append(b, ',')
		}
		first = false
		b = m.appendJSON(b, m.cached)
	}
	s.mu.Unlock()
	b = append(b, "]}"...)
	writeJSON(w, http.StatusOK, b)
}

// lookupLocked finds a model by id or UUID, as visible to the caller.
func (s *Server) lookupLocked(id string, authed bool) (*model, bool) {
	m, ok := s.byID[id]
	if !ok {
		m, ok = s.byUUID[strings.ToLower(id)]
	}
	if !ok || (m.custom && !authed) {
		return nil, false
	}
	return m, true
}

func (s *Server) show(w http.ResponseWriter, r *http.Request, id string, authed bool) {
	live := false
	switch v := r.URL.Query().Get("deployment_status"); v {
	case "":
	case "live":
		live = true
	default:
		writeError(w, http.StatusBadRequest, "invalid_params", "Invalid parameters",
			fmt.Sprintf("deployment_status: must be \"live\", got %q", v))
		return
	}
	s.mu.Lock()
	m, ok := s.lookupLocked(id, authed)
	if !ok {
		s.mu.Unlock()
		writeModelNotFound(w, id)
		return
	}
	if live && m.custom {
		m.cached = s.settle(m)
	}
	b := m.appendJSON(nil, m.cached)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, b)
}

func (s *Server) delete(w http.ResponseWriter, id string, authed bool) {
	m, ok := s.lockCustom(w, id, authed, "Only custom models can be deleted")
	if !ok {
		return
	}
	b := m.appendJSON(nil, s.settle(m))
	s.deleteLocked(m.id)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, b)
}

// lockCustom takes s.mu and finds the custom model a change names. When the
// caller may not change it, it answers the hub's error, releases the lock
// and returns false; notCustom is the detail answered for a base model.
func (s *Server) lockCustom(w http.ResponseWriter, id string, authed bool, notCustom string) (*model, bool) {
	if !authed {
		writeUnauthenticated(w)
		return nil, false
	}
	s.mu.Lock()
	m, ok := s.lookupLocked(id, authed)
	if !ok {
		s.mu.Unlock()
		writeModelNotFound(w, id)
		return nil, false
	}
	if !m.custom {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, "invalid_params", "Invalid parameters", notCustom)
		return nil, false
	}
	return m, true
}

// transition activates or deactivates a custom deployment. A deployment
// already at or moving to the requested end is left alone.
func (s *Server) transition(w http.ResponseWriter, id string, activate, authed bool) {
	m, ok := s.lockCustom(w, id, authed, "Base models are always active and do not need activation")
	if !ok {
		return
	}
	now := s.settle(m)
	if activate {
		if now != StatusActive && now != StatusDeploying {
			m.state, m.since = StatusDeploying, s.clk.Now()
		}
	} else {
		if now != StatusInactive && now != StatusDeactivating && now != neverDeployed {
			m.state, m.since = StatusDeactivating, s.clk.Now()
		}
	}
	m.cached = m.state
	b := m.appendJSON(nil, m.cached)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, b)
}

// --- responses ---

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// errorEnvelope is the hub's structured error body.
type errorEnvelope struct {
	Error struct {
		Type   string `json:"type"`
		Title  string `json:"title"`
		Detail string `json:"detail"`
	} `json:"error"`
	Status        string `json:"status"`
	StatusMessage string `json:"status_message"`
}

func errorBody(typ, title, detail string) []byte {
	var e errorEnvelope
	e.Error.Type, e.Error.Title, e.Error.Detail = typ, title, detail
	e.Status, e.StatusMessage = "error", typ
	b, _ := json.Marshal(e)
	return b
}

func writeError(w http.ResponseWriter, status int, typ, title, detail string) {
	writeJSON(w, status, errorBody(typ, title, detail))
}

func writeUnauthenticated(w http.ResponseWriter) {
	writeError(w, http.StatusUnauthorized, "unauthenticated", "Unauthenticated", "Invalid or missing API key")
}

// writeModelNotFound uses the hub's second, message-only envelope.
func writeModelNotFound(w http.ResponseWriter, id string) {
	var e struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	e.Error.Message = "Model not found: " + id
	b, _ := json.Marshal(e)
	writeJSON(w, http.StatusNotFound, b)
}

func writeRouteNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "resource_not_found", "Not Found",
		fmt.Sprintf("No route for %s %s", r.Method, r.URL.EscapedPath()))
}

func writeMethodNotAllowed(w http.ResponseWriter, allow string) {
	w.Header().Set("Allow", allow)
	writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "Method Not Allowed",
		"Allowed methods: "+allow)
}
