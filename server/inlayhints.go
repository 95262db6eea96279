package server

import (
	"context"
	"encoding/json"
	"errors"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/golens/golens/hints"
)

// inlayHintData is what golens stores in InlayHint.data to resolve the
// tooltip later: the document and the hint's own key (which embeds a
// checksum of the source, so a tooltip is never computed for another
// version).
type inlayHintData struct {
	URI  uri.URI `json:"uri"`
	Hint string  `json:"hint"`
}

// InlayHint implements protocol.Server. It answers whatever the client
// advertises: Neovim 0.7 sends the request without the capability.
func (s *Server) InlayHint(ctx context.Context, params *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	d, err := s.docs.readAt(ctx, params.TextDocument.URI)
	if err != nil {
		return nil, invalidParams(err)
	}
	start, err := d.offset(params.Range.Start)
	if err != nil {
		start = len(d.text)
	}
	end, err := d.offset(params.Range.End)
	if err != nil {
		end = len(d.text) // a range past the end means "to the end"
	}
	settings := s.currentSettings()
	opts := hints.Options{Blocking: settings.Hints.Blocking, Defers: settings.Hints.Defers, Goroutines: settings.Hints.Goroutines}
	v := view{model: s.bestModel(d), from: len(d.text) + 1}
	if d.large() {
		// Hints for at most the limit's worth of declarations from
		// the start of the range: a client asking for the whole file gets
		// its first part.
		end = min(end, start+maxModelSize)
		v = s.modelAround(d, start, end)
		start, end = v.toModel(start), v.toModel(end)
	}
	m := v.model
	out := []protocol.InlayHint{}
	// involved.go: a hint at each position of a deadlock-class finding of
	// exactly this text (none for a large file).
	for _, h := range hints.ComputeWith(m, start, end, opts, s.involvedFindings(d)) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		ih := protocol.InlayHint{
			Position: d.position(v.toDoc(h.Offset)),
			Label:    protocol.String(h.Label),
		}
		if h.Tooltip != "" {
			ih.Tooltip = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: h.Tooltip}
		} else {
			data, _ := json.Marshal(inlayHintData{URI: d.uri, Hint: h.Data})
			ih.Data = protocol.LSPAny(data)
		}
		if h.PaddingLeft {
			ih.PaddingLeft = &h.PaddingLeft
		}
		if h.PaddingRight {
			ih.PaddingRight = &h.PaddingRight
		}
		out = append(out, ih)
	}
	return out, nil
}

// InlayHintResolve implements protocol.Server: the markdown tooltip,
// computed only when the user looks at a hint.
func (s *Server) InlayHintResolve(ctx context.Context, params *protocol.InlayHint) (*protocol.InlayHint, error) {
	var data inlayHintData
	if err := json.Unmarshal(params.Data, &data); err != nil || data.URI == "" {
		return params, nil // not one of ours, or from a client that mangled data
	}
	d, err := s.docs.readAt(ctx, data.URI)
	if err != nil || d.large() {
		return params, nil
	}
	tip, err := hints.Tooltip(s.bestModel(d), data.Hint)
	if errors.Is(err, hints.ErrStale) || errors.Is(err, hints.ErrNotFound) || err != nil {
		return params, nil // the file changed since: keep the hint as it was
	}
	out := *params
	out.Tooltip = &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: tip}
	return &out, nil
}
