package server

import (
	"bytes"
	"context"
	"encoding/json"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"golang.org/x/tools/go/analysis"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"

	"github.com/golens/golens/checks/all"
	"github.com/golens/golens/concmap"
	"github.com/golens/golens/model"
)

// CommandMap is the workspace/executeCommand command that draws the
// concurrency map of the function at a position, or of the document's
// package. Its one argument is
//
//	{textDocument: {uri}, position?, scope?: "function"|"package", format?: "svg"|"text"|"dot"|"mermaid"}
//
// (scope defaults to "function" when a position is given, format to
// "svg"); it answers {title, scope, function, format, content, empty,
// file}. Every node and edge of the SVG carries data-file, data-line and
// data-col (1-based line, byte column) to jump to.
const CommandMap = "golens.map"

// ClientCommandShowMap is the client-side command the "map" code lens
// runs, with the lens's {textDocument, position} as its argument. The VS
// Code extension opens its map webview; other editors register a handler
// that calls CommandMap (see the README).
const ClientCommandShowMap = "golens.showConcurrencyMap"

type mapArgs struct {
	TextDocument protocol.TextDocumentIdentifier `json:"textDocument"`
	Position     *protocol.Position              `json:"position,omitzero"`
	Scope        string                          `json:"scope,omitzero"`
	Format       string                          `json:"format,omitzero"`
}

type mapResult struct {
	Title    string `json:"title"`
	Scope    string `json:"scope"`
	Function string `json:"function,omitempty"`
	Format   string `json:"format"`
	Content  string `json:"content"`
	// Empty is set when the scope has no goroutines, channels, mutexes or
	// WaitGroups.
	Empty bool `json:"empty"`
	// File is the path the document's own locations carry in data-file.
	File    string `json:"file"`
	Version int32  `json:"version"`
}

func init() {
	registerCommand(CommandMap, executeMap)
	registerCodeLenses(mapLenses)
}

// executeMap answers CommandMap.
func executeMap(ctx context.Context, s *Server, params *protocol.ExecuteCommandParams) (protocol.LSPAny, error) {
	if len(params.Arguments) != 1 {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, CommandMap+" takes one argument: {textDocument: {uri}, position?, scope?, format?}")
	}
	var arg mapArgs
	if err := protocol.Unmarshal(params.Arguments[0], &arg); err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, CommandMap+": "+err.Error())
	}
	format := arg.Format
	if format == "" {
		format = "svg"
	}
	valid := false
	for _, f := range concmap.Formats {
		valid = valid || f == format
	}
	if !valid {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, CommandMap+": unknown format "+format+" (want svg, text, dot or mermaid)")
	}
	scope := arg.Scope
	if scope == "" {
		scope = "package"
		if arg.Position != nil {
			scope = "function"
		}
	}
	if scope != "function" && scope != "package" {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, CommandMap+": unknown scope "+scope+" (want function or package)")
	}
	d, err := s.docs.read(arg.TextDocument.URI)
	if err != nil {
		return nil, jsonrpc2.NewError(jsonrpc2.InvalidParams, err.Error())
	}
	files, findings, pkgName := s.mapPackage(d)
	var g *concmap.Graph
	res := mapResult{Format: format, File: filename(d.uri), Version: d.version}
	if scope == "function" && arg.Position != nil {
		if off, err := d.offset(*arg.Position); err == nil {
			if fn := concmap.TopFunc(files[0], files[0].Pos(off)); fn != nil {
				g = concmap.ForFunc(files, fn, findings)
				res.Function = fn.Name
			}
		}
	}
	if g == nil {
		// No function at the position: the package is the next best map.
		scope = "package"
		g = concmap.ForPackage(files, pkgName, findings)
	}
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	var buf bytes.Buffer
	if err := concmap.Render(&buf, g, format); err != nil {
		return nil, err
	}
	res.Title, res.Scope, res.Content, res.Empty = g.Title, scope, buf.String(), g.Empty()
	out, err := json.Marshal(res)
	if err != nil {
		return nil, err
	}
	return protocol.LSPAny(out), nil
}

// mapPackage returns the models of d's package, d's own first, and the
// checks' findings on them. d's model is the typed one when it is current;
// the package's other files come from their open documents, or from disk
// (syntax only: the map never runs the go command itself).
func (s *Server) mapPackage(d *document) ([]*model.File, []concmap.Finding, string) {
	main := s.bestModel(d)
	files := []*model.File{main}
	var findings []concmap.Finding
	add := func(fs []finding) {
		for _, f := range fs {
			findings = append(findings, toMapFinding(f.model, f.check.Analyzer.Name, f.diag.Pos, f.diag.Message, f.diag.Related))
		}
	}
	add(s.findings(d))
	pkgName := main.AST.Name.Name
	if d.uri.Scheme() != "file" {
		return files, findings, pkgName
	}
	self := d.uri.FsPath()
	dir := filepath.Dir(self)
	open := map[string]*document{}
	for _, o := range s.docs.all() {
		if o.uri.Scheme() == "file" && filepath.Dir(o.uri.FsPath()) == dir {
			open[o.uri.FsPath()] = o
		}
	}
	if typedFiles, typedFindings, ok := s.mapTypedSiblings(d, main, self, open); ok {
		return append(files, typedFiles...), append(findings, typedFindings...), pkgName
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) > maxMapFiles {
		entries = entries[:maxMapFiles]
	}
	isTest := strings.HasSuffix(self, "_test.go")
	settings := s.currentSettings()
	for _, e := range entries {
		name := filepath.Join(dir, e.Name())
		if e.IsDir() || name == self || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") && !isTest {
			continue
		}
		if o := open[name]; o != nil {
			m := s.bestModel(o)
			if m.AST.Name.Name == pkgName {
				files = append(files, m)
				add(s.findings(o))
			}
			continue
		}
		m := diskModels.get(name)
		if m == nil || m.AST.Name.Name != pkgName {
			continue
		}
		files = append(files, m)
		for _, c := range all.Checks() {
			if c.Syntax == nil || !settings.CheckEnabled(c.Analyzer.Name) {
				continue
			}
			for _, diag := range runCheck(c, m, s) {
				findings = append(findings, toMapFinding(m, c.Analyzer.Name, diag.Pos, diag.Message, diag.Related))
			}
		}
	}
	return files, findings, pkgName
}

