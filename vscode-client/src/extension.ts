// The thin VS Code client for golens: finds the golens binary, starts it over
// stdio with vscode-languageclient, keeps its settings in sync, and adds three
// commands. Every concurrency feature (hover, inlay hints, checks, quick fixes,
// pattern completions) comes from the server.
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  ExecuteCommandRequest,
  LanguageClient,
  type LanguageClientOptions,
  type ServerOptions,
  State,
} from 'vscode-languageclient/node';
import { findLeaksMiddleware, registerLeakCommands } from './leaks';
import { registerConcurrencyMap } from './concurrencyMap';
import { nodeHost } from './nodeHost';
import { offerInstall, registerInstall } from './installOffer';
import { describe, resolveServer } from './resolve';
import { didChangeConfigurationSettings, serverOptions, type SettingsReader } from './settings';

const SECTION = 'golens';
/** The server-side command behind "golens: Explain the Construct at the Cursor". */
const SERVER_EXPLAIN_COMMAND = 'golens.explainAt';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;
let extensionPath = '';
/** Serialises start/stop/restart so two triggers never race. */
let lifecycle: Promise<void> = Promise.resolve();

function settings(): SettingsReader {
  return vscode.workspace.getConfiguration(SECTION);
}

function currentOptions() {
  return serverOptions(settings(), { trusted: vscode.workspace.isTrusted });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  extensionPath = context.extensionPath;
  // languageclient 11 logs through LogOutputChannel methods (error, info, ...): the
  // channel must be created with { log: true }.
  output = vscode.window.createOutputChannel('golens', { log: true });
  context.subscriptions.push(output);

  context.subscriptions.push(
    vscode.commands.registerCommand('golens.restartServer', () => queue(restart)),
    vscode.commands.registerCommand('golens.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('golens.explainAtCursor', explainAtCursor),
    vscode.workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, explanationProvider),
    vscode.workspace.onDidChangeConfiguration(onConfigurationChanged),
    // Trust granted: the typed tier may now run the go command; restart so the
    // server starts again with typedTier on (if the setting allows it).
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      output.info('workspace trust granted: restarting golens with the typed tier allowed');
      scheduleRestart();
    }),
  );
  registerInstall(context, output, scheduleRestart);

  registerLeakCommands(context, () => client, () => output);
  registerConcurrencyMap(context, () => client, output);
  await queue(start);
}

export async function deactivate(): Promise<void> {
  if (restartTimer) clearTimeout(restartTimer);
  await queue(stop);
}

let restartTimer: ReturnType<typeof setTimeout> | undefined;
/**
 * Restarts soon, once: granting trust also changes the effective settings (the
 * workspace's values now apply), and both events should cost one restart.
 */
function scheduleRestart(): void {
  if (restartTimer) clearTimeout(restartTimer);
  restartTimer = setTimeout(() => {
    restartTimer = undefined;
    void queue(restart);
  }, 250);
}

function queue(step: () => Promise<void>): Promise<void> {
  lifecycle = lifecycle.then(step, step).catch((err) => {
    output.error(`golens: ${err instanceof Error ? err.message : String(err)}`);
  });
  return lifecycle;
}

async function start(): Promise<void> {
  if (client) return;
  // In an untrusted workspace VS Code hides workspace values of golens.server.path
  // (restrictedConfigurations), so a cloned repository cannot pick our binary.
  const configured = settings().get<string>('server.path');
  const found = resolveServer(configured, nodeHost(extensionPath));
  for (const w of found.warnings) output.warn(w);
  if (!found.found) {
    output.error(describe(found));
    void offerInstall(output);
    return;
  }
  output.info(describe(found));

  // No `transport` on purpose: with TransportKind.stdio languageclient appends a
  // `--stdio` argument, and `golens` with no arguments is already the stdio server.
  const server: ServerOptions = {
    run: { command: found.path, args: [] },
    debug: { command: found.path, args: [] },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'go' },
      { scheme: 'untitled', language: 'go' },
    ],
    outputChannel: output,
    traceOutputChannel: output,
    // Evaluated at every (re)start, so trust and settings are current.
    initializationOptions: () => currentOptions(),
    middleware: {
      executeCommand: findLeaksMiddleware(() => client, () => output),
      workspace: {
        // Pull model: answer the `golens` section with the same shape as the
        // initialization options (with typedTier forced off when untrusted).
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) return answers;
          return params.items.map((item, i) =>
            item.section === SECTION ? currentOptions() : answers[i],
          );
        },
      },
    },
  };
  const c = new LanguageClient(SECTION, 'golens', server, clientOptions);
  client = c;
  try {
    await c.start();
    output.info(`golens started (${vscode.workspace.isTrusted ? 'trusted' : 'untrusted: syntax tier only'})`);
  } catch (err) {
    client = undefined;
    output.error(`golens failed to start: ${err instanceof Error ? err.message : String(err)}`);
    void vscode.window
      .showErrorMessage(`golens failed to start (${found.path}). See the golens output for details.`, 'Show Output')
      .then((pick) => {
        if (pick) output.show(true);
      });
  }
}

