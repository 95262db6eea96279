package concmap

import (
	_ "embed"
	"fmt"
	"html"
	"strings"
)

// svgStyle colours the map with VS Code's theme variables when it is shown
// in a webview (light, dark and high-contrast themes set them), and with
// readable defaults anywhere else.
//
//go:embed svg.css
var svgStyle string

// SVG draws a laid-out graph. Every node and edge is a group carrying
// data-file, data-line and data-col (where to jump when it is clicked) and
// a <title> that says in words what it is, for tooltips and screen readers.
func SVG(g *Graph, d *Drawing) string {
	var b strings.Builder
	esc := html.EscapeString
	title := "golens concurrency map: " + g.Title
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" class="concmap" viewBox="0 0 %.0f %.0f" width="%.0f" height="%.0f" role="img" aria-labelledby="concmap-title">`+"\n",
		d.Width, d.Height, d.Width, d.Height)
	fmt.Fprintf(&b, "<title id=\"concmap-title\">%s</title>\n<style>%s</style>\n", esc(title), svgStyle)
	b.WriteString(`<defs><marker id="concmap-arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow" d="M0,0 L8,4 L0,8 z"/></marker>` +
		`<marker id="concmap-arrow-finding" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arrow finding" d="M0,0 L8,4 L0,8 z"/></marker></defs>` + "\n")
	fmt.Fprintf(&b, `<text class="heading" x="%d" y="%d">%s</text>`+"\n", margin, margin+12, esc(title))

	for i, e := range g.Edges {
		r := d.Edges[i]
		if len(r.Curves) == 0 {
			continue
		}
		classes := []string{"edge", "k-" + strings.ToLower(e.Kind.String())}
		marker := "concmap-arrow"
		if e.Possible() {
			classes = append(classes, "possible")
		}
		if e.Blocking() {
			classes = append(classes, "blocking")
		}
		if len(e.Findings) > 0 {
			classes = append(classes, "finding")
			marker = "concmap-arrow-finding"
		}
		first := e.Sites[0].Loc
		fmt.Fprintf(&b, `<g id="%s" class="%s"%s tabindex="0">`, e.ID, strings.Join(classes, " "), locAttrs(first))
		fmt.Fprintf(&b, "<title>%s</title>", esc(edgeSentence(g, e)))
		var path strings.Builder
		for k, c := range r.Curves {
			if k == 0 {
				fmt.Fprintf(&path, "M%.1f,%.1f", c.P0.X, c.P0.Y)
			}
			fmt.Fprintf(&path, " C%.1f,%.1f %.1f,%.1f %.1f,%.1f", c.C1.X, c.C1.Y, c.C2.X, c.C2.Y, c.P1.X, c.P1.Y)
		}
		fmt.Fprintf(&b, `<path class="hit" d="%s"/><path class="line" d="%s" marker-end="url(#%s)"/>`, path.String(), path.String(), marker)
		if l := r.Label; l.W > 0 {
			fmt.Fprintf(&b, `<g class="label"><rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="3"/>`, l.X, l.Y, l.W, l.H)
			tx := l.X + 3
			if e.Blocking() {
				fmt.Fprintf(&b, `<circle class="blockmark" cx="%.1f" cy="%.1f" r="3.5"/>`, l.X+7, l.Y+l.H/2)
			}
			tx += blockMarkW
			fmt.Fprintf(&b, `<text x="%.1f" y="%.1f">%s</text></g>`, tx, l.Y+l.H-4, esc(e.Label()))
		}
		b.WriteString("</g>\n")
	}

	for i, n := range g.Nodes {
		box := d.Nodes[i]
		classes := []string{"node", n.Kind.String()}
		if len(n.Findings) > 0 {
			classes = append(classes, "finding")
		}
		fmt.Fprintf(&b, `<g id="%s" class="%s"%s tabindex="0">`, n.ID, strings.Join(classes, " "), locAttrs(n.Loc))
		fmt.Fprintf(&b, "<title>%s</title>", esc(nodeSentence(g, n)))
		rx := 3
		if n.Kind == GoroutineNode {
			rx = 14
		}
		fmt.Fprintf(&b, `<rect class="box" x="%.1f" y="%.1f" width="%.1f" height="%.1f" rx="%d"/>`, box.X, box.Y, box.W, box.H, rx)
		if n.Kind == ChanNode {
			// A pipe's ends: the channel look.
			fmt.Fprintf(&b, `<path class="pipe" d="M%.1f,%.1f v%.1f M%.1f,%.1f v%.1f"/>`, box.X+4, box.Y+4, box.H-8, box.X+box.W-4, box.Y+4, box.H-8)
		}
		fmt.Fprintf(&b, `<text class="name" x="%.1f" y="%.1f">%s</text>`, box.X+nodePadX, box.Y+15, esc(n.Label))
		fmt.Fprintf(&b, `<text class="detail" x="%.1f" y="%.1f">%s</text>`, box.X+nodePadX, box.Y+30, esc(n.Detail))
		b.WriteString("</g>\n")
	}

	// Legend, then what the map leaves out.
	y := d.Height - margin - noteHeight*float64(shownNotes(g))
	fmt.Fprintf(&b, `<g class="legend"><circle class="blockmark" cx="%d" cy="%.1f" r="3.5"/><text x="%d" y="%.1f">can block</text>`, margin+4, y-4, margin+12, y)
	fmt.Fprintf(&b, `<path class="line possible-sample" d="M%d,%.1f h28"/><text x="%d" y="%.1f">only possible</text>`, margin+96, y-4, margin+130, y)
	fmt.Fprintf(&b, `<rect class="finding-sample" x="%d" y="%.1f" width="12" height="10"/><text x="%d" y="%.1f">finding</text></g>`+"\n", margin+250, y-9, margin+268, y)
	for i, n := range g.Notes[:shownNotes(g)] {
		fmt.Fprintf(&b, `<text class="note" x="%d" y="%.1f">%s</text>`+"\n", margin, y+noteHeight*float64(i+1), esc(n))
	}
	b.WriteString("</svg>\n")
	return b.String()
}

