package server

import (
	"context"
	"sort"

	"go.lsp.dev/protocol"
)

// commandHandler answers one workspace/executeCommand command.
type commandHandler func(ctx context.Context, s *Server, params *protocol.ExecuteCommandParams) (protocol.LSPAny, error)

// commandHandlers are the commands features add with registerCommand, next
// to the built-in golens.explainAt.
var commandHandlers = map[string]commandHandler{}

// registerCommand adds a workspace/executeCommand command; call it from an
// init function of the file that implements the feature.
func registerCommand(name string, h commandHandler) { commandHandlers[name] = h }

// registeredCommands lists the registered commands' names, sorted, for the
// executeCommandProvider capability.
func registeredCommands() []string {
	names := make([]string, 0, len(commandHandlers))
	for n := range commandHandlers {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
