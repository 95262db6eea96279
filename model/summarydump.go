package model

import (
	"fmt"
	"strings"
)

// DumpSummaries renders every function's summary, one line per effect,
// for tests and debugging:
//
//	produce: close param0 L13 deferred
//	main: close ch L13 via produce@L36 go
//	main: escape sig L114 "passed to `signal.Notify` at line 114, …"
func (f *File) DumpSummaries() string {
	var b strings.Builder
	for _, s := range f.Summaries() {
		name := s.Name
		if s.Func.Lit {
			name = "literal@L" + itoa(f.Line(s.Func.Pos))
		}
		for _, e := range s.Effects {
			target := ""
			if e.Target.Param >= 0 {
				target = fmt.Sprintf("param%d", e.Target.Param)
			} else {
				target = f.keyName(e.Target.Key)
			}
			fmt.Fprintf(&b, "%s: %s %s L%d", name, effectNames[e.Kind], target, f.Line(e.Pos))
			if e.At.IsValid() {
				fmt.Fprintf(&b, " via %s@L%d", e.Via, f.Line(e.At))
			}
			if e.InGo {
				b.WriteString(" go")
			}
			if e.Deferred {
				b.WriteString(" deferred")
			}
			if e.Certainty != Proven {
				b.WriteString(" " + e.Certainty.String())
			}
			if e.Why != "" {
				fmt.Fprintf(&b, " %q", e.Why)
			}
			b.WriteByte('\n')
		}
	}
	for _, c := range f.Chans {
		fmt.Fprintf(&b, "chan %s: closed=%s", c.Name, c.Closed().Certainty)
		if c.Closed().Certainty == Proven {
			fmt.Fprintf(&b, "/%v", c.Closed().Holds)
		}
		if c.Closed().Why != "" {
			fmt.Fprintf(&b, " %q", c.Closed().Why)
		}
		b.WriteByte('\n')
	}
	for _, g := range f.Goroutines {
		fmt.Fprintf(&b, "go L%d: waited=%s", f.Line(g.Pos), g.Waited().Certainty)
		if g.Waited().Certainty == Proven {
			fmt.Fprintf(&b, "/%v", g.Waited().Holds)
		}
		if g.WaitedBy() != "" {
			fmt.Fprintf(&b, " by %q L%d", g.WaitedBy(), f.Line(g.WaitPos()))
		}
		if g.WaitMayGiveUp() {
			b.WriteString(" may-give-up")
		}
		if g.Waited().Why != "" {
			fmt.Fprintf(&b, " %q", g.Waited().Why)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// keyName names a key for the dump: the variable's name as declared.
func (f *File) keyName(k VarKey) string {
	if k.field != "" {
		return strings.TrimPrefix(k.field, "::")
	}
	if p := k.declOf(); p.IsValid() {
		for _, c := range f.Chans {
			if c.Key == k {
				return c.Name
			}
		}
		end := f.Offset(p)
		i := end
		for i < len(f.Src) && (f.Src[i] == '_' || f.Src[i] >= 'a' && f.Src[i] <= 'z' || f.Src[i] >= 'A' && f.Src[i] <= 'Z' || f.Src[i] >= '0' && f.Src[i] <= '9') {
			i++
		}
		return string(f.Src[end:i])
	}
	return "?"
}
