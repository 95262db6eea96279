package concmap_test

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/golens/golens/checks/all"
	"github.com/golens/golens/concmap"
	"github.com/golens/golens/model"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// load models every .go file of dir from syntax and runs the syntax
// checks, as `golens map FILE.go` does.
func load(t testing.TB, dir string) ([]*model.File, []concmap.Finding) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var files []*model.File
	var findings []concmap.Finding
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		src, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		m := model.Parse(filepath.Join(dir, e.Name()), src)
		files = append(files, m)
		findings = append(findings, syntaxFindings(m)...)
	}
	return files, findings
}

func syntaxFindings(m *model.File) []concmap.Finding {
	var out []concmap.Finding
	for _, c := range all.Checks() {
		if c.Syntax == nil {
			continue
		}
		for _, d := range c.Syntax(m) {
			p := m.Position(d.Pos)
			f := concmap.Finding{Check: c.Analyzer.Name, Message: d.Message, Loc: concmap.Loc{File: p.Filename, Line: p.Line, Col: p.Column}}
			for _, r := range d.Related {
				rp := m.Position(r.Pos)
				f.Related = append(f.Related, concmap.Loc{File: rp.Filename, Line: rp.Line, Col: rp.Column})
			}
			out = append(out, f)
		}
	}
	return out
}

func samples(t *testing.T) []string {
	dirs, err := filepath.Glob("testdata/*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	var out []string
	for _, d := range dirs {
		if st, err := os.Stat(d); err == nil && st.IsDir() {
			out = append(out, d)
		}
	}
	return out
}

// TestGolden compares the text, dot and Mermaid forms of each sample's
// package map with testdata/NAME/want.*; go test -update rewrites them.
func TestGolden(t *testing.T) {
	for _, dir := range samples(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			files, findings := load(t, dir)
			g := concmap.ForPackage(files, "main", findings)
			for _, f := range []struct{ ext, got string }{
				{"txt", concmap.Text(g)},
				{"dot", concmap.Dot(g)},
				{"mmd", concmap.Mermaid(g)},
			} {
				path := filepath.Join(dir, "want."+f.ext)
				if *update {
					if err := os.WriteFile(path, []byte(f.got), 0o644); err != nil {
						t.Fatal(err)
					}
					continue
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if string(want) != f.got {
					t.Errorf("%s differs from %s:\n%s", f.ext, path, f.got)
				}
			}
		})
	}
}

