package concmap

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Formats lists the output formats Render accepts.
var Formats = []string{"svg", "text", "dot", "mermaid"}

// Render writes the graph in format: "svg", "text", "dot" or "mermaid".
func Render(w io.Writer, g *Graph, format string) error {
	var s string
	switch format {
	case "text", "":
		s = Text(g)
	case "dot":
		s = Dot(g)
	case "mermaid":
		s = Mermaid(g)
	case "svg":
		s = SVG(g, Layout(g))
	default:
		return fmt.Errorf("unknown format %q (want one of %s)", format, strings.Join(Formats, ", "))
	}
	_, err := io.WriteString(w, s)
	return err
}

// Text is the map for CI logs and screen readers: every node and every
// operation in words, one per line.
func Text(g *Graph) string {
	var b strings.Builder
	fmt.Fprintf(&b, "golens concurrency map: %s\n", g.Title)
	if g.Empty() {
		b.WriteString("\nNo goroutines, channels, mutexes or WaitGroups here.\n")
	}
	b.WriteString("\nnodes:\n")
	for _, n := range g.Nodes {
		mark := " "
		if len(n.Findings) > 0 {
			mark = "!"
		}
		fmt.Fprintf(&b, "%s %-9s %s", mark, n.Kind, n.Label)
		if n.Detail != "" && n.Kind != FuncNode {
			fmt.Fprintf(&b, " — %s", n.Detail)
		}
		if n.Loc.Line > 0 {
			fmt.Fprintf(&b, " (%s)", n.Loc)
		}
		b.WriteString("\n")
	}
	if len(g.Edges) > 0 {
		b.WriteString("\noperations:\n")
	}
	for _, e := range g.Edges {
		mark := " "
		if len(e.Findings) > 0 {
			mark = "!"
		}
		from, to := g.Nodes[e.From], g.Nodes[e.To]
		var sites []string
		for _, s := range e.Sites {
			t := fmt.Sprintf("line %d", s.Loc.Line)
			if s.In != "" {
				t += " in " + s.In
			}
			var tags []string
			if s.Blocking {
				tags = append(tags, "can block")
			}
			if s.Certainty == Possible {
				tags = append(tags, "possible")
			}
			if len(tags) > 0 {
				t += " [" + strings.Join(tags, ", ") + "]"
			}
			sites = append(sites, t)
		}
		fmt.Fprintf(&b, "%s %s → %s: %s at %s\n", mark, from.Label, to.Label, e.Kind, strings.Join(sites, "; "))
	}
	if len(g.Findings) > 0 {
		b.WriteString("\nfindings:\n")
	}
	for i, f := range g.Findings {
		fmt.Fprintf(&b, "! %s at %s: %s\n", f.Check, f.Loc, f.Message)
		var on []string
		for _, n := range g.Nodes {
			if hasIndex(n.Findings, i) {
				on = append(on, n.Label)
			}
		}
		for _, e := range g.Edges {
			if hasIndex(e.Findings, i) {
				on = append(on, e.Label())
			}
		}
		if len(on) > 0 {
			fmt.Fprintf(&b, "    on: %s\n", strings.Join(on, "; "))
		}
	}
	if len(g.Notes) > 0 {
		b.WriteString("\nnot shown:\n")
	}
	for _, n := range g.Notes {
		fmt.Fprintf(&b, "  %s\n", n)
	}
	return b.String()
}

func hasIndex(list []int, i int) bool {
	for _, x := range list {
		if x == i {
			return true
		}
	}
	return false
}

// edgeText is an edge's label with its marks spelled out, for dot and
// Mermaid, which cannot draw the SVG's blocking mark.
func edgeText(e *Edge) string {
	s := e.Label()
	if e.Blocking() {
		s += " (blocks)"
	}
	return s
}

var dotShapes = [...]string{"box", "box", "cds", "octagon", "hexagon"}

// Dot is the map in Graphviz's dot language.
func Dot(g *Graph) string {
	var b strings.Builder
	fmt.Fprintf(&b, "digraph concmap {\n  label=%s;\n  labelloc=t;\n  node [fontname=\"monospace\", fontsize=10];\n  edge [fontname=\"monospace\", fontsize=9];\n", strconv.Quote("golens: "+g.Title))
	for _, n := range g.Nodes {
		attrs := []string{"shape=" + dotShapes[n.Kind], "label=" + strconv.Quote(n.Label+"\n"+n.Detail)}
		switch n.Kind {
		case FuncNode:
			attrs = append(attrs, "style=bold")
		case GoroutineNode:
			attrs = append(attrs, "style=rounded")
		}
		if len(n.Findings) > 0 {
			attrs = append(attrs, "color=red", "fontcolor=red")
		}
		fmt.Fprintf(&b, "  %s [%s];\n", n.ID, strings.Join(attrs, ", "))
	}
	for _, e := range g.Edges {
		attrs := []string{"label=" + strconv.Quote(edgeText(e))}
		if e.Possible() {
			attrs = append(attrs, "style=dashed")
		}
		if e.Blocking() {
			attrs = append(attrs, "penwidth=2")
		}
		if len(e.Findings) > 0 {
			attrs = append(attrs, "color=red", "fontcolor=red")
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", g.Nodes[e.From].ID, g.Nodes[e.To].ID, strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	return b.String()
}

// Mermaid is the map as a Mermaid flowchart (GitHub renders it in
// markdown).
func Mermaid(g *Graph) string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	esc := strings.NewReplacer(`"`, "#quot;", "<", "#lt;", ">", "#gt;", "\n", " ")
	shapes := [...][2]string{{"[", "]"}, {"([", "])"}, {"[/", "/]"}, {"{{", "}}"}, {"[(", ")]"}}
	var red []string
	for _, n := range g.Nodes {
		sh := shapes[n.Kind]
		fmt.Fprintf(&b, "  %s%s\"%s<br/>%s\"%s\n", n.ID, sh[0], esc.Replace(n.Label), esc.Replace(n.Detail), sh[1])
		if len(n.Findings) > 0 {
			red = append(red, n.ID)
		}
	}
	var redLinks []string
	for i, e := range g.Edges {
		arrow := "-->"
		if e.Possible() {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", g.Nodes[e.From].ID, arrow, esc.Replace(edgeText(e)), g.Nodes[e.To].ID)
		if len(e.Findings) > 0 {
			redLinks = append(redLinks, strconv.Itoa(i))
		}
	}
	if len(red) > 0 {
		b.WriteString("  classDef finding stroke:#d32f2f,stroke-width:2px,color:#d32f2f\n")
		fmt.Fprintf(&b, "  class %s finding\n", strings.Join(red, ","))
	}
	if len(redLinks) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:#d32f2f,color:#d32f2f\n", strings.Join(redLinks, ","))
	}
	return b.String()
}
