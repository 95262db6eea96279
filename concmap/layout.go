package concmap

import (
	"sort"
	"unicode/utf8"
)

// The layout is the classic layered (Sugiyama) drawing, top to bottom:
//
//  1. cycles are broken by reversing the edges a depth-first search finds
//     going back up (main → jobs → worker → results → main);
//  2. nodes get layers by longest path, on doubled ranks so that every edge
//     crosses at least one odd layer, where its label sits as a box of its
//     own: labels are laid out like nodes and can never overlap;
//  3. edges spanning more layers get a thin dummy box in each layer between,
//     so edges are routed through reserved slots, never across a node;
//  4. the order within each layer is improved by barycenter sweeps, keeping
//     the order with the fewest crossings;
//  5. x positions pull each box toward the mean of its neighbours while
//     keeping the order and the minimum gaps;
//  6. between two layers an edge is one cubic curve with vertical tangents,
//     inside the empty band between the layers; inside a layer it is a
//     vertical line through its dummy or label box.

// Geometry of the drawing, in SVG user units (pixels at 100%).
const (
	charWidth   = 7.2 // a 12px monospace glyph
	nodePadX    = 10
	nodeHeight  = 36
	labelHeight = 16
	dummyWidth  = 10
	boxGap      = 16 // between neighbouring boxes of one layer
	layerGap    = 28 // between layers: where the curves run
	margin      = 16
	titleHeight = 24
	legendH     = 24
	blockMarkW  = 12 // room for the blocking mark before a label
	noteHeight  = 16 // one line of "not shown" under the legend
	maxNotes    = 6
)

// shownNotes is how many of the graph's notes the picture lists.
func shownNotes(g *Graph) int { return min(len(g.Notes), maxNotes) }

// Box is an axis-aligned rectangle: top-left corner, width, height.
type Box struct{ X, Y, W, H float64 }

// Point is a point of the drawing.
type Point struct{ X, Y float64 }

// Cubic is a cubic Bézier curve; a straight segment has its control points
// on the segment.
type Cubic struct{ P0, C1, C2, P1 Point }

// Route is how one edge is drawn: curves from its source to its target
// (arrow at the end), and its label's box.
type Route struct {
	Curves []Cubic
	Label  Box
}

// Drawing is a laid-out graph: one box per node (indexed like Graph.Nodes)
// and one route per edge (indexed like Graph.Edges).
type Drawing struct {
	Width, Height float64
	Nodes         []Box
	Edges         []Route
	// Crossings counts the pairs of edge segments that cross between
	// adjacent layers after crossing reduction (ports and curves aside).
	Crossings int
}

// vertex is a box in a layer: a node, an edge label or an edge's dummy.
type vertex struct {
	node  int // graph node index, or -1
	edge  int // graph edge index for labels and dummies, or -1
	label bool
	w, h  float64
	layer int
	pos   int // index within the layer
	x     float64
	up    []int // vertices in the layer above it connects to
	down  []int // vertices in the layer below
}

// textWidth estimates the width of s in the 12px monospace font.
func textWidth(s string) float64 { return float64(utf8.RuneCountInString(s)) * charWidth }

// NodeSize returns the size of a node's box: its label over its detail.
func NodeSize(n *Node) (w, h float64) {
	w = textWidth(n.Label)
	if d := textWidth(n.Detail) * 11 / 12; d > w {
		w = d
	}
	return w + 2*nodePadX, nodeHeight
}

func labelSize(e *Edge) (w, h float64) {
	return textWidth(e.Label()) + blockMarkW + 6, labelHeight
}