// TestWhatTheMapShows asserts the facts a reader relies on, independent
// of the exact wording of the golden files.
func TestWhatTheMapShows(t *testing.T) {
	type want struct {
		nodes    []string // "kind label" substrings that must appear
		edges    []string // "from -kind-> to" that must appear
		findings []string // checks whose findings must be on the map
		red      []string // node labels that must carry a finding
		dashed   []string // edges that must be dashed
	}
	cases := map[string]want{
		"pipeline": {
			nodes: []string{"func main", "goroutine go worker(jobs, results, &wg)", "chan jobs", "chan results", "waitgroup wg"},
			edges: []string{"main -send-> jobs", "jobs -range-> go worker(jobs, results, &wg)", "go worker(jobs, results, &wg) -send-> results",
				"go worker(jobs, results, &wg) -Done-> wg", "wg -Wait-> go func() L16", "go func() L16 -close-> results", "main -Add-> wg", "results -range-> main"},
		},
		"counter": {
			nodes:  []string{"mutex c.mu", "chan done"},
			edges:  []string{"(*counter).inc -lock-> c.mu", "(*counter).inc -unlock-> c.mu", "go func() L24 -send-> done", "done -receive-> main"},
			dashed: []string{"done -receive-> main"},
		},
		"leak": {
			findings: []string{"timeoutleak"},
			red:      []string{"go func() L10", "ch"},
			dashed:   []string{"ch -receive-> main"},
		},
		"helpers": {
			// Through calls, from the model's summaries.
			nodes:  []string{"goroutine go produce(ch)", "goroutine goroutine in startAcker", "mutex s.mu"},
			edges:  []string{"go produce(ch) -send-> ch", "go produce(ch) -close-> ch", "main -lock-> s.mu", "main -unlock-> s.mu", "goroutine in startAcker -send-> ack", "main -close-> done"},
			dashed: []string{"main -send-> ack"}, // in a literal handed to each, which may not call it
		},
		"deadlock": {
			findings: []string{"selfdeadlock"},
			red:      []string{"ch"},
		},
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			files, findings := load(t, filepath.Join("testdata", name))
			g := concmap.ForPackage(files, "main", findings)
			nodes := map[string]*concmap.Node{}
			for _, n := range g.Nodes {
				nodes[n.Kind.String()+" "+n.Label] = n
			}
			for _, n := range w.nodes {
				if nodes[n] == nil {
					t.Errorf("no node %q", n)
				}
			}
			edges := map[string]*concmap.Edge{}
			for _, e := range g.Edges {
				edges[fmt.Sprintf("%s -%s-> %s", g.Nodes[e.From].Label, e.Kind, g.Nodes[e.To].Label)] = e
			}
			for _, e := range w.edges {
				if edges[e] == nil {
					t.Errorf("no edge %q", e)
				}
			}
			for _, e := range w.dashed {
				if edges[e] == nil || !edges[e].Possible() {
					t.Errorf("edge %q is not dashed", e)
				}
			}
			for _, c := range w.findings {
				found := false
				for _, f := range g.Findings {
					found = found || f.Check == c
				}
				if !found {
					t.Errorf("no %s finding on the map", c)
				}
			}
			for _, label := range w.red {
				red := false
				for _, n := range g.Nodes {
					if n.Label == label && len(n.Findings) > 0 {
						red = true
					}
				}
				if !red {
					t.Errorf("node %q carries no finding", label)
				}
			}
			if len(w.findings) == 0 && len(g.Findings) > 0 {
				t.Errorf("unexpected findings: %+v", g.Findings)
			}
		})
	}
}

// TestFuncScope: the map of one function has its goroutines and what they
// touch, and nothing of the package's other functions.
func TestFuncScope(t *testing.T) {
	files, findings := load(t, "testdata/counter")
	_, fn := concmap.FuncNamed(files, "inc")
	if fn == nil {
		t.Fatal("FuncNamed(inc) = nil")
	}
	g := concmap.ForFunc(files, fn, findings)
	if g.Title != "func (*counter).inc" {
		t.Errorf("title %q", g.Title)
	}
	for _, n := range g.Nodes {
		if n.Kind == concmap.ChanNode || n.Kind == concmap.GoroutineNode {
			t.Errorf("map of inc shows %s %s from main", n.Kind, n.Label)
		}
	}
	if len(g.Edges) != 2 {
		t.Errorf("map of inc has %d edges, want lock and unlock", len(g.Edges))
	}
}

// TestLayoutReadable lays out every sample and a 200-goroutine package and
// checks what makes a map readable: no two boxes (nodes or edge labels)
// overlap, and no edge runs through a node box other than its own ends.
func TestLayoutReadable(t *testing.T) {
	graphs := map[string]*concmap.Graph{}
	for _, dir := range samples(t) {
		files, findings := load(t, dir)
		graphs[filepath.Base(dir)] = concmap.ForPackage(files, "main", findings)
	}
	graphs["generated200"] = concmap.ForPackage([]*model.File{model.Parse("gen.go", generated(200))}, "gen", nil)
	for name, g := range graphs {
		t.Run(name, func(t *testing.T) {
			d := concmap.Layout(g)
			checkLayout(t, g, d)
			t.Logf("%d nodes, %d edges: %.0f×%.0f, %d crossings", len(g.Nodes), len(g.Edges), d.Width, d.Height, d.Crossings)
		})
	}
}

