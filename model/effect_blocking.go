package model

// Whether an operation a summary reports can block: the answer for an
// operation written in a callee, read by the concurrency map (and any
// feature that draws or hints what a call does), so that it is the same as
// the one ChanOp.MayBlock and Select.MayBlock give where the operation is
// written (blocking.go).

// chanWait reports whether the effect is a channel operation that waits
// for a partner: a send, a receive (ctx.Done() included) or a range.
func (k EffectKind) chanWait() bool {
	return k == EffSend || k == EffRecv || k == EffRange || k == EffCtxDone
}

// mayWait reports whether an operation of the kind waits unless it is one
// that cannot (Effect.NoBlock): a channel wait, Lock or RLock.
func (k EffectKind) mayWait() bool { return k.chanWait() || k == EffLock || k == EffRLock }

// MayBlock reports whether the operation behind the effect can block the
// goroutine that runs it: a send, receive or range unless it is a case of
// a select with a default (https://go.dev/ref/spec#Select_statements);
// Lock and RLock until the mutex is free (TryLock never waits); WaitGroup.Wait until the counter
// is zero; Cond.Wait until signalled. Close, Unlock, Add, Done, Signal,
// cancel, an escape and a return never block.
//
// The select around an operation is known for the operations of the
// package's files; for a function of an imported package it is not, and
// a send or receive there counts as blocking, as a bare one would.
func (e *Effect) MayBlock() bool {
	switch {
	case e.Kind.mayWait():
		return !e.NoBlock
	case e.Kind == EffWait, e.Kind == EffCondWait:
		return true
	}
	return false
}