// Layout lays g out. It never fails; an empty graph gives an empty drawing.
func Layout(g *Graph) *Drawing {
	n := len(g.Nodes)
	d := &Drawing{Nodes: make([]Box, n), Edges: make([]Route, len(g.Edges))}

	// 1. Break cycles.
	succ := make([][]int, n) // edge indexes
	for i, e := range g.Edges {
		succ[e.From] = append(succ[e.From], i)
	}
	reversed := make([]bool, len(g.Edges))
	state := make([]uint8, n) // 0 new, 1 on stack, 2 done
	var dfs func(v int)
	dfs = func(v int) {
		state[v] = 1
		for _, ei := range succ[v] {
			w := g.Edges[ei].To
			switch state[w] {
			case 0:
				dfs(w)
			case 1:
				reversed[ei] = true
			}
		}
		state[v] = 2
	}
	for v := 0; v < n; v++ { // functions first: they are the natural tops
		if g.Nodes[v].Kind == FuncNode && state[v] == 0 {
			dfs(v)
		}
	}
	for v := 0; v < n; v++ {
		if state[v] == 0 {
			dfs(v)
		}
	}
	from := func(ei int) int {
		if reversed[ei] {
			return g.Edges[ei].To
		}
		return g.Edges[ei].From
	}
	to := func(ei int) int {
		if reversed[ei] {
			return g.Edges[ei].From
		}
		return g.Edges[ei].To
	}

	// 2. Longest-path ranks.
	indeg := make([]int, n)
	out := make([][]int, n)
	in := make([][]int, n)
	for ei, e := range g.Edges {
		if e.From == e.To {
			continue
		}
		u, v := from(ei), to(ei)
		out[u] = append(out[u], ei)
		in[v] = append(in[v], ei)
		indeg[v]++
	}
	rank := make([]int, n)
	var queue, topo []int
	for v := 0; v < n; v++ {
		if indeg[v] == 0 {
			queue = append(queue, v)
		}
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		topo = append(topo, v)
		for _, ei := range out[v] {
			w := to(ei)
			if rank[v]+1 > rank[w] {
				rank[w] = rank[v] + 1
			}
			if indeg[w]--; indeg[w] == 0 {
				queue = append(queue, w)
			}
		}
	}
	// A channel or lock nobody writes to (only received from) would sit at
	// the top; put it just above its first reader instead.
	for i := len(topo) - 1; i >= 0; i-- {
		v := topo[i]
		if len(in[v]) > 0 || len(out[v]) == 0 || g.Nodes[v].Kind == FuncNode {
			continue
		}
		lowest := -1
		for _, ei := range out[v] {
			if r := rank[to(ei)] - 1; lowest < 0 || r < lowest {
				lowest = r
			}
		}
		if lowest > rank[v] {
			rank[v] = lowest
		}
	}

	// 3. Vertices: nodes on even layers, labels on the first odd layer of
	// each edge, dummies on the others.
	maxLayer := 0
	var vs []*vertex
	nodeV := make([]int, n)
	for v := 0; v < n; v++ {
		w, h := NodeSize(g.Nodes[v])
		nodeV[v] = len(vs)
		vs = append(vs, &vertex{node: v, edge: -1, w: w, h: h, layer: 2 * rank[v]})
		if 2*rank[v] > maxLayer {
			maxLayer = 2 * rank[v]
		}
	}
	chains := make([][]int, len(g.Edges)) // vertex indexes, top to bottom
	for ei, e := range g.Edges {
		if e.From == e.To {
			continue
		}
		u, v := nodeV[from(ei)], nodeV[to(ei)]
		chain := []int{u}
		for l := vs[u].layer + 1; l < vs[v].layer; l++ {
			x := &vertex{node: -1, edge: ei, w: dummyWidth, layer: l}
			if l == vs[u].layer+1 {
				x.label = true
				x.w, x.h = labelSize(e)
			}
			chain = append(chain, len(vs))
			vs = append(vs, x)
		}
		chain = append(chain, v)
		for i := 0; i+1 < len(chain); i++ {
			a, b := vs[chain[i]], vs[chain[i+1]]
			a.down = append(a.down, chain[i+1])
			b.up = append(b.up, chain[i])
		}
		chains[ei] = chain
	}
	layers := make([][]int, maxLayer+1)
	// Initial order: depth-first from the tops, so related boxes start
	// near each other.
	seen := make([]bool, len(vs))
	var place func(i int)
	place = func(i int) {
		if seen[i] {
			return
		}
		seen[i] = true
		layers[vs[i].layer] = append(layers[vs[i].layer], i)
		for _, j := range vs[i].down {
			place(j)
		}
	}
	for _, v := range topo {
		place(nodeV[v])
	}
	for i := range vs {
		place(i)
	}
	setPos := func() {
		for _, l := range layers {
			for p, i := range l {
				vs[i].pos = p
			}
		}
	}
	setPos()

	// 4. Crossing reduction.
	best := copyLayers(layers)
	bestCross := crossings(vs, layers)
	for iter := 0; iter < 12 && bestCross > 0; iter++ {
		if iter%2 == 0 {
			for l := 1; l < len(layers); l++ {
				sortByBarycenter(vs, layers[l], func(v *vertex) []int { return v.up })
			}
		} else {
			for l := len(layers) - 2; l >= 0; l-- {
				sortByBarycenter(vs, layers[l], func(v *vertex) []int { return v.down })
			}
		}
		setPos()
		if c := crossings(vs, layers); c < bestCross {
			bestCross, best = c, copyLayers(layers)
		}
	}
	layers = best
	setPos()
	d.Crossings = bestCross

	// 5. x positions.
	for _, l := range layers {
		x := 0.0
		for k, i := range l {
			if k > 0 {
				x += sep(vs[l[k-1]], vs[i])
			}
			vs[i].x = x
		}
	}
	for iter := 0; iter < 8; iter++ {
		if iter%2 == 0 {
			for l := 1; l < len(layers); l++ {
				balance(vs, layers[l], func(v *vertex) []int { return v.up })
			}
		} else {
			for l := len(layers) - 2; l >= 0; l-- {
				balance(vs, layers[l], func(v *vertex) []int { return v.down })
			}
		}
	}
	minX := 0.0
	first := true
	for _, v := range vs {
		if left := v.x - v.w/2; first || left < minX {
			minX, first = left, false
		}
	}
	maxX := 0.0
	for _, v := range vs {
		v.x += margin - minX
		if right := v.x + v.w/2; right > maxX {
			maxX = right
		}
	}

	// 6. y positions and routes.
	top := make([]float64, len(layers))
	height := make([]float64, len(layers))
	y := float64(margin + titleHeight)
	for l, layer := range layers {
		for _, i := range layer {
			if vs[i].h > height[l] {
				height[l] = vs[i].h
			}
		}
		top[l] = y
		y += height[l]
		if l+1 < len(layers) {
			y += layerGap
		}
	}
	d.Height = y + margin + legendH + noteHeight*float64(shownNotes(g))
	d.Width = maxX + margin
	if w := textWidth("golens concurrency map: "+g.Title) + 2*margin; w > d.Width {
		d.Width = w
	}
	for _, n := range g.Notes[:shownNotes(g)] {
		if w := textWidth(n)*11/12 + 2*margin; w > d.Width {
			d.Width = w
		}
	}
	if d.Width < 420 {
		d.Width = 420 // room for the legend
	}
	boxOf := func(v *vertex) Box {
		h := v.h
		if v.node < 0 && !v.label {
			h = height[v.layer]
		}
		return Box{X: v.x - v.w/2, Y: top[v.layer], W: v.w, H: h}
	}
	for v := 0; v < n; v++ {
		d.Nodes[v] = boxOf(vs[nodeV[v]])
	}
	// Ports: a node's edges leave its bottom and enter its top spread out,
	// in the order of the boxes they lead to.
	outPort := map[[2]int]float64{}
	inPort := map[[2]int]float64{}
	for i, v := range vs {
		if v.node < 0 {
			continue
		}
		spread := func(list []int, into map[[2]int]float64) {
			sorted := append([]int(nil), list...)
			sort.SliceStable(sorted, func(a, b int) bool { return vs[sorted[a]].x < vs[sorted[b]].x })
			b := boxOf(v)
			for k, j := range sorted {
				into[[2]int{i, j}] = b.X + b.W*float64(k+1)/float64(len(sorted)+1)
			}
		}
		spread(v.down, outPort)
		spread(v.up, inPort)
	}
	for ei, chain := range chains {
		if chain == nil {
			continue
		}
		var curves []Cubic
		var label Box
		for k := 0; k+1 < len(chain); k++ {
			a, b := vs[chain[k]], vs[chain[k+1]]
			ab, bb := boxOf(a), boxOf(b)
			x1 := a.x
			if a.node >= 0 {
				x1 = outPort[[2]int{chain[k], chain[k+1]}]
			}
			x2 := b.x
			if b.node >= 0 {
				x2 = inPort[[2]int{chain[k+1], chain[k]}]
			}
			p0 := Point{x1, ab.Y + ab.H}
			p1 := Point{x2, bb.Y}
			mid := (p1.Y - p0.Y) / 2
			curves = append(curves, Cubic{p0, Point{x1, p0.Y + mid}, Point{x2, p1.Y - mid}, p1})
			if b.node < 0 {
				// Straight down through the dummy or label box.
				q := Point{x2, bb.Y + bb.H}
				curves = append(curves, Cubic{p1, p1, q, q})
				if b.label {
					label = bb
				}
			}
		}
		if reversed[ei] {
			for i, j := 0, len(curves)-1; i < j; i, j = i+1, j-1 {
				curves[i], curves[j] = curves[j], curves[i]
			}
			for i, c := range curves {
				curves[i] = Cubic{c.P1, c.C2, c.C1, c.P0}
			}
		}
		d.Edges[ei] = Route{Curves: curves, Label: label}
	}
	return d
}

