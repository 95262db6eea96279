package model

import (
	"go/ast"
	"go/types"
	"strings"
)

// Reason texts about a goroutine already use "it" for the goroutine
// ("golens cannot tell whether main waits for it: ..."). A channel or
// WaitGroup in the same sentence is named, never "it": "(waitAll waits on
// `wg` at line 31)", not "(waitAll waits on it at line 31)".

// valueName names the variable behind k as code, in backticks; "" when
// the key names nothing golens can print.
func (b *builder) valueName(k VarKey) string {
	name := ""
	if c := b.chans[k]; c != nil {
		name = c.Name
	} else {
		switch o := k.obj.(type) {
		case *ast.Object:
			name = o.Name
		case types.Object:
			name = o.Name()
		}
		if name == "" {
			// A syntax-tier field key is ".name" (build.go keyOf).
			name = strings.TrimPrefix(k.field, ".")
		}
	}
	if name == "" {
		return ""
	}
	return "`" + name + "`"
}

// namedUseText is UseText with the value it is about named: "`wg` is
// passed to `finish` at line 9, which may call Done on it (line 4)", "a
// function literal in main may call Done on `wg` (line 4)".
func (b *builder) namedUseText(e *Effect) string {
	t := UseText(b.m, ChanUse{Effect: e})
	name := b.valueName(e.key)
	if name == "" {
		return t
	}
	for _, lead := range []string{"passed ", "used ", "assigned ", "stored ", "sent ", "returned "} {
		if strings.HasPrefix(t, lead) {
			return name + " is " + t
		}
	}
	if e.Kind == EffCancel {
		// "check may cancel it (line 13)" of a cancel func named cancel:
		// it calls the func, which cancels a context.
		for _, v := range [][2]string{{" may cancel it (", " may call "}, {" cancels it (", " calls "}} {
			if i := strings.LastIndex(t, v[0]); i >= 0 {
				return t[:i] + v[1] + "`" + name + "`" + t[i+len(v[0])-2:]
			}
		}
	}
	if i := strings.LastIndex(t, " it ("); i >= 0 {
		return t[:i] + " " + name + t[i+3:]
	}
	return t
}

// cancelledCtxEscapes says why a goroutine that calls a cancel func may be
// waited for where golens does not look: the context that cancel func
// cancels (or one derived from it) is handed to code golens does not
// follow — stored in a field by a method, passed to an unseen function —
// and a wait on its Done there ends when the goroutine cancels (ctx
// stored by p.WithContext(ctx), then p.Run() selecting on p.ctx.Done()).
// "" when no context the goroutine cancels escapes the starting function.
func (b *builder) cancelledCtxEscapes(ps *Summary, sigs []goSignal) string {
	for _, sg := range sigs {
		if sg.effect.Kind != EffCancel {
			continue
		}
		ctx := b.ss.cancels[sg.key]
		if !ctx.Valid() {
			continue
		}
		for _, e := range ps.Effects {
			if e.Kind != EffEscape || e.InGo || !b.ctxDescends(e.key, ctx) {
				continue
			}
			which := "the context it cancels"
			if e.key != ctx {
				which = "a context derived from the one it cancels"
			}
			if name := b.valueName(e.key); name != "" {
				which += ", " + name + ","
			}
			call := "its cancel func"
			if name := b.valueName(sg.key); name != "" {
				call = name
			}
			return "the goroutine calls " + call + " (" + b.m.where(sg.effect.Pos) + "), and " + which + " is " + UseText(b.m, ChanUse{Effect: e})
		}
	}
	return ""
}
