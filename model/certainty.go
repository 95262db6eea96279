package model

// Certainty says how sure the model is of a derived fact. Features pick
// their wording from it: a proven fact is stated, a possible one is
// hedged, and an unknown one is replaced by what golens does know (where
// the value went that the model cannot follow).
type Certainty uint8

const (
	// Unknown: the value escapes the analysed code (passed to a function
	// golens cannot see into, stored where the model does not follow), so
	// the fact cannot be decided.
	Unknown Certainty = iota
	// Possible: some analysed code may make the fact true (a function
	// literal passed to another function, which may or may not call it).
	Possible
	// Proven: the analysed code decides the fact.
	Proven
)

func (c Certainty) String() string {
	return [...]string{"unknown", "possible", "proven"}[c]
}

// Fact is a derived yes/no fact with its certainty and the reason.
//
// Holds is meaningful only when Certainty is Proven: Proven with Holds
// false is a proven negative ("nothing closes it"), which the model states
// only when the value does not escape the analysed code.
type Fact struct {
	Certainty Certainty
	Holds     bool
	// Why explains the certainty for a reader: for an unknown fact, where
	// the value went ("passed to f at line 9, which golens cannot see
	// into"); for a proven one, what decides it.
	Why string
}

// ProvenTrue reports whether the fact is proven to hold.
func (f Fact) ProvenTrue() bool { return f.Certainty == Proven && f.Holds }

// ProvenFalse reports whether the fact is proven not to hold: the only case
// in which a feature may state a negative.
func (f Fact) ProvenFalse() bool { return f.Certainty == Proven && !f.Holds }

// IsUnknown reports whether the model cannot decide the fact.
func (f Fact) IsUnknown() bool { return f.Certainty == Unknown }
