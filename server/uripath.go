package server

import (
	"runtime"
	"strings"

	"go.lsp.dev/uri"
)

// Windows and macOS clients spell one file's URI several ways: VS Code sends
// file:///c%3A/Users/Me/x.go, Neovim file:///C:/Users/Me/x.go, a UNC share is
// file://server/share/x.go, and NTFS and APFS (by default) ignore case. The
// document store keys documents by documentKey so every spelling finds the
// open document, and the file system path golens hands the go command and
// go/packages comes from fsPath. The URI the client sent is kept and used in
// replies.

// documentKeyFor is the store's key for u on the platform goos.
func documentKeyFor(u uri.URI, goos string) string {
	if u.Scheme() != "file" {
		return string(u)
	}
	p := fsPathFor(u, goos)
	if caseInsensitiveFS(goos) {
		p = strings.ToLower(p)
	}
	return "file:" + p
}

// caseInsensitiveFS reports whether goos's usual file system ignores case
// (NTFS; APFS and HFS+ as macOS formats them by default).
func caseInsensitiveFS(goos string) bool {
	return goos == "windows" || goos == "darwin" || goos == "ios"
}

// fsPath is the file system path of a file URI on this machine.
func fsPath(u uri.URI) string { return fsPathFor(u, runtime.GOOS) }

// fsPathFor is the file system path of a file URI on goos: on Windows with
// backslashes, the drive letter upper case as the go command writes it
// (C:\Users\Me\x.go, whether the URI said c%3A or C:), UNC authorities as
// \\server\share\….
func fsPathFor(u uri.URI, goos string) string {
	if goos != "windows" {
		return uri.FsPathFor(u, uri.PlatformPOSIX, true)
	}
	p := uri.FsPathFor(u, uri.PlatformWindows, true)
	if len(p) >= 2 && p[1] == ':' && 'a' <= p[0] && p[0] <= 'z' {
		p = string(p[0]-'a'+'A') + p[1:]
	}
	return p
}
