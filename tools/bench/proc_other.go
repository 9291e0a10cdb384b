//go:build !linux

package main

import "os"

// memoryMeasured says whether this platform reports peak memory: the
// sampling reads /proc, which only Linux has.
const memoryMeasured = false

type memWatch struct{}

func watchMemory(int) *memWatch { return &memWatch{} }

func (*memWatch) stop() {}

func (*memWatch) peaks() (provider, terraform int64) { return 0, 0 }

func treeMaxRSS(*os.ProcessState) int64 { return 0 }

func loadAverage() ([3]float64, bool) { return [3]float64{}, false }