// sep is the distance between the centres of two neighbouring boxes.
func sep(a, b *vertex) float64 {
	gap := float64(boxGap)
	if a.node < 0 && !a.label && b.node < 0 && !b.label {
		gap = 6 // two dummies: parallel edges may run close
	}
	return (a.w+b.w)/2 + gap
}

func copyLayers(layers [][]int) [][]int {
	out := make([][]int, len(layers))
	for i, l := range layers {
		out[i] = append([]int(nil), l...)
	}
	return out
}

// sortByBarycenter orders a layer by the mean position of each box's
// neighbours in the layer just swept; boxes without neighbours keep their
// place.
func sortByBarycenter(vs []*vertex, layer []int, nbrs func(*vertex) []int) {
	bary := make(map[int]float64, len(layer))
	for _, i := range layer {
		ns := nbrs(vs[i])
		if len(ns) == 0 {
			bary[i] = float64(vs[i].pos)
			continue
		}
		sum := 0.0
		for _, j := range ns {
			sum += float64(vs[j].pos)
		}
		bary[i] = sum / float64(len(ns))
	}
	sort.SliceStable(layer, func(a, b int) bool { return bary[layer[a]] < bary[layer[b]] })
}

// crossings counts the edge crossings between all adjacent layers.
func crossings(vs []*vertex, layers [][]int) int {
	total := 0
	for l := 0; l+1 < len(layers); l++ {
		var pairs [][2]int
		for _, i := range layers[l] {
			for _, j := range vs[i].down {
				pairs = append(pairs, [2]int{vs[i].pos, vs[j].pos})
			}
		}
		sort.Slice(pairs, func(a, b int) bool {
			if pairs[a][0] != pairs[b][0] {
				return pairs[a][0] < pairs[b][0]
			}
			return pairs[a][1] < pairs[b][1]
		})
		// Count inversions of the lower ends with a Fenwick tree.
		tree := make([]int, len(layers[l+1])+1)
		for k, p := range pairs {
			// Lower ends already seen that are greater than p[1].
			le := 0
			for i := p[1] + 1; i > 0; i -= i & -i {
				le += tree[i]
			}
			total += k - le
			for i := p[1] + 1; i < len(tree); i += i & -i {
				tree[i]++
			}
		}
	}
	return total
}