func checkLayout(t *testing.T, g *concmap.Graph, d *concmap.Drawing) {
	t.Helper()
	type named struct {
		name string
		box  concmap.Box
		node int
		edge int
	}
	var boxes []named
	for i, b := range d.Nodes {
		boxes = append(boxes, named{"node " + g.Nodes[i].Label, b, i, -1})
	}
	for i, r := range d.Edges {
		if r.Label.W > 0 {
			boxes = append(boxes, named{"label " + g.Edges[i].Label(), r.Label, -1, i})
		}
	}
	for i, b := range boxes {
		if b.box.X < 0 || b.box.Y < 0 || b.box.X+b.box.W > d.Width || b.box.Y+b.box.H > d.Height {
			t.Errorf("%s %+v is outside the drawing %gx%g", b.name, b.box, d.Width, d.Height)
		}
		for _, c := range boxes[i+1:] {
			if overlap(b.box, c.box) {
				t.Errorf("%s %+v overlaps %s %+v", b.name, b.box, c.name, c.box)
			}
		}
	}
	if len(g.Edges) == 0 {
		return
	}
	// Boxes by top edge, to test a point only against the boxes of its band.
	byY := append([]named(nil), boxes...)
	sort.Slice(byY, func(i, j int) bool { return byY[i].box.Y < byY[j].box.Y })
	maxH := 0.0
	for _, b := range byY {
		maxH = math.Max(maxH, b.box.H)
	}
	for i, r := range d.Edges {
		e := g.Edges[i]
		if len(r.Curves) == 0 {
			t.Errorf("edge %s has no route", e.Label())
			continue
		}
		for _, c := range r.Curves {
			for s := 0; s <= 20; s++ {
				p := at(c, float64(s)/20)
				from := sort.Search(len(byY), func(k int) bool { return byY[k].box.Y >= p.Y-maxH })
				for _, b := range byY[from:] {
					if b.box.Y > p.Y {
						break
					}
					if b.node == e.From || b.node == e.To || b.edge == i {
						continue
					}
					if inside(p, b.box) {
						t.Errorf("edge %s runs through %s at (%.1f,%.1f)", e.Label(), b.name, p.X, p.Y)
						return
					}
				}
			}
		}
		// The route joins its two nodes.
		first, last := r.Curves[0].P0, r.Curves[len(r.Curves)-1].P1
		if !touches(first, d.Nodes[e.From]) || !touches(last, d.Nodes[e.To]) {
			t.Errorf("edge %s does not join its nodes: %v → %v", e.Label(), first, last)
		}
	}
}

func overlap(a, b concmap.Box) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}

// inside: strictly inside, with half a pixel of tolerance at the border.
func inside(p concmap.Point, b concmap.Box) bool {
	return p.X > b.X+0.5 && p.X < b.X+b.W-0.5 && p.Y > b.Y+0.5 && p.Y < b.Y+b.H-0.5
}

func touches(p concmap.Point, b concmap.Box) bool {
	return p.X >= b.X-0.5 && p.X <= b.X+b.W+0.5 && (math.Abs(p.Y-b.Y) < 0.5 || math.Abs(p.Y-(b.Y+b.H)) < 0.5)
}

func at(c concmap.Cubic, t float64) concmap.Point {
	u := 1 - t
	f := func(a, b, c2, d float64) float64 { return u*u*u*a + 3*u*u*t*b + 3*u*t*t*c2 + t*t*t*d }
	return concmap.Point{X: f(c.P0.X, c.C1.X, c.C2.X, c.P1.X), Y: f(c.P0.Y, c.C1.Y, c.C2.Y, c.P1.Y)}
}

