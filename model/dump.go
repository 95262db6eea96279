package model

import (
	"fmt"
	"go/token"
	"slices"
	"sort"
	"strings"
)

// Dump renders the model as one line per fact, in source order, for tests
// and for `golens model` debugging. Lines start with "L<line>:".
func (f *File) Dump() string {
	type line struct {
		pos  token.Pos
		text string
	}
	var out []line
	add := func(p token.Pos, format string, args ...any) {
		out = append(out, line{p, fmt.Sprintf(format, args...)})
	}
	lineOf := func(p token.Pos) string {
		if !p.IsValid() {
			return "?"
		}
		return fmt.Sprintf("L%d", f.Line(p))
	}
	lines := func(ps []token.Pos) string {
		var s []string
		for _, p := range ps {
			s = append(s, lineOf(p))
		}
		return strings.Join(s, ",")
	}
	for _, c := range f.Chans {
		var parts []string
		parts = append(parts, "chan "+c.Name, "elem="+c.Elem, "dir="+c.Dir.String())
		if cp, ok := c.Capacity(); ok {
			parts = append(parts, fmt.Sprintf("cap=%d", cp))
		} else {
			parts = append(parts, "cap=?")
		}
		if c.IsParam {
			parts = append(parts, "param")
		}
		if c.IsField {
			parts = append(parts, "field")
		}
		if c.NeverMade() {
			parts = append(parts, "never-made")
		}
		var makes []token.Pos
		for _, m := range c.Makes {
			makes = append(makes, m.Pos)
		}
		if len(makes) > 0 {
			parts = append(parts, "made="+lines(makes))
		}
		if len(c.NilSets) > 0 {
			parts = append(parts, "nil="+lines(c.NilSets))
		}
		var closes []token.Pos
		for _, op := range c.Closes() {
			closes = append(closes, op.Pos)
		}
		if len(closes) > 0 {
			parts = append(parts, "closed="+lines(closes))
		}
		p := c.Decl
		if !p.IsValid() && len(c.Makes) > 0 {
			p = c.Makes[0].Pos
		}
		add(p, "%s", strings.Join(parts, " "))
	}
	for _, op := range f.ChanOps {
		parts := []string{op.Kind.String() + " " + op.ChanExpr}
		if op.Chan == nil {
			parts = append(parts, "unresolved")
		}
		if op.Source != "" {
			parts = append(parts, "source="+op.Source)
		}
		if op.CommaOk {
			parts = append(parts, "comma-ok")
		}
		if op.Select != nil {
			parts = append(parts, fmt.Sprintf("select-case=%d", op.Select.Index))
		}
		if op.InLoop {
			parts = append(parts, "in-loop")
		}
		if op.InGo != nil {
			parts = append(parts, "in-go="+lineOf(op.InGo.Pos))
		}
		if v := op.At(); v != nil {
			var ps []token.Pos
			for _, mk := range v.Makes {
				ps = append(ps, mk.Pos)
			}
			at := "at=makes:" + lines(ps)
			if v.Nil {
				at += "+nil"
			}
			if v.Other {
				at += "+other"
			}
			if c, ok := op.Capacity(); ok {
				at += fmt.Sprintf(" cap-here=%d", c)
			} else {
				at += " cap-here=?"
			}
			parts = append(parts, at)
		}
		add(op.Pos, "%s", strings.Join(parts, " "))
	}
	for _, s := range f.Selects {
		parts := []string{fmt.Sprintf("select cases=%d", len(s.Cases))}
		if s.Default != nil {
			parts = append(parts, "default")
		}
		for _, c := range s.Timeouts() {
			parts = append(parts, "timeout="+c.Timeout)
		}
		for _, c := range s.Cases {
			if c.IsCtxDone() {
				o, _ := c.Ctx()
				parts = append(parts, fmt.Sprintf("ctx-case=%d:%s", c.Index, o))
			}
		}
		if s.InLoop {
			parts = append(parts, "in-loop")
		}
		add(s.Pos, "%s", strings.Join(parts, " "))
	}
	for _, g := range f.Goroutines {
		parts := []string{"go " + g.Callee}
		if len(g.Args) > 0 {
			parts = append(parts, "args="+strings.Join(g.Args, ","))
		}
		var caps []string
		for _, c := range g.Captures {
			s := c.Name
			if c.Written {
				s += "(written)"
			}
			if c.IsLoop {
				s += "(loop)"
			}
			caps = append(caps, s)
		}
		if len(caps) > 0 {
			parts = append(parts, "captures="+strings.Join(caps, ","))
		}
		if g.WaitedBy() != "" {
			parts = append(parts, fmt.Sprintf("waited-by=%q@%s", g.WaitedBy(), lineOf(g.WaitPos())))
		} else {
			parts = append(parts, "unwaited")
		}
		add(g.Pos, "%s", strings.Join(parts, " "))
	}
	for _, d := range f.Defers {
		parts := []string{fmt.Sprintf("defer %d/%d in %s %s call=%s", d.Index, len(d.Func.Defers), d.Func.Name, d.Order().dump(f.Line), d.Call)}
		if d.Conditional {
			parts = append(parts, "conditional")
		}
		if d.InLoop {
			parts = append(parts, "in-loop")
		}
		if d.Receiver != "" {
			parts = append(parts, "recv="+d.Receiver)
		}
		for _, a := range d.Args {
			s := "arg " + a.Expr
			if a.Value != "" {
				s += "=" + a.Value
			}
			if len(a.ReassignedAt) > 0 {
				s += " reassigned=" + lines(a.ReassignedAt)
			}
			parts = append(parts, s)
		}
		if len(d.Captures) > 0 {
			parts = append(parts, "captures="+strings.Join(d.Captures, ","))
		}
		add(d.Pos, "%s", strings.Join(parts, " "))
	}
	for _, l := range f.Locks {
		s := fmt.Sprintf("%s %s type=%s", l.Kind, l.Recv, l.Type)
		if l.Deferred {
			s += " deferred"
		}
		if lf := l.Flow(); lf != nil && !lf.Known {
			s += " unknown=" + lf.Why
		} else if lf != nil {
			s += " released=" + lf.Released.String()
			var ps []token.Pos
			for _, u := range lf.Releases {
				ps = append(ps, u.Pos)
			}
			if len(ps) > 0 {
				s += " by=" + lines(ps)
			}
			ps = nil
			var flows []string
			for _, lk := range lf.Leaks {
				if lk.Exit != nil && !slices.Contains(ps, lk.Exit.Pos) {
					ps = append(ps, lk.Exit.Pos)
				}
				if lk.Via != ViaReturn || lk.Leaked() {
					x := lk.Via.String() + "@" + lineOf(lk.At) + "(" + lk.Certainty.String()
					if lk.Skips != nil {
						x += ",skips " + lineOf(lk.Skips.Pos)
					}
					if lk.Deferred != nil {
						x += ",deferred " + lineOf(lk.Deferred.Pos)
					}
					flows = append(flows, x+")")
				}
			}
			slices.Sort(ps)
			if len(ps) > 0 {
				s += " leaks=" + lines(ps)
			}
			if len(flows) > 0 {
				s += " held=" + strings.Join(flows, ",")
			}
			if lf.Rebound.IsValid() {
				s += " rebound=" + lineOf(lf.Rebound)
			}
			if r := lf.Relock; r != nil {
				s += " relock=" + lineOf(r.Held.Pos) + "(" + r.Certainty.String() + ")"
			}
			for _, c := range lf.Unsure {
				s += " unsure=" + c.Callee + "@" + lineOf(c.Pos)
			}
			ps = nil
			for _, o := range lf.Elsewhere {
				ps = append(ps, o.Pos)
			}
			if len(ps) > 0 {
				s += " elsewhere=" + lines(ps)
			}
			ps = nil
			for _, g := range lf.Started {
				ps = append(ps, g.Go)
			}
			if len(ps) > 0 {
				s += " started=" + lines(ps)
			}
		}
		if pairs := l.Pairs(); len(pairs) > 0 {
			var ps []token.Pos
			for _, o := range pairs {
				ps = append(ps, o.Pos)
			}
			s += " pairs=" + lines(ps)
		}
		if un := l.ReleasesUnnamed(); len(un) > 0 {
			s += " unnamed=" + lines(un)
		}
		add(l.Pos, "%s", s)
	}
	for _, w := range f.WaitGroups {
		s := fmt.Sprintf("wg.%s %s", w.Kind, w.Recv)
		if w.Arg != "" {
			s += " arg=" + w.Arg
		}
		if w.Deferred {
			s += " deferred"
		}
		if w.InGo != nil {
			s += " in-go=" + lineOf(w.InGo.Pos)
		}
		add(w.Pos, "%s", s)
	}
	for _, bc := range f.Builtins {
		s := bc.Name
		if bc.DirectlyDeferred {
			s += " directly-deferred"
		}
		if bc.Name == "recover" {
			s += " reach=" + bc.Reach.String()
			if len(bc.DeferredBy) > 0 {
				var ps []token.Pos
				for _, d := range bc.DeferredBy {
					ps = append(ps, d.Pos)
				}
				s += " deferred-by=" + lines(ps)
			}
		}
		if bc.Name == "panic" && bc.PanicExit() != nil {
			var ps, rs []token.Pos
			for _, d := range bc.Registered() {
				ps = append(ps, d.Pos)
			}
			for _, r := range bc.Recovers() {
				rs = append(rs, r.Pos)
			}
			if len(ps) > 0 {
				s += " defers-run=" + lines(ps)
			}
			if len(rs) > 0 {
				s += " recovered-by=" + lines(rs)
			}
		}
		add(bc.Pos, "%s", s)
	}
	for _, t := range f.TimeCalls {
		s := "time." + t.Name + " " + t.Arg
		if t.Value != "" {
			s += " =" + t.Value
		}
		if t.InLoop {
			s += " in-loop"
		}
		add(t.Pos, "%s", s)
	}
	for _, c := range f.CtxCalls {
		s := "context." + c.Name
		if c.Recv != "" {
			s = c.Recv + ".Done"
		}
		if c.CancelName != "" {
			s += " cancel=" + c.CancelName
			if c.CancelDeferred {
				s += "(deferred)"
			}
		}
		add(c.Pos, "%s", s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].pos < out[j].pos })
	var b strings.Builder
	for _, l := range out {
		fmt.Fprintf(&b, "%s: %s\n", lineOf(l.pos), l.text)
	}
	return b.String()
}
