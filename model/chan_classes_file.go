package model

import (
	"go/ast"
	"go/types"
)

// A file's model states "nothing closes `ch`" and "nothing sends on `ch`"
// only when it proves them (closedFact, neverSent). On the typed tier built
// with the package's facts (BuildInPackage), the same negative is a fact of the
// package's channel classes too, which nopartner reports from: the file's
// fact is a proven negative only where golens sees every use of the
// class's channels in the package; where it does not (a variable of the
// class handed to code golens does not follow), the file's fact is the
// class's unknown, with its reason.

// packageChanClass is the package's channel class of c, nil without the
// package's facts or for a channel that is not a variable of the package.
func (b *builder) packageChanClass(c *Chan) *ChanClass {
	if b.m.classPkg == nil {
		return nil
	}
	obj, ok := c.Key.obj.(types.Object)
	if !ok || c.Key.field != "" {
		return nil
	}
	return b.m.classPkg.ChanClasses().Of(obj)
}

// classNeverClosed refines a proven "nothing closes c" by the package
// class: ok is false when golens loses sight of the class's channels
// somewhere in the package (ChanClass.Unseen), and f is then the class's
// unknown fact with its reason. A close of another variable of the class
// does not count: the class joins every channel its variables may hold (two
// calls passing two channels to one parameter), and the file's summaries,
// which follow this channel alone, decide whether that close reaches it (a
// run of unclosedrange's pool.go testdata deadlocks though the class is
// closed elsewhere).
func (b *builder) classNeverClosed(c *Chan) (f Fact, ok bool) {
	cls := b.packageChanClass(c)
	if cls == nil || !cls.Unseen || cls.UnseenOnlyIn() && c.OnlyOwnMakes() {
		return Fact{}, true
	}
	return cls.Closed(), false
}

// OnlyOwnMakes reports that c is a local variable that only ever holds
// channels its own makes create (report := make(chan string, 1), passed to an exported
// method inv.Report(report)). A class that loses sight only of channels
// coming in from other packages (ChanClass.UnseenOnlyIn: Report's
// parameter, which callers elsewhere may pass theirs to) loses none of
// c's: nothing outside the package gets it, so the file's facts about it
// stand.
func (c *Chan) OnlyOwnMakes() bool {
	return c.Local && !c.IsParam && !c.IsField && len(c.Makes) > 0 && len(c.Assigned) == 0
}

// fieldClassClosed is the Closed fact of a field channel that nothing in
// this file closes, on the typed tier built in its package
// (BuildInPackage), which sees every file of the package: the field's
// channel class says whether any code of the package closes a channel it
// may hold. None, and none leaves golens's sight (ChanClass.Closed proven
// false): nothing closes it — "code in another file may close it" would be
// false where there is no such code. Out of sight: the class's reason. ok
// is false when the class closes some channel of it (which may or may not
// be this field's: the file's own facts stand) or there is no class (the
// syntax tier, which sees one file).
func (b *builder) fieldClassClosed(c *Chan) (f Fact, ok bool) {
	cls := b.packageChanClass(c)
	if cls == nil {
		return Fact{}, false
	}
	switch cf := cls.Closed(); {
	case cf.ProvenFalse():
		return Fact{Certainty: Proven, Holds: false, Why: "a struct field that no code of the package closes, and golens follows every use of it in the package"}, true
	case cf.IsUnknown():
		return Fact{Certainty: Unknown, Why: "a struct field that nothing in this file closes, and it is " + cf.Why}, true
	}
	return Fact{}, false
}

// classNeverSent: golens sees every use of c's class in the package (or
// the model has no package facts), as classNeverClosed.
func (b *builder) classNeverSent(c *Chan) bool {
	cls := b.packageChanClass(c)
	return cls == nil || !cls.Unseen || cls.UnseenOnlyIn() && c.OnlyOwnMakes()
}

// BuildInPackage is BuildWith on the typed tier for a file of the package
// p, whose channel classes (Package.ChanClasses) the channel facts read: a
// proven "nothing closes it" or "nothing sends on it" then holds for the
// package too. The typed tier computes those facts during the build, so
// the package must be known before it. lookup may be nil. The lock flows
// read the package's facts too (as with BuildIn): they follow the lock
// helpers declared in the package's other files.
//
// checks/modelpass builds so, without a lookup. The server's typed tier
// does not: its models read the summaries of imported packages
// (typed.Package), which prove more than the classes do (a channel passed
// to worker.Drain, which only ranges over it, is never closed), so there
// the file's facts stand alone. nopartner is silent where the class loses
// sight, so it never contradicts them.
func BuildInPackage(p *Package, file *ast.File, src []byte, lookup SummaryLookup) *File {
	return buildWith(p.Fset, file, src, p.Info, lookup, p, p)
}

// classSilent: no code of the package sends on or closes a channel of c's
// class, and golens sees every use of them (ChanClass.Sent and Closed
// proven false, as nopartner reads them), or the model has no package
// facts. The class joins every channel its variables may hold, so this is
// stricter than the file's facts about c alone: a "blocks forever" is said
// only where the check would say it too.
func (b *builder) classSilent(c *Chan) bool {
	cls := b.packageChanClass(c)
	return cls == nil || cls.Sent().ProvenFalse() && cls.Closed().ProvenFalse()
}