// generated returns a package with n goroutine starts: servers that each
// start workers over a shared jobs channel, a results channel, a mutex and
// a WaitGroup.
func generated(n int) []byte {
	var b strings.Builder
	b.WriteString("package gen\n\nimport \"sync\"\n\ntype state struct {\n\tmu sync.Mutex\n\tn  int\n}\n\n")
	perFunc := 10
	for f := 0; f*perFunc < n; f++ {
		fmt.Fprintf(&b, "func server%d(s *state) {\n\tjobs := make(chan int, %d)\n\tresults := make(chan int)\n\tvar wg sync.WaitGroup\n", f, f)
		for g := 0; g < perFunc && f*perFunc+g < n; g++ {
			if g%2 == 0 {
				fmt.Fprintf(&b, "\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tfor j := range jobs {\n\t\t\ts.mu.Lock()\n\t\t\ts.n += j\n\t\t\ts.mu.Unlock()\n\t\t\tresults <- j\n\t\t}\n\t}()\n")
			} else {
				fmt.Fprintf(&b, "\twg.Add(1)\n\tgo worker%d(jobs, results, &wg)\n", f)
			}
		}
		b.WriteString("\tgo func() {\n\t\twg.Wait()\n\t\tclose(results)\n\t}()\n\tjobs <- 1\n\tclose(jobs)\n\tfor range results {\n\t}\n}\n\n")
		fmt.Fprintf(&b, "func worker%d(in <-chan int, out chan<- int, wg *sync.WaitGroup) {\n\tdefer wg.Done()\n\tfor j := range in {\n\t\tout <- j\n\t}\n}\n\n", f)
	}
	return []byte(b.String())
}

func TestGeneratedHas200Starts(t *testing.T) {
	m := model.Parse("gen.go", generated(200))
	if got := len(m.Goroutines); got != 200+20 { // 200 workers and 20 closers
		t.Fatalf("generated package has %d go statements", got)
	}
	g := concmap.ForPackage([]*model.File{m}, "gen", nil)
	count := 0
	for _, n := range g.Nodes {
		if n.Kind == concmap.GoroutineNode {
			count++
		}
	}
	if count != 220 {
		t.Errorf("map shows %d goroutines, want 220", count)
	}
}

// BenchmarkPackage200 measures what the editor waits for when it opens the
// map of a package with 200 goroutine starts (220 go statements): model,
// map, layout and SVG.
func BenchmarkPackage200(b *testing.B) {
	src := generated(200)
	b.ReportAllocs()
	for b.Loop() {
		m := model.Parse("gen.go", src)
		g := concmap.ForPackage([]*model.File{m}, "gen", nil)
		_ = concmap.SVG(g, concmap.Layout(g))
	}
}

// BenchmarkLayout200 is the layout alone.
func BenchmarkLayout200(b *testing.B) {
	g := concmap.ForPackage([]*model.File{model.Parse("gen.go", generated(200))}, "gen", nil)
	for b.Loop() {
		concmap.Layout(g)
	}
}

// TestReadmeExample: the text map shown in the README is the leak sample's
// golden file, so it cannot drift from what golens prints.
func TestReadmeExample(t *testing.T) {
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, block, ok := strings.Cut(string(readme), "<!-- concmap/testdata/leak/want.txt -->\n```text\n")
	if !ok {
		t.Fatal("README.md has no text block after <!-- concmap/testdata/leak/want.txt -->")
	}
	block, _, _ = strings.Cut(block, "```")
	want, err := os.ReadFile("testdata/leak/want.txt")
	if err != nil {
		t.Fatal(err)
	}
	if block != string(want) {
		t.Errorf("README's example differs from testdata/leak/want.txt:\n%s", block)
	}
}

// TestNotesSayWhatIsNotShown: a goroutine running a function golens cannot
// see into is on the map, and every form says that its operations are not.
func TestNotesSayWhatIsNotShown(t *testing.T) {
	src := "package main\n\nimport \"net/http\"\n\nfunc main() {\n\tgo http.ListenAndServe(\":0\", nil)\n}\n"
	m := model.Parse("main.go", []byte(src))
	_, fn := concmap.FuncNamed([]*model.File{m}, "main")
	g := concmap.ForFunc([]*model.File{m}, fn, nil)
	want := "golens cannot see into http.ListenAndServe"
	if len(g.Notes) != 1 || !strings.Contains(g.Notes[0], want) {
		t.Fatalf("notes %q", g.Notes)
	}
	for name, out := range map[string]string{"text": concmap.Text(g), "svg": concmap.SVG(g, concmap.Layout(g))} {
		if !strings.Contains(out, want) {
			t.Errorf("%s form does not say %q", name, want)
		}
	}
}