// balance moves each box of a layer toward the mean x of its neighbours,
// keeping the layer's order and gaps: the average of a left-to-right and a
// right-to-left placement, each of which keeps every gap, keeps them too.
func balance(vs []*vertex, layer []int, nbrs func(*vertex) []int) {
	if len(layer) == 0 {
		return
	}
	want := make([]float64, len(layer))
	for k, i := range layer {
		ns := nbrs(vs[i])
		if len(ns) == 0 {
			want[k] = vs[i].x
			continue
		}
		sum := 0.0
		for _, j := range ns {
			sum += vs[j].x
		}
		want[k] = sum / float64(len(ns))
	}
	left := make([]float64, len(layer))
	for k := range layer {
		left[k] = want[k]
		if k > 0 {
			if min := left[k-1] + sep(vs[layer[k-1]], vs[layer[k]]); left[k] < min {
				left[k] = min
			}
		}
	}
	right := make([]float64, len(layer))
	for k := len(layer) - 1; k >= 0; k-- {
		right[k] = want[k]
		if k+1 < len(layer) {
			if max := right[k+1] - sep(vs[layer[k]], vs[layer[k+1]]); right[k] > max {
				right[k] = max
			}
		}
	}
	for k, i := range layer {
		vs[i].x = (left[k] + right[k]) / 2
	}
}
