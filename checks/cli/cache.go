package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"golang.org/x/tools/go/packages"
)

// The result cache of `golens check`. A package's findings depend only on
// its own files, the files of the packages it imports (through their
// types), the enabled checks and golens itself, so they are stored under a
// key made of those: an unchanged tree is re-checked from the cache
// without type-checking, as go vet does through the build cache.
//
// The cache lives in $GOLENS_CACHE, or golens/check under the user cache
// directory; GOLENS_CACHE=off disables it. -fix never uses it.

// record is one finding as stored: plain positions, no token.Pos.
type record struct {
	Analyzer string         `json:"analyzer"`
	Posn     token.Position `json:"posn"`
	Message  string         `json:"message"`
	Category string         `json:"category,omitempty"`
	Related  []relatedRec   `json:"related,omitempty"`
	Fixes    []fixRec       `json:"fixes,omitempty"`
}

type relatedRec struct {
	Posn    token.Position `json:"posn"`
	Message string         `json:"message"`
}

type fixRec struct {
	Message string    `json:"message"`
	Edits   []editRec `json:"edits"`
}

type editRec struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

func cacheDir() string {
	if d := os.Getenv("GOLENS_CACHE"); d != "" {
		if d == "off" {
			return ""
		}
		return d
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return ""
	}
	return filepath.Join(d, "golens", "check")
}

var (
	selfHashOnce sync.Once
	selfHash     string
)

// binaryHash identifies this golens build: a cache written by another
// build (other checks, other messages) is never read.
func binaryHash() string {
	selfHashOnce.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			return
		}
		f, err := os.Open(exe)
		if err != nil {
			return
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err == nil {
			selfHash = hex.EncodeToString(h.Sum(nil))
		}
	})
	return selfHash
}

// keyer computes package keys over a metadata-only load (go list).
type keyer struct {
	salt string // binary, checks, flags
	memo map[string]string
	ok   bool
}

func (k *keyer) key(p *packages.Package) string {
	if v, ok := k.memo[p.ID]; ok {
		return v
	}
	k.memo[p.ID] = "" // import cycles cannot happen; guards anyway
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00", k.salt, p.ID)
	files := p.CompiledGoFiles
	if len(files) == 0 {
		files = p.GoFiles
	}
	// The user's own packages are keyed by content. Packages of the
	// standard library and of the module cache are read-only and
	// versioned: their files' names, sizes and times key them, which
	// saves reading every dependency's source on each run.
	byStat := p.Module == nil || !p.Module.Main && p.Module.Replace == nil && strings.Contains(p.Module.Dir, string(filepath.Separator)+"pkg"+string(filepath.Separator)+"mod"+string(filepath.Separator))
	for _, f := range files {
		if byStat {
			fi, err := os.Stat(f)
			if err != nil {
				k.ok = false
				return ""
			}
			fmt.Fprintf(h, "%s\x00%d\x00%d\x00", f, fi.Size(), fi.ModTime().UnixNano())
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			k.ok = false
			return ""
		}
		fmt.Fprintf(h, "%s\x00%d\x00", f, len(b))
		h.Write(b)
	}
	var imps []string
	for path := range p.Imports {
		imps = append(imps, path)
	}
	sort.Strings(imps)
	for _, path := range imps {
		fmt.Fprintf(h, "%s=%s\x00", path, k.key(p.Imports[path]))
	}
	v := hex.EncodeToString(h.Sum(nil))
	k.memo[p.ID] = v
	return v
}

// cachedRun is the outcome of consulting the cache before a full run.
type cachedRun struct {
	dir    string
	keys   map[string]string   // package ID -> key, for the root packages
	hits   map[string][]record // package ID -> its stored findings
	roots  []string            // root package IDs in load order
	misses []string            // import paths to load and analyse
	missID map[string]bool
	// manifest records what the keys were computed from (manifest.go);
	// nil when it cannot be told.
	manifest *manifestBuilder
}

