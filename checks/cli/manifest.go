package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/tools/go/packages"
)

// The manifest makes a re-check of an unchanged tree skip `go list`.
//
// The result cache (cache.go) keys each package by its files and its
// dependencies' keys, but computing the keys needs the package graph, and
// asking the go command for it costs about as much CPU as all of a warm
// `go vet`. So after a run whose every root package was keyed and stored,
// golens also writes a manifest of everything that graph was computed
// from: the files of every package (contents for the user's own files,
// name, size and modification time for the read-only standard library and
// module cache), the directories (a file added to or removed from a
// package changes its directory's time; for a `...` pattern, every
// directory under its root, so a new package shows too), the go.mod,
// go.sum and go.work files from the working directory up, the go binary,
// and the environment that steers the go command. When all of them are
// unchanged, the graph is too, and the findings are read from the result
// cache under the keys the manifest lists.
type manifest struct {
	Stats  []statEntry       `json:"stats"`  // compared by size and time (-1 size: absent)
	Hashes []hashEntry       `json:"hashes"` // compared by contents
	Roots  []string          `json:"roots"`  // root package IDs, in load order
	Keys   map[string]string `json:"keys"`   // root package ID -> result key
}

type statEntry struct {
	Path  string `json:"p"`
	Size  int64  `json:"s"`
	MTime int64  `json:"t"`
}

type hashEntry struct {
	Path string `json:"p"`
	Sum  string `json:"h"`
}

// manifestKey names the manifest of one invocation: working directory,
// patterns, flags, checks, the golens binary and the go environment.
func manifestKey(patterns []string, salt string) string {
	h := sha256.New()
	wd, _ := os.Getwd()
	fmt.Fprintf(h, "manifest\x00%s\x00%s\x00%s\x00", binaryHash(), wd, salt)
	for _, p := range patterns {
		fmt.Fprintf(h, "%s\x00", p)
	}
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "GO") || strings.HasPrefix(name, "CGO_") || name == "CC" || name == "CXX" ||
			name == "PATH" || name == "HOME" || name == "XDG_CONFIG_HOME" || name == "PKG_CONFIG" {
			env = append(env, kv)
		}
	}
	sort.Strings(env)
	for _, kv := range env {
		fmt.Fprintf(h, "%s\x00", kv)
	}
	return "m" + hex.EncodeToString(h.Sum(nil))
}

// manifestBuilder collects the manifest during lookup's metadata load.
type manifestBuilder struct {
	m    manifest
	seen map[string]bool
	ok   bool
}

func (b *manifestBuilder) stat(path string) {
	if b.seen[path] {
		return
	}
	b.seen[path] = true
	e := statEntry{Path: path, Size: -1}
	if fi, err := os.Stat(path); err == nil {
		e.Size, e.MTime = fi.Size(), fi.ModTime().UnixNano()
	}
	b.m.Stats = append(b.m.Stats, e)
}

func (b *manifestBuilder) hash(path string) {
	if b.seen[path] {
		return
	}
	b.seen[path] = true
	data, err := os.ReadFile(path)
	if err != nil {
		b.ok = false
		return
	}
	sum := sha256.Sum256(data)
	b.m.Hashes = append(b.m.Hashes, hashEntry{Path: path, Sum: hex.EncodeToString(sum[:])})
}

// readOnly reports whether a package's files are versioned and never
// edited in place: the standard library and the module cache.
func readOnly(p *packages.Package) bool {
	return p.Module == nil && !strings.Contains(p.PkgPath, ".") && p.PkgPath != "command-line-arguments" ||
		p.Module != nil && !p.Module.Main && p.Module.Replace == nil && inModCache(p.Module.Dir)
}

func inModCache(dir string) bool {
	sep := string(filepath.Separator)
	return strings.Contains(dir, sep+"pkg"+sep+"mod"+sep)
}

// newManifest records what the package graph pkgs (with deps) was
// computed from. It returns nil when a pattern's directories cannot be
// told, so that the next run asks the go command again.
func newManifest(patterns []string, pkgs []*packages.Package) *manifestBuilder {
	b := &manifestBuilder{seen: map[string]bool{}, ok: true}
	var modules []*packages.Module
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		if len(p.Errors) > 0 || p.Module != nil && p.Module.Error != nil {
			b.ok = false // the next run must report them again
		}
		if p.Module != nil {
			modules = append(modules, p.Module)
		}
		ro := readOnly(p)
		var dirs []string
		for _, list := range [][]string{p.GoFiles, p.CompiledGoFiles, p.OtherFiles, p.IgnoredFiles, p.EmbedFiles} {
			for _, f := range list {
				if strings.Contains(f, string(filepath.Separator)+"go-build") {
					continue // generated into the build cache (cgo, test main)
				}
				dirs = append(dirs, filepath.Dir(f))
				if ro {
					b.stat(f)
				} else {
					b.hash(f)
				}
			}
		}
		if p.Dir != "" {
			dirs = append(dirs, p.Dir)
		}
		for _, d := range dirs {
			b.stat(d)
		}
	})
	// The module files from the working directory up, present or not: a
	// new go.work or an edited go.mod changes how everything resolves.
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; {
			for _, n := range []string{"go.mod", "go.sum", "go.work", "go.work.sum"} {
				p := filepath.Join(d, n)
				if _, err := os.Stat(p); err == nil {
					b.hash(p)
				} else {
					b.stat(p)
				}
			}
			up := filepath.Dir(d)
			if up == d {
				break
			}
			d = up
		}
	}
	if w := os.Getenv("GOWORK"); w != "" && w != "off" {
		b.hash(w)
	}
	for _, m := range modules {
		if m.GoMod != "" && !inModCache(m.GoMod) {
			b.hash(m.GoMod)
		}
	}
	if goBin, err := exec.LookPath("go"); err == nil {
		b.stat(goBin)
		if real, err := filepath.EvalSymlinks(goBin); err == nil {
			b.stat(real)
		}
	}
	if d, err := os.UserConfigDir(); err == nil {
		b.stat(filepath.Join(d, "go", "env"))
	}
	for _, pat := range patterns {
		if !b.patternDirs(pat, modules) {
			return nil
		}
	}
	if !b.ok {
		return nil
	}
	return b
}

