package main

import (
	"context"
	"fmt"
	"log"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// lookupScenario is one configuration of the look-up figures, planned once
// per round.
type lookupScenario struct {
	name     string
	dir      string
	online   bool          // reads from the canned server
	latency  time.Duration // added by the canned server
	wantReqs int           // model GETs each plan must send; 0 = not checked
	times    []time.Duration
	reqs     []int
}

// lookupConfig writes n data sources over ids, each one a look-up as the
// user would write it with the provider named, and an output that uses one
// attribute of each, so that the generic side decodes every answer.
func lookupConfig(provider, baseURL string, ids []string, n int) string {
	var sb strings.Builder
	var refs []string
	switch provider {
	case "http":
		sb.WriteString(requiredProviders("http"))
		fmt.Fprintf(&sb, "locals {\n  models_url = %q\n  headers    = { Authorization = \"Bearer %s\" }\n}\n\n", baseURL+oxensim.ModelsPath, apiKey)
	default:
		sb.WriteString(requiredProviders(strings.SplitN(provider, "_", 2)[0]))
	}
	for i := range n {
		id, name := ids[i%len(ids)], fmt.Sprintf("m%03d", i)
		switch provider {
		case "http":
			fmt.Fprintf(&sb, "data \"http\" %q {\n  url             = \"${local.models_url}/%s\"\n  request_headers = local.headers\n}\n", name, url.PathEscape(id))
			refs = append(refs, fmt.Sprintf("jsondecode(data.http.%s.response_body).owned_by", name))
		case "oxen", "oxenfw", baselineName:
			fmt.Fprintf(&sb, "data \"oxen_model\" %q {\n  id = %q\n}\n", name, id)
			refs = append(refs, fmt.Sprintf("data.oxen_model.%s.owned_by", name))
		case "noop":
			fmt.Fprintf(&sb, "data \"noop_model\" %q {\n  id = %q\n}\n", name, id)
			refs = append(refs, fmt.Sprintf("data.noop_model.%s.value", name))
		case "noop_full":
			fmt.Fprintf(&sb, "data \"noop_model_full\" %q {\n  id = %q\n}\n", name, id)
			refs = append(refs, fmt.Sprintf("data.noop_model_full.%s.owned_by", name))
		default:
			panic("lookupConfig: unknown provider " + provider)
		}
	}
	fmt.Fprintf(&sb, "\noutput \"owners\" {\n  value = [\n    %s,\n  ]\n}\n", strings.Join(refs, ",\n    "))
	return sb.String()
}

func (b *bench) lookups(ctx context.Context) ([]row, error) {
	n, lat := b.opts.lookups, b.opts.latency
	sim := oxensim.New(oxensim.Options{APIKey: apiKey, Models: append(oxensim.Seed(), oxensim.GenerateCatalog(n)...)})
	ids := sim.ModelIDs()
	if len(ids) < n {
		return nil, fmt.Errorf("the simulator serves %d models, fewer than %d", len(ids), n)
	}
	ids = ids[:n]
	uris := make([]string, n)
	for i, id := range ids {
		uris[i] = oxensim.ModelsPath + "/" + url.PathEscape(id)
	}
	server, err := replay(sim, uris)
	if err != nil {
		return nil, err
	}
	defer server.close()

	repeated := ids[:b.opts.repeatModels]
	type scenario struct {
		sc       lookupScenario
		provider string
		ids      []string
	}
	scenarios := []scenario{
		{lookupScenario{name: "oxen", online: true, wantReqs: n}, "oxen", ids},
		{lookupScenario{name: "http", online: true, wantReqs: n}, "http", ids},
		{lookupScenario{name: "oxenfw", online: true, wantReqs: n}, "oxenfw", ids},
		{lookupScenario{name: "oxen-latency", online: true, latency: lat, wantReqs: n}, "oxen", ids},
		{lookupScenario{name: "http-latency", online: true, latency: lat, wantReqs: n}, "http", ids},
		{lookupScenario{name: "noop"}, "noop", ids},
		{lookupScenario{name: "noop-full"}, "noop_full", ids},
		{lookupScenario{name: "oxen-repeated", online: true}, "oxen", repeated},
		{lookupScenario{name: "http-repeated", online: true, wantReqs: n}, "http", repeated},
	}
	if b.opts.baseline != "" {
		scenarios = append(scenarios, scenario{lookupScenario{name: baselineName, online: true, wantReqs: n}, baselineName, ids})
	}
	var scen []*lookupScenario
	for _, s := range scenarios {
		sc := s.sc
		dir, err := b.workdir(ctx, "lookups-"+sc.name, lookupConfig(s.provider, server.url, s.ids, n))
		if err != nil {
			return nil, err
		}
		sc.dir = dir
		scen = append(scen, &sc)
	}
	byName := map[string]*lookupScenario{}
	for _, sc := range scen {
		byName[sc.name] = sc
	}

	// One untimed warm-up each, then the timed runs interleaved so that
	// drift on the machine hits all scenarios alike.
	for round := 0; round <= b.opts.runs; round++ {
		var line []string
		for _, sc := range scen {
			baseURL := ""
			if sc.online {
				baseURL = server.url
			}
			server.setLatency(sc.latency)
			server.reset()
			r, err := b.terraform(ctx, sc.dir, baseURL, false, planArgs...)
			if err != nil {
				return nil, err
			}
			got, err := server.requests(oxensim.ModelsPath + "/")
			if err != nil {
				return nil, fmt.Errorf("look-ups %s: %w", sc.name, err)
			}
			if sc.wantReqs > 0 && got != sc.wantReqs {
				return nil, fmt.Errorf("look-ups %s: the plan sent %d model requests, want %d", sc.name, got, sc.wantReqs)
			}
			if round > 0 {
				sc.times, sc.reqs = append(sc.times, r.wall), append(sc.reqs, got)
				line = append(line, fmt.Sprintf("%s %s", sc.name, seconds(r.wall)))
			}
		}
		if round > 0 {
			log.Printf("look-ups round %d: %s", round, strings.Join(line, ", "))
		}
	}

	med := func(name string) time.Duration { return median(byName[name].times) }
	oxen, http, oxenLat, httpLat := med("oxen"), med("http"), med("oxen-latency"), med("http-latency")
	noop, noopFull, oxenFW := med("noop"), med("noop-full"), med("oxenfw")
	side := sideBySide{figure: fmt.Sprintf("%d distinct `oxen_model` look-ups", n), fast: oxen, fw: oxenFW, http: http}
	base := byName[baselineName] // nil without -baseline
	if base != nil {
		side.base = median(base.times)
	}
	b.side = append(b.side, side)
	how := fmt.Sprintf("median of %d `terraform plan` runs (after one untimed warm-up), %d data sources, parallelism 10", b.opts.runs, n)
	genericHow := "same, `data \"http\"` + `jsondecode` of the same GETs"
	r0, r0s := ratio(oxen, http)
	rLat, rLats := ratio(oxenLat, httpLat)
	rNoop, rNoops := ratio(oxen, noop)
	added := oxenLat - oxen
	repeatedReqs := slices.Max(byName["oxen-repeated"].reqs)
	latName := lat.String()

	rows := []row{
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × `oxen_model`, 0 ms latency", n), value: seconds(oxen), how: how + "; " + spread(byName["oxen"].times)},
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × `data \"http\"` + `jsondecode`, 0 ms latency", n), value: seconds(http), how: genericHow + "; " + spread(byName["http"].times)},
		{section: "look-ups", figure: "distinct look-ups, oxen ÷ generic, 0 ms", value: r0s, target: fmt.Sprintf("≤ %.1f", targetGenericRatio), met: r0 <= targetGenericRatio, hasTarget: true,
			how: "ratio of the two medians above"},
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × `oxen_model` served by the framework alone, 0 ms latency", n), value: seconds(oxenFW),
			how: "same, tools/bench/oxenfw: the same provider without the fast path; " + spread(byName["oxenfw"].times)},
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × `oxen_model`, %s latency", n, latName), value: seconds(oxenLat), how: "median as above; " + spread(byName["oxen-latency"].times)},
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × `data \"http\"` + `jsondecode`, %s latency", n, latName), value: seconds(httpLat), how: genericHow + "; " + spread(byName["http-latency"].times)},
		{section: "look-ups", figure: "distinct look-ups, oxen ÷ generic, " + latName, value: rLats, target: fmt.Sprintf("≤ %.1f", targetGenericRatio), met: rLat <= targetGenericRatio, hasTarget: true,
			how: "ratio of the two medians above"},
		{section: "look-ups", figure: fmt.Sprintf("time added to `oxen_model` by %s latency", latName), value: seconds(added), target: "≤ " + seconds(targetLatencyAdd), met: added <= targetLatencyAdd, hasTarget: true,
			how: "difference of the two `oxen_model` medians"},
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × no-I/O `noop_model`", n), value: seconds(noop),
			how: "same, stand-in provider tools/bench/noop (Read sets a constant): Terraform's own floor; " + spread(byName["noop"].times)},
		{section: "look-ups", figure: "per-read overhead ratio (oxen ÷ no-I/O)", value: rNoops, target: fmt.Sprintf("≤ %.1f", targetNoopRatio), met: rNoop <= targetNoopRatio, hasTarget: true,
			how: "ratio of the 0 ms `oxen_model` and `noop_model` medians"},
		{section: "look-ups", figure: fmt.Sprintf("plan, %d × no-I/O `noop_model_full` (oxen_model's schema)", n), value: seconds(noopFull),
			how: "same, stand-in data source with oxen_model's schema whose Read returns the configuration: the cost of the schema alone; " + spread(byName["noop-full"].times)},
		{section: "look-ups", figure: fmt.Sprintf("requests sent by %d × `oxen_model` over %d models", n, len(repeated)), value: fmt.Sprint(repeatedReqs),
			target: fmt.Sprint(len(repeated)), met: repeatedReqs == len(repeated), hasTarget: true,
			how: fmt.Sprintf("model GETs the canned server saw per plan (max over runs); `data \"http\"` sends %d; plan %s (oxen) vs %s (generic)",
				n, seconds(med("oxen-repeated")), seconds(med("http-repeated")))},
	}
	if base != nil {
		rows = append(rows, row{section: "look-ups", figure: fmt.Sprintf("plan, %d × `oxen_model` with the baseline build (%s), 0 ms latency", n, b.opts.baseline),
			value: seconds(side.base), how: "same, the provider of that revision (-baseline); " + spread(base.times)})
	}
	return rows, nil
}
