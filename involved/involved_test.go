package involved

import (
	"reflect"
	"testing"
)

func TestAtAndReadingOrder(t *testing.T) {
	fs := []Finding{
		{Check: "deadlock", Places: []Place{
			{Line: 13, Start: 100, End: 108},
			{Line: 11, Role: "l.mu is locked here", Start: 60, End: 71},
			{Line: 37, File: "other.go", Role: "locked again here", Start: -1, End: -1},
			{Line: 17, Role: "locked again here", Start: 140, End: 151},
		}},
		{Check: "lockleak", Places: []Place{{Line: 11, Start: 60, End: 71}, {Line: 11, Start: 65, End: 71}}},
	}
	cases := []struct {
		offset int
		want   []Hit
	}{
		{59, nil},
		{60, []Hit{{&fs[0], 1}, {&fs[1], 0}}},
		{71, []Hit{{&fs[0], 1}, {&fs[1], 0}}}, // the end is included: a cursor just after the construct
		{72, nil},
		{104, []Hit{{&fs[0], 0}}},
		{-1, nil}, // a place in another file covers nothing
	}
	for _, c := range cases {
		if got := At(fs, c.offset); !reflect.DeepEqual(got, c.want) {
			t.Errorf("At(%d) = %v, want %v", c.offset, got, c.want)
		}
	}
	if got, want := fs[0].ReadingOrder(), []int{1, 0, 3, 2}; !reflect.DeepEqual(got, want) {
		t.Errorf("ReadingOrder = %v, want %v (this file by line, then other.go)", got, want)
	}
}