// patternDirs records the directories a pattern's expansion depends on.
func (b *manifestBuilder) patternDirs(pat string, modules []*packages.Module) bool {
	if strings.HasPrefix(pat, "-") {
		return false
	}
	switch pat {
	case "std", "cmd":
		return true // the go binary's own tree: its stat covers it
	case "all":
		return false
	}
	if !strings.Contains(pat, "...") {
		return true // one package: its directory and files are recorded
	}
	prefix, rest, _ := strings.Cut(pat, "...")
	if strings.Contains(rest, "...") || rest != "" && rest != "/" {
		return false
	}
	prefix = strings.TrimSuffix(prefix, "/")
	var root string
	if prefix == "" || prefix == "." || strings.HasPrefix(prefix, "./") || strings.HasPrefix(prefix, "../") || filepath.IsAbs(prefix) {
		wd, err := os.Getwd()
		if err != nil {
			return false
		}
		root = prefix
		if !filepath.IsAbs(root) {
			root = filepath.Join(wd, prefix)
		}
	} else {
		// An import path pattern: the module whose path is the longest
		// prefix of it holds the directories.
		var best *packages.Module
		for _, m := range modules {
			if (prefix == m.Path || strings.HasPrefix(prefix, m.Path+"/")) && (best == nil || len(m.Path) > len(best.Path)) {
				best = m
			}
		}
		if best == nil || best.Dir == "" {
			return false
		}
		if inModCache(best.Dir) && best.Replace == nil {
			return true // versioned: its tree never changes
		}
		root = filepath.Join(best.Dir, filepath.FromSlash(strings.TrimPrefix(prefix, best.Path)))
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		if !d.IsDir() {
			return nil
		}
		if p != root {
			n := d.Name()
			if n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_") {
				return filepath.SkipDir
			}
		}
		b.stat(p)
		return nil
	})
	return err == nil
}

// unchanged reports whether everything the manifest recorded is as it was.
func (m *manifest) unchanged() bool {
	for _, e := range m.Stats {
		fi, err := os.Stat(e.Path)
		switch {
		case err != nil:
			if e.Size != -1 {
				return false
			}
		case e.Size == -1 || fi.Size() != e.Size || fi.ModTime().UnixNano() != e.MTime:
			return false
		}
	}
	for _, e := range m.Hashes {
		data, err := os.ReadFile(e.Path)
		if err != nil {
			return false
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != e.Sum {
			return false
		}
	}
	return true
}

func manifestPath(dir, key string) string { return filepath.Join(dir, key[1:3], key) }

// readManifest returns the stored findings of the root packages when the
// manifest of this invocation is unchanged, and ok=false otherwise.
func readManifest(dir, key string) (roots []string, hits map[string][]record, ok bool) {
	if dir == "" || binaryHash() == "" {
		return nil, nil, false
	}
	data, err := os.ReadFile(manifestPath(dir, key))
	if err != nil {
		return nil, nil, false
	}
	var m manifest
	if json.Unmarshal(data, &m) != nil || len(m.Roots) == 0 || !m.unchanged() {
		return nil, nil, false
	}
	hits = map[string][]record{}
	for _, id := range m.Roots {
		k := m.Keys[id]
		if k == "" {
			return nil, nil, false
		}
		b, err := os.ReadFile(filepath.Join(dir, k[:2], k))
		if err != nil {
			return nil, nil, false
		}
		var recs []record
		if json.Unmarshal(b, &recs) != nil {
			return nil, nil, false
		}
		hits[id] = recs
	}
	return m.Roots, hits, true
}

// writeManifest stores the manifest once every root package's findings
// are in the result cache.
func (r *cachedRun) writeManifest(key string) {
	if r.manifest == nil || len(r.roots) == 0 {
		return
	}
	m := r.manifest.m
	m.Roots = r.roots
	m.Keys = map[string]string{}
	for _, id := range r.roots {
		k := r.keys[id]
		if k == "" {
			return
		}
		if _, err := os.Stat(filepath.Join(r.dir, k[:2], k)); err != nil {
			return
		}
		m.Keys[id] = k
	}
	b, err := json.Marshal(&m)
	if err != nil {
		return
	}
	p := manifestPath(r.dir, key)
	if os.MkdirAll(filepath.Dir(p), 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), key+".*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), p) != nil {
		os.Remove(tmp.Name())
	}
}
