// "golens: Find leaked goroutines in this package's tests": runs the tests of
// the active Go file's package with Go's goroutine leak detector, through the
// server's golens.findLeaks command. The server reports progress (with a
// cancel button), publishes the leaks as diagnostics (source golens-leaks)
// and shows the outcome. The "find leaks" code lens above each test calls the
// same server command for one test.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient, State } from 'vscode-languageclient/node';

/** The server-side command; languageclient registers a VS Code command of this name for the code lens. */
export const SERVER_FIND_LEAKS_COMMAND = 'golens.findLeaks';
/** The palette command (a different name, so it does not collide with the server's). */
export const FIND_LEAKS_COMMAND = 'golens.findLeaksInPackage';

export function registerLeakCommands(
  context: vscode.ExtensionContext,
  client: () => LanguageClient | undefined,
  output: vscode.LogOutputChannel,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(FIND_LEAKS_COMMAND, () => findLeaksInPackage(client(), output)),
  );
}

async function findLeaksInPackage(c: LanguageClient | undefined, output: vscode.LogOutputChannel): Promise<void> {
  // Tests are the workspace's code: never run them in an untrusted workspace.
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      "golens: this workspace is not trusted, so golens will not run its tests. Trust the workspace to find leaked goroutines.",
    );
    return;
  }
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'go' || editor.document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('golens: open a Go file of the package whose tests should run.');
    return;
  }
  if (!c || c.state !== State.Running) {
    void vscode.window.showWarningMessage('golens is not running.');
    return;
  }
  if (editor.document.isDirty) {
    // The tests run what is on disk.
    await editor.document.save();
  }
  try {
    await c.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_FIND_LEAKS_COMMAND,
      arguments: [{ uri: c.code2ProtocolConverter.asUri(editor.document.uri) }],
    });
  } catch (err) {
    // The server already showed what went wrong (timeout, cancel, refusal).
    output.warn(`${SERVER_FIND_LEAKS_COMMAND}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
