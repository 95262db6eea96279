// Package nilchan defines an Analyzer that reports sends, receives and
// range loops on a channel that is nil on every path.
//
// # Analyzer nilchan
//
// nilchan: report operations on a channel that is never made
//
// The zero value of a channel type is nil. A variable declared with
// `var ch chan T` and never assigned stays nil, and on a nil channel a send
// blocks forever, a receive blocks forever, and a range loop waits forever
// for its first value (https://go.dev/ref/spec#Channel_types). When every
// other goroutine is blocked too, the runtime stops the program with "all
// goroutines are asleep"; otherwise the goroutine silently hangs.
//
// WRONG:
//
//	var results chan string
//	go func() { results <- fetch() }()
//	fmt.Println(<-results) // blocks forever: results is nil
//
// RIGHT:
//
//	results := make(chan string)
//	go func() { results <- fetch() }()
//	fmt.Println(<-results)
//
// The quick fix makes the channel at its declaration:
// `var results = make(chan string)`.
//
// Setting a channel to nil on purpose, to turn off one case of a select once
// it is drained, is an idiom and is not reported; neither is a nil channel
// in a select that has other cases (such a case is simply never ready), nor
// a channel that is compared with nil, passed on, or written through a
// pointer. A package-level channel may be made by an init function in
// another file and is not checked.
//
// With type information the check also looks at unexported struct fields
// of channel type: when no code in the package sets the field (no
// assignment, no composite literal naming it or listing every field, no
// &s.f), every value of the struct holds a nil channel there, the classic
// "forgot to make it in the constructor". Exported fields, and packages that
// import reflect or unsafe, are left alone.
//
//	type queue struct{ items chan int }
//	func newQueue() *queue { return &queue{} } // items is never made
//	func (q *queue) push(v int) { q.items <- v } // blocks forever
//
// On the typed tier, close of an unexported channel field that nothing in
// the package ever sets is reported too: closing a nil channel panics.
//
// The same holds for the Done channel of a context that can never be
// cancelled: context.Background().Done() and context.TODO().Done() return
// nil (go doc context.Context.Done), so a plain receive from them, or a
// select whose only case it is, blocks forever. The context must be
// Background or TODO on every path golens sees; as one case among others
// of a select it is a case that never fires, which is often meant, and is
// not reported.
//
// WRONG:
//
//	ctx := context.Background()
//	go func() { <-ctx.Done(); cleanup() }() // never runs cleanup
//
// RIGHT:
//
//	ctx, cancel := context.WithCancel(context.Background())
//	defer cancel()
//	go func() { <-ctx.Done(); cleanup() }()
package nilchan
