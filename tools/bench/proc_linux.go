//go:build linux

package main

import (
	"bufio"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// memoryMeasured says whether this platform reports peak memory.
const memoryMeasured = true

// memWatch samples the peak resident set (VmHWM) of terraform and of its
// provider plugin children while terraform runs.
type memWatch struct {
	done     chan struct{}
	finished chan struct{}
	provider int64
	tf       int64
}

func watchMemory(pid int) *memWatch {
	w := &memWatch{done: make(chan struct{}), finished: make(chan struct{})}
	go func() {
		defer close(w.finished)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			w.tf = max(w.tf, peakRSS(pid))
			for _, c := range pluginChildren(pid) {
				w.provider = max(w.provider, peakRSS(c))
			}
			select {
			case <-w.done:
				return
			case <-t.C:
			}
		}
	}()
	return w
}

func (w *memWatch) stop() { close(w.done); <-w.finished }

// peaks returns the largest VmHWM seen of a provider plugin and of
// terraform, in bytes.
func (w *memWatch) peaks() (provider, terraform int64) { return w.provider, w.tf }

// pluginChildren lists the pids whose parent is pid and whose command is a
// terraform provider plugin.
func pluginChildren(pid int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	var out []int
	for _, e := range entries {
		c, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces, so cut at the last ')'.
		s := string(stat)
		open, end := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || end < open {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) < 2 || fields[1] != strconv.Itoa(pid) {
			continue
		}
		// comm is cut at 15 bytes: "terraform-provider-oxen_v0.1.0" reads "terraform-provi".
		if strings.HasPrefix(s[open+1:end], "terraform-provi") {
			out = append(out, c)
		}
	}
	return out
}

// peakRSS is VmHWM of pid in bytes, 0 when unreadable.
func peakRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// treeMaxRSS is ru_maxrss of a finished process as wait4 reports it: the
// largest resident set of the process and of every descendant it waited
// for, in bytes (Linux counts KiB).
func treeMaxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss << 10
	}
	return 0
}

// loadAverage is the 1, 5 and 15 minute load average.
func loadAverage() ([3]float64, bool) {
	var la [3]float64
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return la, false
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return la, false
	}
	for i := range la {
		if la[i], err = strconv.ParseFloat(f[i], 64); err != nil {
			return la, false
		}
	}
	return la, true
}