// mapTypedSiblings returns the typed models of the other files of d's
// package, with their findings, when d's own model is the typed one and
// every open file of the package is current in the same load: then all
// models share one type-checked package and the summaries reach across
// files. ok is false otherwise (the caller falls back to syntax).
func (s *Server) mapTypedSiblings(d *document, main *model.File, self string, open map[string]*document) (files []*model.File, findings []concmap.Finding, ok bool) {
	if main.Tier != model.TypedTier {
		return nil, nil, false
	}
	s.typed.mu.Lock()
	pkg := s.typed.pkgs[filepath.Dir(self)]
	byFile := s.typed.diags[pkg]
	s.typed.mu.Unlock()
	if pkg == nil || pkg.ModelFor(self, d.text) != main {
		return nil, nil, false
	}
	for _, f := range pkg.Files {
		if f.Filename == self {
			continue
		}
		if o := open[f.Filename]; o != nil {
			m := pkg.ModelFor(f.Filename, o.text)
			if m == nil {
				return nil, nil, false // edited since the load
			}
			files = append(files, m)
			for _, fd := range s.findings(o) {
				findings = append(findings, toMapFinding(fd.model, fd.check.Analyzer.Name, fd.diag.Pos, fd.diag.Message, fd.diag.Related))
			}
			continue
		}
		m := f.Model()
		files = append(files, m)
		for _, td := range byFile[f.Filename] {
			findings = append(findings, toMapFinding(m, td.analyzer, td.diag.Pos, td.diag.Message, td.diag.Related))
		}
	}
	return files, findings, true
}

// maxMapFiles bounds how many directory entries a package map reads.
const maxMapFiles = 500

func toMapFinding(m *model.File, check string, pos token.Pos, msg string, related []analysis.RelatedInformation) concmap.Finding {
	loc := func(p token.Pos) concmap.Loc {
		if !p.IsValid() {
			return concmap.Loc{}
		}
		q := m.Position(p)
		return concmap.Loc{File: q.Filename, Line: q.Line, Col: q.Column}
	}
	f := concmap.Finding{Check: check, Message: msg, Loc: loc(pos)}
	for _, r := range related {
		f.Related = append(f.Related, loc(r.Pos))
	}
	return f
}

// diskModels caches the syntax models of package files that are not open,
// by path, size and modification time.
var diskModels = &diskModelCache{entries: map[string]diskModel{}}

type diskModel struct {
	size  int64
	mtime time.Time
	m     *model.File
}

type diskModelCache struct {
	mu      sync.Mutex
	entries map[string]diskModel
}

func (c *diskModelCache) get(name string) *model.File {
	fi, err := os.Stat(name)
	if err != nil || fi.Size() > maxDiskRead {
		return nil
	}
	c.mu.Lock()
	e, ok := c.entries[name]
	c.mu.Unlock()
	if ok && e.size == fi.Size() && e.mtime.Equal(fi.ModTime()) {
		return e.m
	}
	// The package clause first: files of another package (a main beside
	// a library, an ignored build) are not parsed further.
	if head, err := parser.ParseFile(token.NewFileSet(), name, nil, parser.PackageClauseOnly); err != nil || head.Name == nil {
		return nil
	}
	src, err := os.ReadFile(name)
	if err != nil {
		return nil
	}
	m := model.Parse(name, src)
	c.mu.Lock()
	if len(c.entries) > 2000 {
		c.entries = map[string]diskModel{}
	}
	c.entries[name] = diskModel{size: fi.Size(), mtime: fi.ModTime(), m: m}
	c.mu.Unlock()
	return m
}

// mapLenses returns a "map" lens on every function declaration that starts
// goroutines.
func mapLenses(s *Server, d *document) []protocol.CodeLens {
	m := d.syntaxModel()
	var out []protocol.CodeLens
	for _, fn := range m.Funcs {
		if fn.Lit || !concmap.StartsGoroutines(m, fn) {
			continue
		}
		start := m.Offset(fn.Pos)
		pos := d.position(start)
		arg, err := json.Marshal(map[string]any{
			"textDocument": map[string]string{"uri": string(d.uri)},
			"position":     pos,
		})
		if err != nil {
			continue
		}
		out = append(out, protocol.CodeLens{
			Range: protocol.Range{Start: pos, End: pos},
			Command: protocol.Command{
				Title:     "map",
				Tooltip:   ptrTo("golens: show the concurrency map of " + fn.Name),
				Command:   ClientCommandShowMap,
				Arguments: []protocol.LSPAny{arg},
			},
		})
	}
	return out
}