async function stop(): Promise<void> {
  const c = client;
  client = undefined;
  if (c && c.state !== State.Stopped) {
    try {
      await c.stop(5000);
    } catch (err) {
      output.warn(`golens did not stop cleanly: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

async function restart(): Promise<void> {
  await stop();
  await start();
}

function onConfigurationChanged(e: vscode.ConfigurationChangeEvent): void {
  if (!e.affectsConfiguration(SECTION)) return;
  if (e.affectsConfiguration(`${SECTION}.server.path`)) {
    output.info('golens.server.path changed: restarting');
    scheduleRestart();
    return;
  }
  if (!client) return;
  if (client.state !== State.Running) return;
  void client
    .sendNotification(DidChangeConfigurationNotification.type, {
      settings: didChangeConfigurationSettings(settings(), { trusted: vscode.workspace.isTrusted }),
    })
    .catch((err) => output.warn(`could not send the new settings: ${String(err)}`));
}

async function explainAtCursor(): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor || editor.document.languageId !== 'go') {
    void vscode.window.showInformationMessage('golens: put the cursor in a Go file first.');
    return;
  }
  if (!client || client.state !== State.Running) {
    void vscode.window.showWarningMessage('golens is not running.', 'Show Output').then((pick) => {
      if (pick) output.show(true);
    });
    return;
  }
  const pos = editor.selection.active;
  let markdown: unknown;
  try {
    // Sent directly: languageclient also registers a VS Code command named after
    // the server's command, which is why ours has a different name.
    markdown = await client.sendRequest(ExecuteCommandRequest.type, {
      command: SERVER_EXPLAIN_COMMAND,
      arguments: [
        {
          textDocument: { uri: client.code2ProtocolConverter.asUri(editor.document.uri) },
          position: { line: pos.line, character: pos.character },
        },
      ],
    });
  } catch (err) {
    output.error(`${SERVER_EXPLAIN_COMMAND} failed: ${err instanceof Error ? err.message : String(err)}`);
    void vscode.window.showErrorMessage('golens could not explain this: see the golens output.');
    return;
  }
  if (typeof markdown !== 'string' || markdown.trim() === '') {
    void vscode.window.showInformationMessage('golens has nothing to explain here');
    return;
  }
  // A read-only virtual document: the preview shows it, and closing it never asks to save.
  const wordRange = editor.document.getWordRangeAtPosition(pos);
  const word = (wordRange && editor.document.getText(wordRange).replace(/[^\w]/g, '')) || 'construct';
  const uri = vscode.Uri.from({
    scheme: EXPLAIN_SCHEME,
    path: `/golens explains ${word}.md`,
    query: String(++explainCount),
  });
  explanations.set(uri.toString(), markdown);
  if (explanations.size > 50) explanations.delete(explanations.keys().next().value as string);
  try {
    await vscode.commands.executeCommand('markdown.showPreview', uri);
  } catch {
    // The built-in markdown extension may be disabled: show the source instead.
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    await vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }
}

const EXPLAIN_SCHEME = 'golens-explain';
let explainCount = 0;
/** The latest explanations shown, by virtual document URI (a few KB each). */
const explanations = new Map<string, string>();
const explanationProvider: vscode.TextDocumentContentProvider = {
  provideTextDocumentContent: (uri) => explanations.get(uri.toString()) ?? '',
};
