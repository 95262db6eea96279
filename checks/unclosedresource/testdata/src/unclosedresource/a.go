package unclosedresource

import (
	"bufio"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
)

// ---- buggy: never closed ----

func readFile(path string) ([]byte, error) {
	f, err := os.Open(path) // want `the file opened by os.Open is never closed in this function and does not escape it: call f.Close\(\)`
	if err != nil {
		return nil, err
	}
	return io.ReadAll(f)
}

func fetch(url string, v any) error {
	resp, err := http.Get(url) // want `the response body opened by http.Get is never closed`
	if err != nil {
		return err
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

func dial(addr string) error {
	conn, err := net.Dial("tcp", addr) // want `the connection opened by net.Dial is never closed`
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("ping"))
	return err
}

type client struct{ hc *http.Client }

func (c *client) do(req *http.Request) (int, error) {
	resp, err := c.hc.Do(req) // want `the response body opened by c.hc.Do is never closed`
	if err != nil {
		return 0, err
	}
	return resp.StatusCode, nil
}

func create(path string) error {
	_, err := os.Create(path) // want `the file opened by os.Create is discarded without being closed`
	if err != nil {
		return err
	}
	return nil
}

func inLoop(paths []string) {
	for _, p := range paths {
		f, err := os.Open(p) // want `the file opened by os.Open is never closed`
		if err != nil {
			continue
		}
		bufio.NewReader(f).ReadString('\n')
	}
}

// ---- buggy: deferred before the error check ----

func deferTooEarly(url string) error {
	resp, err := http.Get(url)
	defer resp.Body.Close() // want `resp.Body.Close\(\) is deferred before the error from http.Get is checked: when http.Get fails resp is nil and the deferred Close panics`
	if err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

func deferConnTooEarly(addr string) error {
	conn, err := net.Dial("tcp", addr)
	defer conn.Close() // want `conn.Close\(\) is deferred before the error from net.Dial is checked: when net.Dial fails conn is nil and the deferred Close panics`
	if err != nil {
		return err
	}
	_, err = conn.Write([]byte("x"))
	return err
}

// ---- correct ----

func closed(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func returned(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return f, nil
}

type store struct{ f *os.File }

func (s *store) open(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	s.f = f
	return nil
}

func passed(path string, use func(io.Reader)) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	use(f)
	return nil
}

func closedInClosure(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return nil
}

func bodyClosed(url string) (int, error) {
	resp, err := http.Get(url)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}

func respReturned(url string) (*http.Response, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	return resp, nil
}

func listener(h http.Handler) error {
	ln, err := net.Listen("tcp", ":0")
	if err != nil {
		return err
	}
	return http.Serve(ln, h)
}

func goroutineUses(addr string) error {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return err
	}
	go func() {
		io.Copy(conn, os.Stdin)
	}()
	return nil
}

func closedExplicitly(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.WriteString("x"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// (*os.File).Close on nil returns os.ErrInvalid: misplaced but harmless.
func deferFileEarly(path string) error {
	f, err := os.Open(path)
	defer f.Close()
	if err != nil {
		return err
	}
	_, err = io.Copy(os.Stdout, f)
	return err
}

// The open is expected to fail.
func probe(path string) bool {
	_, err := os.Open(path)
	return err != nil
}

var shared *os.File

func openShared(path string) (err error) {
	shared, err = os.Open(path)
	return err
}

var once struct{ f *os.File }

func openInClosure(path string, do func(func())) {
	var f *os.File
	var err error
	do(func() {
		f, err = os.Open(path)
	})
	_, _ = f, err
}

func handle(net.Conn) {}

// The listener lives as long as the accept loop, which never ends.
func serve(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	for {
		conn, err := ln.Accept()
		if err != nil {
			continue
		}
		go handle(conn)
	}
}

// The inner for {} is left by continue outer, so the function returns
// (the model's LoopExits): a run shows the listener still accepting after
// it has returned.
func retryListen(names []string) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0") // want `the connection opened by net.Listen is never closed`
	if err != nil {
		return err
	}
	_ = ln.Addr()
outer:
	for _, n := range names {
		for {
			if n == "" {
				continue outer
			}
			n = n[1:]
		}
	}
	return nil
}

// A break of a labelled inner loop does not leave the accept loop: the
// function serves forever. Silent.
func serveInner(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	for {
	drain:
		for i := 0; ; i++ {
			if i > 3 {
				break drain
			}
		}
		conn, err := ln.Accept()
		if err != nil {
			continue
		}
		go handle(conn)
	}
}
