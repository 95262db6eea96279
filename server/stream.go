package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
)

// tolerantStream answers a frame that is not valid JSON-RPC with an error
// (id null, as JSON-RPC 2.0 specifies) and goes on reading: -32700 when the
// frame is not JSON, -32600 when it is JSON but not a request (a batch, a
// bad id or version, a request with id null). Without it, jsonrpc2 closes
// the connection on the first malformed frame, and one buggy client message
// would take the whole session down.
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
			return nil, n, explainReadError(err)
		}
		// The decoded message borrows its bytes, and ReadFrame reuses its
		// buffer: decode from a copy the message can keep.
		msg, err := jsonrpc2.DecodeMessage(append([]byte(nil), frame...))
		if err == nil && isNullIDCall(msg, frame) {
			err = fmt.Errorf("%w: a request's id must be an integer or a string, not null", jsonrpc2.ErrInvalidRequest)
		}
		if err == nil {
			return msg, n, nil
		}
		if s.onBad != nil {
			s.onBad(err)
		}
		var reply *jsonrpc2.Response
		if errors.Is(err, jsonrpc2.ErrInvalidRequest) {
			reply = jsonrpc2.NewResponse(jsonrpc2.ID{}, nil, jsonrpc2.NewError(jsonrpc2.InvalidRequest, err.Error()))
		} else {
			reply = jsonrpc2.NewResponse(jsonrpc2.ID{}, nil, fmt.Errorf("%w: %v", jsonrpc2.ErrParse, err))
		}
		if _, werr := s.Stream.Write(ctx, reply); werr != nil {
			return nil, n, werr
		}
	}
}

// explainReadError says what a framing error means to the user: the
// stream has lost its frame boundaries and the session cannot go on, so
// golens exits with this message on stderr.
func explainReadError(err error) error {
	switch {
	case errors.Is(err, jsonrpc2.ErrInvalidHeader):
		return fmt.Errorf("the client sent a message header without a valid Content-Length (a positive decimal byte count); the stream cannot be resynchronized: %w", err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("the client's stream ended in the middle of a message (fewer bytes than its Content-Length): %w", err)
	}
	return err
}

// isNullIDCall reports whether msg, which jsonrpc2 decoded as a
// notification, is a request with "id": null. JSON-RPC 2.0 answers such a
// message (id null); LSP ids are integers or strings, so it is an invalid
// request. Only frames whose method is not a client notification are
// scanned, so a large didOpen or didChange is never decoded twice.
func isNullIDCall(msg jsonrpc2.Message, frame []byte) bool {
	n, ok := msg.(*jsonrpc2.Notification)
	if !ok || clientNotifications[n.Method()] || strings.HasPrefix(n.Method(), "$/") {
		return false
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(frame, &top) != nil {
		return false
	}
	_, hasID := top["id"]
	return hasID
}

// clientNotifications are the notifications a client sends a server.
var clientNotifications = map[string]bool{
	protocol.MethodInitialized:                        true,
	protocol.MethodExit:                               true,
	protocol.MethodTextDocumentDidOpen:                true,
	protocol.MethodTextDocumentDidChange:              true,
	protocol.MethodTextDocumentDidClose:               true,
	protocol.MethodTextDocumentDidSave:                true,
	protocol.MethodTextDocumentWillSave:               true,
	protocol.MethodWorkspaceDidChangeConfiguration:    true,
	protocol.MethodWorkspaceDidChangeWatchedFiles:     true,
	protocol.MethodWorkspaceDidChangeWorkspaceFolders: true,
	protocol.MethodWorkspaceDidCreateFiles:            true,
	protocol.MethodWorkspaceDidRenameFiles:            true,
	protocol.MethodWorkspaceDidDeleteFiles:            true,
	protocol.MethodWindowWorkDoneProgressCancel:       true,
	protocol.MethodNotebookDocumentDidOpen:            true,
	protocol.MethodNotebookDocumentDidChange:          true,
	protocol.MethodNotebookDocumentDidSave:            true,
	protocol.MethodNotebookDocumentDidClose:           true,
}
