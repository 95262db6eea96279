package server

import (
	"context"
	"go/parser"
	"go/token"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"

	"go.lsp.dev/protocol"

	"github.com/golens/golens/internal/densefile"
)

// The figures are measured on a 5,000-line file dense with
// goroutines, channels, defers and selects.
var dense = string(densefile.Source(5000))

// hoverPositions are the `go`, `defer`, `select` and `<-` positions of the
// dense file.
func hoverPositions(text string) []protocol.Position {
	var out []protocol.Position
	for i, line := range strings.Split(text, "\n") {
		for _, tok := range []string{"go func", "defer ", "select {", "<-"} {
			if c := strings.Index(line, tok); c >= 0 {
				out = append(out, protocol.Position{Line: uint32(i), Character: uint32(c)})
			}
		}
	}
	return out
}

// BenchmarkHover measures hover latency over JSON-RPC on an analysed
// version (the model is built before the timer starts) and reports p50.
func BenchmarkHover(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(gcPercent)) // as the binary runs
	s := start(&testing.T{}, nil)
	s.initialize("")
	u := s.open("/bench/dense.go", dense)
	positions := hoverPositions(dense)
	if h, err := s.hover(u, positions[0].Line, positions[0].Character); err != nil || h == nil {
		b.Fatalf("warm-up hover: %v %v", h, err)
	}
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		p := positions[i%len(positions)]
		t0 := time.Now()
		if _, err := s.hover(u, p.Line, p.Character); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))
	}
	reportPercentiles(b, lat)
}

// BenchmarkEditThenHover measures an incremental edit followed by the next
// hover (which must rebuild the model), and in the same loop, under the same
// machine conditions, go/parser's time for the file; x-parse is the ratio of
// the two medians.
func BenchmarkEditThenHover(b *testing.B) {
	// The reference parse time is go/parser under Go's default GC, as
	// BenchmarkParse in model/ measures it; golens runs with its own GC
	// setting, as the binary does.
	const referenceParses = 50
	t0 := time.Now()
	for i := 0; i < referenceParses; i++ {
		parser.ParseFile(token.NewFileSet(), "dense.go", dense, parser.AllErrors|parser.ParseComments)
	}
	reference := time.Since(t0) / referenceParses
	defer debug.SetGCPercent(debug.SetGCPercent(gcPercent))
	s := start(&testing.T{}, nil)
	s.initialize(`{"typedTier": false}`)
	u := s.open("/bench/dense.go", dense)
	positions := hoverPositions(dense)
	var lat, parses []time.Duration
	version := int32(1)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		version++
		p := positions[i%len(positions)]
		t0 := time.Now()
		// Type a space at the start of a line near the end of the file.
		err := s.remote.DidChange(context.Background(), &protocol.DidChangeTextDocumentParams{
			TextDocument: protocol.VersionedTextDocumentIdentifier{TextDocumentIdentifier: protocol.TextDocumentIdentifier{URI: u}, Version: version},
			ContentChanges: []protocol.TextDocumentContentChangeEvent{&protocol.TextDocumentContentChangePartial{
				Range: protocol.Range{Start: protocol.Position{Line: 4990, Character: 0}, End: protocol.Position{Line: 4990, Character: 0}},
				Text:  " ",
			}},
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.hover(u, p.Line, p.Character); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(t0))

		b.StopTimer()
		t1 := time.Now()
		parser.ParseFile(token.NewFileSet(), "dense.go", dense, parser.AllErrors|parser.ParseComments)
		parses = append(parses, time.Since(t1))
		b.StartTimer()
	}
	reportPercentiles(b, lat)
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	sort.Slice(parses, func(i, j int) bool { return parses[i] < parses[j] })
	parse := parses[len(parses)/2]
	b.ReportMetric(float64(reference.Microseconds())/1000, "parse-ms")
	b.ReportMetric(float64(lat[len(lat)/2])/float64(reference), "x-parse")
	// The same ratio against parses timed inside the loop, under golens's
	// GC setting and whatever the machine does meanwhile.
	b.ReportMetric(float64(lat[len(lat)/2])/float64(parse), "x-loop-parse")
}

func reportPercentiles(b *testing.B, lat []time.Duration) {
	if len(lat) == 0 {
		return
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*9/10].Microseconds())/1000, "p90-ms")
}
