package server

import (
	"testing"

	"go.lsp.dev/uri"
)

func TestFsPathFor(t *testing.T) {
	cases := []struct {
		uri, goos, want string
	}{
		{"file:///c%3A/Users/Me/x.go", "windows", `C:\Users\Me\x.go`}, // VS Code
		{"file:///C:/Users/Me/x.go", "windows", `C:\Users\Me\x.go`},   // Neovim, gopls
		{"file:///c:/Users/Me/My%20Code/x.go", "windows", `C:\Users\Me\My Code\x.go`},
		{"file://server/share/src/x.go", "windows", `\\server\share\src\x.go`}, // UNC
		{"file://wsl.localhost/Ubuntu/home/me/x.go", "windows", `\\wsl.localhost\Ubuntu\home\me\x.go`},
		{"file:///home/me/x.go", "linux", "/home/me/x.go"},
		{"file:///Users/Me/My%20Code/x.go", "darwin", "/Users/Me/My Code/x.go"},
	}
	for _, c := range cases {
		if got := fsPathFor(uri.URI(c.uri), c.goos); got != c.want {
			t.Errorf("fsPathFor(%s, %s) = %q, want %q", c.uri, c.goos, got, c.want)
		}
	}
}

func TestDocumentKeyFor(t *testing.T) {
	same := []struct {
		goos string
		a, b string
	}{
		{"windows", "file:///c%3A/Users/Me/x.go", "file:///C:/Users/Me/x.go"},
		{"windows", "file:///c%3A/Users/Me/x.go", "file:///C:/users/me/X.go"},
		{"windows", "file://Server/Share/x.go", "file://server/share/X.go"},
		{"darwin", "file:///Users/Me/x.go", "file:///users/me/x.go"},
		{"linux", "file:///home/me/x.go", "file:///home/me/x.go"},
		{"linux", "file:///home/me/a%20b.go", "file:///home/me/a b.go"},
	}
	for _, c := range same {
		if ka, kb := documentKeyFor(uri.URI(c.a), c.goos), documentKeyFor(uri.URI(c.b), c.goos); ka != kb {
			t.Errorf("%s: %s and %s are one file but have keys %q and %q", c.goos, c.a, c.b, ka, kb)
		}
	}
	different := []struct {
		goos string
		a, b string
	}{
		{"linux", "file:///home/me/x.go", "file:///home/me/X.go"}, // case-sensitive
		{"windows", "file:///c%3A/x.go", "file:///d%3A/x.go"},
		{"windows", "file:///c%3A/x.go", "untitled:Untitled-1"},
		{"windows", "untitled:Untitled-1", "untitled:untitled-1"},
	}
	for _, c := range different {
		if ka, kb := documentKeyFor(uri.URI(c.a), c.goos), documentKeyFor(uri.URI(c.b), c.goos); ka == kb {
			t.Errorf("%s: %s and %s are different documents but share the key %q", c.goos, c.a, c.b, ka)
		}
	}
}

// TestDocumentsWindowsSpellings: a document opened by VS Code's spelling is
// found, changed and closed by the other spellings, and keeps the URI the
// client opened it with (replies and diagnostics use it).
func TestDocumentsWindowsSpellings(t *testing.T) {
	s := newDocuments()
	s.goos = "windows"
	opened := uri.URI("file:///c%3A/Users/Me/x.go")
	s.set(newDocument(opened, 1, []byte("package p\n")))
	for _, u := range []string{"file:///C:/Users/Me/x.go", "file:///c:/users/me/x.go", "file:///C%3A/Users/Me/X.go"} {
		d, ok := s.get(uri.URI(u))
		if !ok {
			t.Fatalf("%s: the open document is not found", u)
		}
		if d.uri != opened {
			t.Errorf("%s: the document's URI is %s, want the one the client opened, %s", u, d.uri, opened)
		}
	}
	s.remove("file:///C:/Users/Me/x.go")
	if _, ok := s.get(opened); ok {
		t.Error("closed with another spelling, the document is still open")
	}
}