func locAttrs(l Loc) string {
	if l.Line <= 0 {
		return ""
	}
	return fmt.Sprintf(` data-file="%s" data-line="%d" data-col="%d"`, html.EscapeString(l.File), l.Line, l.Col)
}

// nodeSentence says what a node is, in words.
func nodeSentence(g *Graph, n *Node) string {
	s := fmt.Sprintf("%s %s", n.Kind, n.Label)
	if n.Detail != "" && n.Kind != FuncNode {
		s += ": " + n.Detail
	}
	if n.Loc.Line > 0 {
		s += fmt.Sprintf(" (line %d)", n.Loc.Line)
	}
	for _, i := range n.Findings {
		s += fmt.Sprintf("\n%s: %s", g.Findings[i].Check, g.Findings[i].Message)
	}
	return s
}

// edgeSentence says what an edge is, in words.
func edgeSentence(g *Graph, e *Edge) string {
	from, to := g.Nodes[e.From].Label, g.Nodes[e.To].Label
	var s string
	switch e.Kind {
	case Starts:
		s = fmt.Sprintf("%s starts %s", from, to)
	case Recv, Range, Wait:
		s = fmt.Sprintf("%s: %s %s", to, e.Kind, from)
	default:
		s = fmt.Sprintf("%s: %s %s", from, e.Kind, to)
	}
	var lines []string
	for _, st := range e.Sites {
		t := fmt.Sprintf("line %d", st.Loc.Line)
		if st.Blocking {
			t += ", can block"
		}
		if st.Certainty == Possible {
			t += ", only possible"
		}
		lines = append(lines, t)
	}
	s += " (" + strings.Join(lines, "; ") + ")"
	for _, i := range e.Findings {
		s += fmt.Sprintf("\n%s: %s", g.Findings[i].Check, g.Findings[i].Message)
	}
	return s
}
