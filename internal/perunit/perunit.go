// Package perunit reports benchmark figures per unit of work (per model
// of a catalog, say) beside the per-operation figures of -benchmem.
package perunit

import (
	"runtime"
	"testing"
)

// PerUnit measures one benchmark loop that handles units items per
// iteration.
type PerUnit struct {
	b       *testing.B
	unit    string
	units   int
	mallocs uint64
}

// Start resets the benchmark timer and starts counting allocations; call it
// right before the timed loop. unit names the item, such as "model".
func Start(b *testing.B, unit string, units int) *PerUnit {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ResetTimer()
	return &PerUnit{b: b, unit: unit, units: units, mallocs: ms.Mallocs}
}

// Stop stops the timer and reports ns/<unit> and allocs/<unit>; call it
// right after the timed loop.
func (p *PerUnit) Stop() {
	p.b.StopTimer()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	n := float64(p.b.N) * float64(p.units)
	p.b.ReportMetric(float64(p.b.Elapsed().Nanoseconds())/n, "ns/"+p.unit)
	p.b.ReportMetric(float64(ms.Mallocs-p.mallocs)/n, "allocs/"+p.unit)
}
