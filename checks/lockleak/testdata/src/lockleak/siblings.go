package lockleak

import (
	"sync"

	"scanargs"
)

// db keeps its mutex embedded in a struct beside the fields it guards.
type db struct {
	mu struct {
		sync.Mutex
		compact struct{ flushing bool }
	}
	other struct {
		*sync.Mutex
		n int
	}
}

// A pointer to a field beside the embedded Mutex cannot release it: the
// call hands on d.mu.compact.flushing, not d.mu.Mutex.
func (d *db) siblingField(td scanargs.TestData) bool {
	d.mu.Lock() // want `d.mu stays locked if \(\*db\).siblingField returns on line 26`
	if td.MaybeScanArgs("flushing", &d.mu.compact.flushing) {
		return false
	}
	d.mu.Unlock()
	return true
}

// The whole struct holds the Mutex: the callee may unlock it.
func (d *db) wholeStruct(td scanargs.TestData) bool {
	d.mu.Lock()
	if td.MaybeScanArgs("mu", &d.mu) {
		return false
	}
	d.mu.Unlock()
	return true
}

// Through an embedded *sync.Mutex, a sibling field could hold the same
// pointer: golens stays silent.
func (d *db) embeddedPointer(td scanargs.TestData) bool {
	d.other.Lock()
	if td.MaybeScanArgs("n", &d.other.n) {
		return false
	}
	d.other.Unlock()
	return true
}

// Without the opaque call, the syntax tier sees the leak too.
func (d *db) plain(stop bool) {
	d.mu.Lock() // want `d.mu stays locked if \(\*db\).plain returns on line 57`
	if stop {
		return
	}
	d.mu.Unlock()
}
