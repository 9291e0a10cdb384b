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

func (b *bench) catalog(ctx context.Context) ([]row, error) {
	n := b.opts.catalogSize
	sim := oxensim.New(oxensim.Options{APIKey: apiKey, Models: oxensim.GenerateCatalog(n)})
	server, err := replay(sim, []string{oxensim.ModelsPath})
	if err != nil {
		return nil, err
	}
	defer server.close()

	// Both configurations use every model, so that terraform evaluates the
	// whole list: the length of the list is the output.
	oxenCfg := requiredProviders("oxen") + "data \"oxen_models\" \"all\" {}\n\n" +
		"output \"models\" {\n  value = length(data.oxen_models.all.models)\n}\n"
	httpCfg := requiredProviders("http") + fmt.Sprintf("data \"http\" \"catalog\" {\n  url             = %q\n"+
		"  request_headers = { Authorization = \"Bearer %s\" }\n}\n\n", server.url+oxensim.ModelsPath, apiKey) +
		"locals {\n  models = jsondecode(data.http.catalog.response_body).data\n}\n\n" +
		"output \"models\" {\n  value = length(local.models)\n}\n"
	oxen, generic := &catalogScenario{name: "oxen"}, &catalogScenario{name: "http"}
	for _, sc := range []struct {
		*catalogScenario
		config string
	}{{oxen, oxenCfg}, {generic, httpCfg}} {
		if sc.dir, err = b.workdir(ctx, "catalog-"+sc.name, sc.config); err != nil {
			return nil, err
		}
	}

	runs := min(b.opts.runs, 3)
	// One untimed warm-up each, then the timed runs interleaved.
	for round := 0; round <= runs; round++ {
		for _, sc := range []*catalogScenario{oxen, generic} {
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
			log.Printf("catalog %s run %d: %s, provider peak %s, terraform peak %s, wait4 tree max %s",
				sc.name, round, seconds(r.wall), megabytes(pp), megabytes(tp), megabytes(r.treeMaxRSS))
		}
	}

	wall, genericWall := median(oxen.times), median(generic.times)
	rc, rcs := ratio(wall, genericWall)
	memHow := "VmHWM of the terraform-provider-oxen child of terraform, read from /proc every 10 ms while it lives (max over runs)"
	memValue := func(v int64) string { return megabytes(v) }
	if !memoryMeasured {
		memHow = "not measured: the sampling reads /proc, which " + runtime.GOOS + " has not"
		memValue = func(int64) string { return "–" }
	}
	return []row{
		{section: "catalog", figure: fmt.Sprintf("plan, one `oxen_models` read of %d models", n), value: seconds(wall),
			target: "< " + seconds(targetCatalogTime), met: wall < targetCatalogTime, hasTarget: true,
			how: fmt.Sprintf("median of %d `terraform plan` runs (after one untimed warm-up; init not timed); %s", runs, spread(oxen.times))},
		{section: "catalog", figure: fmt.Sprintf("plan, `data \"http\"` + `jsondecode` of the same %d models", n), value: seconds(genericWall),
			how: "same, one GET of the same list, `length(jsondecode(...).data)` as output as on our side; " + spread(generic.times)},
		{section: "catalog", figure: "catalog, oxen ÷ generic", value: rcs, target: fmt.Sprintf("≤ %.1f", targetCatalogRatio), met: rc <= targetCatalogRatio, hasTarget: true,
			how: "ratio of the two medians above"},
		{section: "catalog", figure: "peak memory of the provider process", value: memValue(oxen.providerPeak),
			target: "< " + megabytes(targetCatalogMem), met: oxen.providerPeak > 0 && oxen.providerPeak < targetCatalogMem, hasTarget: memoryMeasured, how: memHow},
		{section: "catalog", figure: "peak memory of the `data \"http\"` stand-in provider", value: memValue(generic.providerPeak),
			how: "sampled the same way, for context"},
		{section: "catalog", figure: "peak memory of terraform itself (oxen / generic)", value: memValue(oxen.tfPeak) + " / " + memValue(generic.tfPeak),
			how: "VmHWM of the terraform process, sampled the same way; for context (it holds the models too)"},
		{section: "catalog", figure: "largest process of the run, wait4 ru_maxrss (oxen / generic)", value: memValue(oxen.treePeak) + " / " + memValue(generic.treePeak),
			how: "rusage of the terraform child: max RSS over terraform and the plugins it waited for; cross-checks the figures above"},
	}, nil
}
