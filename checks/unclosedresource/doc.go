// Package unclosedresource defines an Analyzer that reports files,
// network connections and HTTP response bodies that are never closed, or
// whose Close is deferred before the error check.
//
// # Analyzer unclosedresource
//
// unclosedresource: report an opened file, connection or response body that is never closed
//
// A file from os.Open, os.Create or os.OpenFile, a connection or listener
// from net.Dial or net.Listen, and the Body of a response from http.Get,
// http.Post or (*http.Client).Do hold an operating-system resource until
// Close. When the function neither closes it nor lets it escape (returns it,
// stores it, passes it to a function that may keep it, captures it in a
// closure), the descriptor leaks; for a response body the connection also
// cannot be reused.
//
// WRONG:
//
//	f, err := os.Open(path)
//	if err != nil {
//		return err
//	}
//	data, err := io.ReadAll(f)
//
// RIGHT (the suggested fix inserts the defer right after the error check):
//
//	f, err := os.Open(path)
//	if err != nil {
//		return err
//	}
//	defer f.Close()
//
// Deferring Close before checking the error is the second mistake: when the
// call fails the result is nil, and for a response (resp.Body) or an
// interface such as net.Conn or net.Listener the deferred Close then panics
// with a nil dereference. The fix moves the defer after the check. (For
// *os.File and the concrete *net.TCPConn kinds, Close on nil returns an
// error instead of panicking, so that misplacement is not reported.)
//
// WRONG:
//
//	resp, err := http.Get(url)
//	defer resp.Body.Close()
//	if err != nil {
//		return err
//	}
//
// staticcheck reports this second case as SA5001; gopls runs staticcheck
// only when the user enables it ("staticcheck": true), so golens reports it
// by default and is not marked as a gopls duplicate.
//
// The check stays silent when the variable belongs to an enclosing function
// or the package, in a function that loops forever (an accept loop: what it
// opened lives as long as the process), when a discarded result (`_, err := os.Open(p)`) is not
// expected to succeed (the error is not checked with a return right away),
// and, in _test.go files, for everything but the deferred-before-check
// panic: a test server's Close tears down what a test leaves open.
//
// The check needs type information and runs in the typed tier only.
//
// A wrapper kept in a local variable and used only through its methods
// (sc := bufio.NewScanner(f); for sc.Scan() { ... }) does not close the
// file and does not let it escape: the file is still reported.
package unclosedresource
