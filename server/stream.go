package server

import (
	"context"
	"fmt"

	"go.lsp.dev/jsonrpc2"
)

// tolerantStream answers a frame that is not valid JSON-RPC with a parse
// error (id null, as JSON-RPC 2.0 specifies) and goes on reading. Without
// it, jsonrpc2 closes the connection on the first malformed frame, and one
// buggy client message would take the whole session down.
type tolerantStream struct {
	jsonrpc2.Stream
	frames interface {
		ReadFrame(ctx context.Context) ([]byte, int64, error)
	}
	onBad func(error)
}

func newTolerantStream(s jsonrpc2.Stream, onBad func(error)) jsonrpc2.Stream {
	fr, ok := s.(interface {
		ReadFrame(ctx context.Context) ([]byte, int64, error)
	})
	if !ok {
		return s
	}
	return &tolerantStream{Stream: s, frames: fr, onBad: onBad}
}

func (s *tolerantStream) Read(ctx context.Context) (jsonrpc2.Message, int64, error) {
	for {
		frame, n, err := s.frames.ReadFrame(ctx)
		if err != nil {
			return nil, n, err
		}
		// The decoded message borrows its bytes, and ReadFrame reuses its
		// buffer: decode from a copy the message can keep.
		msg, err := jsonrpc2.DecodeMessage(append([]byte(nil), frame...))
		if err == nil {
			return msg, n, nil
		}
		if s.onBad != nil {
			s.onBad(err)
		}
		reply := jsonrpc2.NewResponse(jsonrpc2.ID{}, nil, fmt.Errorf("%w: %v", jsonrpc2.ErrParse, err))
		if _, werr := s.Stream.Write(ctx, reply); werr != nil {
			return nil, n, werr
		}
	}
}
