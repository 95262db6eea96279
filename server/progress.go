package server

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"go.lsp.dev/protocol"
)

// progress is one $/progress report the server started (work done
// progress), with the cancel function the client's cancel button calls.
type progress struct {
	s     *Server
	token protocol.ProgressToken // nil: the client cannot show progress
}

// progressTokens maps the tokens of running work to their cancel functions.
type progressTokens struct {
	mu     sync.Mutex
	next   atomic.Int64
	cancel map[string]context.CancelFunc
}

// startProgress begins a cancellable progress report titled title. It uses
// the request's workDoneToken when the client sent one, else creates a token
// with window/workDoneProgress/create when the client supports it; without
// either, reports are silently dropped. Cancelling (the client's button,
// window/workDoneProgress/cancel) cancels the returned context.
func (s *Server) startProgress(ctx context.Context, given protocol.ProgressToken, title string) (*progress, context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(ctx)
	p := &progress{s: s, token: given}
	s.mu.Lock()
	supported := s.caps.workDoneProgress
	s.mu.Unlock()
	if p.token == nil && supported {
		tok := protocol.String(fmt.Sprintf("golens-%d", s.progress.next.Add(1)))
		if err := s.client.WorkDoneProgressCreate(ctx, &protocol.WorkDoneProgressCreateParams{Token: tok}); err == nil {
			p.token = tok
		}
	}
	if p.token == nil {
		return p, ctx, cancel
	}
	key := tokenKey(p.token)
	s.progress.mu.Lock()
	if s.progress.cancel == nil {
		s.progress.cancel = map[string]context.CancelFunc{}
	}
	s.progress.cancel[key] = cancel
	s.progress.mu.Unlock()
	cancellable := true
	p.send(&protocol.WorkDoneProgressBegin{Kind: "begin", Title: title, Cancellable: &cancellable})
	return p, ctx, func() {
		s.progress.mu.Lock()
		delete(s.progress.cancel, key)
		s.progress.mu.Unlock()
		cancel()
	}
}

func (p *progress) report(msg string) {
	p.send(&protocol.WorkDoneProgressReport{Kind: "report", Message: &msg})
}

func (p *progress) end(msg string) {
	p.send(&protocol.WorkDoneProgressEnd{Kind: "end", Message: &msg})
}

func (p *progress) send(v any) {
	if p.token == nil || p.s.exited.Load() {
		return
	}
	raw, err := protocol.Marshal(v)
	if err != nil {
		return
	}
	_ = p.s.client.Progress(context.Background(), &protocol.ProgressParams{Token: p.token, Value: protocol.LSPAny(raw)})
}

// WorkDoneProgressCancel implements protocol.Server: the client's cancel
// button on a progress report.
func (s *Server) WorkDoneProgressCancel(ctx context.Context, params *protocol.WorkDoneProgressCancelParams) error {
	if params == nil || params.Token == nil {
		return nil
	}
	s.progress.mu.Lock()
	cancel := s.progress.cancel[tokenKey(params.Token)]
	s.progress.mu.Unlock()
	if cancel != nil {
		cancel()
	}
	return nil
}

func tokenKey(t protocol.ProgressToken) string {
	switch t := t.(type) {
	case protocol.String:
		return "s:" + string(t)
	case protocol.Integer:
		return fmt.Sprintf("i:%d", t)
	}
	return fmt.Sprint(t)
}
