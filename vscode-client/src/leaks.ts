// "golens: Find leaked goroutines in this package's tests" and the "find
// leaks" code lens above each test: both run the server's golens.findLeaks
// command (the package's tests under Go's goroutine leak detector) inside a
// progress notification with a Cancel button. The server streams $/progress
// on the token the request carries, publishes the leaks as diagnostics
// (source golens-leaks) and shows the outcome. Tests are the workspace's
// code: they never run in an untrusted workspace.
import * as vscode from 'vscode';
import {
  ExecuteCommandRequest,
  type ExecuteCommandSignature,
  type LanguageClient,
  State,
  WorkDoneProgress,
  WorkDoneProgressCancelNotification,
} from 'vscode-languageclient/node';

/** The server-side command; languageclient registers a VS Code command of this name, which the code lens runs. */
export const SERVER_FIND_LEAKS_COMMAND = 'golens.findLeaks';
/** The palette command (a different name, so it does not collide with the server's). */
export const FIND_LEAKS_COMMAND = 'golens.findLeaksInPackage';

type Getter<T> = () => T;

export function registerLeakCommands(
  context: vscode.ExtensionContext,
  client: Getter<LanguageClient | undefined>,
  output: Getter<vscode.LogOutputChannel>,
): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(FIND_LEAKS_COMMAND, () => findLeaksInPackage(client(), output())),
  );
}

/**
 * languageclient middleware: the code lens's golens.findLeaks runs with a
 * cancellable progress notification instead of languageclient's plain
 * request (whose server progress would show in the status bar only, without
 * a Cancel button).
 */
export function findLeaksMiddleware(client: Getter<LanguageClient | undefined>, output: Getter<vscode.LogOutputChannel>) {
  return (command: string, args: unknown[], next: ExecuteCommandSignature): vscode.ProviderResult<unknown> => {
    const c = client();
    if (command !== SERVER_FIND_LEAKS_COMMAND || !c) return next(command, args);
    return runFindLeaks(c, args[0], output());
  };
}

async function findLeaksInPackage(c: LanguageClient | undefined, output: vscode.LogOutputChannel): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'go' || editor.document.uri.scheme !== 'file') {
    void vscode.window.showInformationMessage('golens: open a Go file of the package whose tests should run.');
    return;
  }
  if (!c || c.state !== State.Running) {
    void vscode.window.showWarningMessage('golens is not running.');
    return;
  }
  // The tests run what is on disk.
  if (editor.document.isDirty) await editor.document.save();
  await runFindLeaks(c, { uri: c.code2ProtocolConverter.asUri(editor.document.uri) }, output);
}

let runs = 0;

async function runFindLeaks(c: LanguageClient, arg: unknown, output: vscode.LogOutputChannel): Promise<unknown> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(
      'golens: this workspace is not trusted, so golens will not run its tests. Trust the workspace to find leaked goroutines.',
    );
    return undefined;
  }
  const token = `golens-leaks-${process.pid}-${++runs}`;
  const test = (arg as { test?: string } | undefined)?.test;
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `golens: finding leaked goroutines in ${test ?? "this package's tests"}`,
      cancellable: true,
    },
    async (progress, cancel) => {
      const sub = c.onProgress(WorkDoneProgress.type, token, (v) => {
        if (v.kind !== 'end' && v.message) progress.report({ message: v.message });
      });
      const onCancel = cancel.onCancellationRequested(() => {
        void c.sendNotification(WorkDoneProgressCancelNotification.type, { token });
      });
      try {
        return await c.sendRequest(ExecuteCommandRequest.type, {
          command: SERVER_FIND_LEAKS_COMMAND,
          arguments: [arg],
          workDoneToken: token,
        });
      } catch (err) {
        // The server already showed what went wrong (timeout, cancel, refusal).
        output.warn(`${SERVER_FIND_LEAKS_COMMAND}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      } finally {
        onCancel.dispose();
        sub.dispose();
      }
    },
  );
}
