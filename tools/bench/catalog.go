package main

import (
	"context"
	"fmt"
	"log"
	"runtime"
	"time"

	"github.com/oxen-ai/terraform-provider-oxen/internal/oxensim"
)

// catalogScenario is one configuration of the catalog figures.
type catalogScenario struct {
	name                 string
	dir                  string
	times                []time.Duration
	providerPeak, tfPeak int64
	treePeak             int64
}

// catalogConfig is one read of the whole catalog with the provider named,
// as the user would write it. Every configuration uses every model, so that
// terraform evaluates the whole list: the length of the list is the output.
func catalogConfig(provider, baseURL string) string {
	switch provider {
	case "oxen", "oxenfw", baselineName:
		return requiredProviders(provider) + "data \"oxen_models\" \"all\" {}\n\n" +
			"output \"models\" {\n  value = length(data.oxen_models.all.models)\n}\n"
	case "http":
		return requiredProviders("http") + fmt.Sprintf("data \"http\" \"catalog\" {\n  url             = %q\n"+
			"  request_headers = { Authorization = \"Bearer %s\" }\n}\n\n", baseURL+oxensim.ModelsPath, apiKey) +
			"locals {\n  models = jsondecode(data.http.catalog.response_body).data\n}\n\n" +
			"output \"models\" {\n  value = length(local.models)\n}\n"
	default:
		panic("catalogConfig: unknown provider " + provider)
	}
}

// catalog makes the catalog figures for each -catalog-size.
func (b *bench) catalog(ctx context.Context) ([]row, error) {
	var rows []row
	for _, n := range b.opts.catalogSizes {
		r, err := b.catalogOf(ctx, n)
		if err != nil {
			return nil, err
		}
		rows = append(rows, r...)
	}
	return rows, nil
}

func (b *bench) catalogOf(ctx context.Context, n int) ([]row, error) {
	sim := oxensim.New(oxensim.Options{APIKey: apiKey, Models: oxensim.GenerateCatalog(n)})
	server, err := replay(sim, []string{oxensim.ModelsPath})
	if err != nil {
		return nil, err
	}
	defer server.close()

	oxen, fw, generic := &catalogScenario{name: "oxen"}, &catalogScenario{name: "oxenfw"}, &catalogScenario{name: "http"}
	scen := []*catalogScenario{oxen, fw, generic}
	var base *catalogScenario
	if b.opts.baseline != "" {
		base = &catalogScenario{name: baselineName}
		scen = append(scen, base)
	}
	for _, sc := range scen {
		if sc.dir, err = b.workdir(ctx, fmt.Sprintf("catalog-%d-%s", n, sc.name), catalogConfig(sc.name, server.url)); err != nil {
			return nil, err
		}
	}

	runs := b.opts.runs
	// One untimed warm-up each, then the timed runs interleaved.
	for round := 0; round <= runs; round++ {
		for _, sc := range scen {
			server.reset()
			r, err := b.terraform(ctx, sc.dir, server.url, true, planArgs...)
			if err != nil {
				return nil, err
			}
			if got, err := server.requests(oxensim.ModelsPath); err != nil || got != 1 {
				return nil, fmt.Errorf("catalog %s: the plan sent %d list requests, want 1 (%v)", sc.name, got, err)
			}
			if round == 0 {
				continue
			}
			pp, tp := r.mem.peaks()
			sc.times = append(sc.times, r.wall)
			sc.providerPeak, sc.tfPeak, sc.treePeak = max(sc.providerPeak, pp), max(sc.tfPeak, tp), max(sc.treePeak, r.treeMaxRSS)
			log.Printf("catalog of %d, %s run %d: %s, provider peak %s, terraform peak %s, wait4 tree max %s",
				n, sc.name, round, seconds(r.wall), megabytes(pp), megabytes(tp), megabytes(r.treeMaxRSS))
		}
	}

	wall, fwWall, genericWall := median(oxen.times), median(fw.times), median(generic.times)
	side := sideBySide{figure: fmt.Sprintf("one `oxen_models` read of %d models", n), fast: wall, fw: fwWall, http: genericWall}
	if base != nil {
		side.base = median(base.times)
	}
	b.side = append(b.side, side)
	rc, rcs := ratio(wall, genericWall)
	memHow := "VmHWM of the provider plugin, the child of terraform, read from /proc every 10 ms while it lives (max over runs)"
	memValue := func(v int64) string { return megabytes(v) }
	if !memoryMeasured {
		memHow = "not measured: the sampling reads /proc, which " + runtime.GOOS + " has not"
		memValue = func(int64) string { return "–" }
	}
	section := fmt.Sprintf("catalog of %d", n)
	rows := []row{
		{section: section, figure: fmt.Sprintf("plan, one `oxen_models` read of %d models", n), value: seconds(wall),
			target: "< " + seconds(targetCatalogTime), met: wall < targetCatalogTime, hasTarget: true,
			how: fmt.Sprintf("median of %d `terraform plan` runs (after one untimed warm-up; init not timed); %s", runs, spread(oxen.times))},
		{section: section, figure: fmt.Sprintf("plan, `data \"http\"` + `jsondecode` of the same %d models", n), value: seconds(genericWall),
			how: "same, one GET of the same list, `length(jsondecode(...).data)` as output as on our side; " + spread(generic.times)},
		{section: section, figure: "catalog, oxen ÷ generic", value: rcs, target: fmt.Sprintf("≤ %.1f", targetCatalogRatio), met: rc <= targetCatalogRatio, hasTarget: true,
			how: "ratio of the two medians above"},
		{section: section, figure: "plan, the same `oxen_models` read served by the framework alone", value: seconds(fwWall),
			how: "same, tools/bench/oxenfw: the same provider without the fast path; " + spread(fw.times)},
		{section: section, figure: "peak memory of the provider process (fast path / framework alone)", value: memValue(oxen.providerPeak) + " / " + memValue(fw.providerPeak),
			target: "< " + megabytes(targetCatalogMem), met: oxen.providerPeak > 0 && oxen.providerPeak < targetCatalogMem, hasTarget: memoryMeasured, how: memHow},
		{section: section, figure: "peak memory of the `data \"http\"` stand-in provider", value: memValue(generic.providerPeak),
			how: "sampled the same way, for context"},
		{section: section, figure: "peak memory of terraform itself (oxen / generic)", value: memValue(oxen.tfPeak) + " / " + memValue(generic.tfPeak),
			how: "VmHWM of the terraform process, sampled the same way; for context (it holds the models too)"},
		{section: section, figure: "largest process of the run, wait4 ru_maxrss (oxen / generic)", value: memValue(oxen.treePeak) + " / " + memValue(generic.treePeak),
			how: "rusage of the terraform child: max RSS over terraform and the plugins it waited for; cross-checks the figures above"},
	}
	if base != nil {
		rows = append(rows, row{section: section, figure: fmt.Sprintf("plan, the same read with the baseline build (%s)", b.opts.baseline),
			value: seconds(side.base), how: "same, the provider of that revision (-baseline); " + spread(base.times)})
	}
	return rows, nil
}