// lookup loads the packages' metadata, computes their keys and reads the
// stored findings. It returns nil when the cache cannot be used.
func lookup(dir string, patterns []string, tests bool, buildFlags []string, salt string) *cachedRun {
	if dir == "" || binaryHash() == "" {
		return nil
	}
	cfg := &packages.Config{
		Mode:       packages.NeedName | packages.NeedFiles | packages.NeedCompiledGoFiles | packages.NeedImports | packages.NeedDeps | packages.NeedModule,
		Tests:      tests,
		BuildFlags: buildFlags,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil || len(pkgs) == 0 {
		return nil
	}
	k := &keyer{salt: binaryHash() + "\x00" + salt, memo: map[string]string{}, ok: true}
	r := &cachedRun{dir: dir, keys: map[string]string{}, hits: map[string][]record{}, missID: map[string]bool{}}
	r.manifest = newManifest(patterns, pkgs)
	missPath := map[string]bool{}
	covered := coveredByTest(pkgs)
	for _, p := range pkgs {
		if strings.HasSuffix(p.ID, ".test") && p.Name == "main" && len(p.GoFiles) > 0 && strings.Contains(p.GoFiles[0], "go-build") {
			continue // the generated test main: never analysed
		}
		if covered[p.ID] {
			continue // its test variant is checked instead
		}
		r.roots = append(r.roots, p.ID)
		key := ""
		if len(p.Errors) == 0 {
			k.ok = true
			key = k.key(p)
			if !k.ok {
				key = ""
			}
		}
		r.keys[p.ID] = key
		if key != "" {
			if b, err := os.ReadFile(filepath.Join(dir, key[:2], key)); err == nil {
				var recs []record
				if json.Unmarshal(b, &recs) == nil {
					r.hits[p.ID] = recs
					continue
				}
			}
		}
		r.missID[p.ID] = true
		if !missPath[p.PkgPath] {
			missPath[p.PkgPath] = true
			r.misses = append(r.misses, p.PkgPath)
		}
	}
	return r
}

// store writes one package's findings under its key.
func (r *cachedRun) store(id string, recs []record) {
	key := r.keys[id]
	if key == "" {
		return
	}
	if recs == nil {
		recs = []record{}
	}
	b, err := json.Marshal(recs)
	if err != nil {
		return
	}
	sub := filepath.Join(r.dir, key[:2])
	if os.MkdirAll(sub, 0o755) != nil {
		return
	}
	tmp, err := os.CreateTemp(sub, key+".*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(b)
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(sub, key)) != nil {
		os.Remove(tmp.Name())
	}
}

// ---- go vet -json's shape, each finding once ----

type jsonDiag struct {
	Posn           string        `json:"posn"`
	Message        string        `json:"message"`
	Category       string        `json:"category,omitempty"`
	SuggestedFixes []jsonFix     `json:"suggested_fixes,omitempty"`
	Related        []jsonRelated `json:"related,omitempty"`
}

type jsonFix struct {
	Message string     `json:"message"`
	Edits   []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	Filename string `json:"filename"`
	Start    int    `json:"start"`
	End      int    `json:"end"`
	New      string `json:"new"`
}

type jsonRelated struct {
	Posn    string `json:"posn"`
	Message string `json:"message"`
}

// printJSON prints findings by package and check, each under the first
// package that reported it (the package itself before its test variant).
func printJSON(w io.Writer, findings []*finding) error {
	tree := map[string]map[string][]jsonDiag{}
	for _, f := range findings {
		if f.err != nil {
			continue
		}
		id := displayID(f.pkgID)
		byCheck := tree[id]
		if byCheck == nil {
			byCheck = map[string][]jsonDiag{}
			tree[id] = byCheck
		}
		d := jsonDiag{Posn: f.rec.Posn.String(), Message: f.rec.Message, Category: f.rec.Category}
		for _, fx := range f.rec.Fixes {
			jf := jsonFix{Message: fx.Message, Edits: []jsonEdit{}}
			for _, e := range fx.Edits {
				jf.Edits = append(jf.Edits, jsonEdit(e))
			}
			d.SuggestedFixes = append(d.SuggestedFixes, jf)
		}
		for _, r := range f.rec.Related {
			d.Related = append(d.Related, jsonRelated{Posn: r.Posn.String(), Message: r.Message})
		}
		byCheck[f.rec.Analyzer] = append(byCheck[f.rec.Analyzer], d)
	}
	b, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
