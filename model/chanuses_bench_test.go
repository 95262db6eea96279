package model_test

import (
	"testing"

	"github.com/golens/golens/model"
)

// BenchmarkChanRefs is the cost of the mentions index (Chan.Refs) on the
// dense 5,000-line file: one walk, built the first time a check asks,
// shared by every channel check after it. Compare BenchmarkBuild.
func BenchmarkChanRefs(b *testing.B) {
	b.SetBytes(int64(len(dense)))
	for b.Loop() {
		b.StopTimer()
		m := model.Parse("dense.go", dense)
		b.StartTimer()
		for _, c := range m.Chans {
			c.Refs()
		}
	}
}
