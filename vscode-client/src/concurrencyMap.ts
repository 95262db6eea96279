// "golens: Show Concurrency Map": a webview beside the editor showing the map
// the server draws (golens.map) of the function at the cursor or the package.
// It follows the cursor, refreshes on edits, and jumps to the line of a clicked
// node or edge. Works in untrusted workspaces: the server then maps from syntax.
import * as vscode from 'vscode';
import { ExecuteCommandRequest, type LanguageClient, State } from 'vscode-languageclient/node';
import { byteColumnToCharacter, makeNonce, mapBody, mapPage, type MapResult, type PageMessage } from './mapHtml';

/** The client-side command; the server's "map" code lens runs it too. */
export const SHOW_MAP_COMMAND = 'golens.showConcurrencyMap';
/** The server-side command that draws the map. */
const SERVER_MAP_COMMAND = 'golens.map';
const FOLLOW_DELAY_MS = 300;

interface LensArgument {
  textDocument?: { uri?: string };
  position?: { line: number; character: number };
}

export function registerConcurrencyMap(
  context: vscode.ExtensionContext,
  getClient: () => LanguageClient | undefined,
  output: vscode.LogOutputChannel,
): void {
  const view = new MapView(getClient, output);
  context.subscriptions.push(
    view,
    vscode.commands.registerCommand(SHOW_MAP_COMMAND, (arg?: LensArgument) => view.show(arg)),
  );
}

class MapView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private nonce = '';
  private document: vscode.TextDocument | undefined;
  private position: vscode.Position | undefined;
  private scope: 'function' | 'package' = 'function';
  private lastShown = '';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private generation = 0;
  private readonly listeners: vscode.Disposable[] = [];

  constructor(
    private readonly getClient: () => LanguageClient | undefined,
    private readonly output: vscode.LogOutputChannel,
  ) {
    this.listeners.push(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (!this.panel || e.textEditor.document.languageId !== 'go') return;
        this.document = e.textEditor.document;
        this.position = e.selections[0]?.active;
        this.schedule();
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.panel && e.document === this.document) this.schedule();
      }),
    );
  }

  async show(arg?: LensArgument): Promise<void> {
    if (arg?.textDocument?.uri) {
      const uri = vscode.Uri.parse(arg.textDocument.uri);
      this.document = await vscode.workspace.openTextDocument(uri);
      const p = arg.position ?? { line: 0, character: 0 };
      this.position = new vscode.Position(p.line, p.character);
      this.scope = 'function';
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor || editor.document.languageId !== 'go') {
        void vscode.window.showInformationMessage('golens: open a Go file to see its concurrency map.');
        return;
      }
      this.document = editor.document;
      this.position = editor.selection.active;
    }
    if (!this.panel) {
      this.nonce = makeNonce();
      this.panel = vscode.window.createWebviewPanel(
        'golens.concurrencyMap',
        'Concurrency Map',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        // No local resources at all: the page is self-contained.
        { enableScripts: true, localResourceRoots: [], retainContextWhenHidden: true },
      );
      this.panel.webview.html = mapPage(this.nonce);
      this.panel.webview.onDidReceiveMessage((m: PageMessage) => this.onMessage(m));
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.lastShown = '';
      });
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    this.lastShown = '';
    await this.refresh();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.refresh();
    }, FOLLOW_DELAY_MS);
  }

  private async refresh(): Promise<void> {
    const client = this.getClient();
    const doc = this.document;
    if (!this.panel || !doc) return;
    if (!client || client.state !== State.Running) {
      this.post({ title: 'golens is not running', html: '<p class="empty">golens is not running: see the golens output.</p>' });
      return;
    }
    const gen = ++this.generation;
    let res: MapResult;
    try {
      res = (await client.sendRequest(ExecuteCommandRequest.type, {
        command: SERVER_MAP_COMMAND,
        arguments: [
          {
            textDocument: { uri: client.code2ProtocolConverter.asUri(doc.uri) },
            position: this.position ? { line: this.position.line, character: this.position.character } : undefined,
            scope: this.scope,
            format: 'svg',
          },
        ],
      })) as MapResult;
    } catch (err) {
      this.output.error(`${SERVER_MAP_COMMAND} failed: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    if (gen !== this.generation || !this.panel || !res) return; // a newer request superseded this one
    this.lastFile = res.file;
    const html = mapBody(res, this.nonce);
    const key = `${res.title}\n${html}`;
    if (key === this.lastShown) return; // same function, same map: keep the view (and its scroll)
    this.lastShown = key;
    this.panel.title = res.scope === 'function' && res.function ? `Map: ${res.function}` : 'Concurrency Map';
    this.post({ title: `golens: ${res.title}`, html, scope: res.scope });
  }

  private lastFile = '';

  private post(m: { title: string; html: string; scope?: string }): void {
    void this.panel?.webview.postMessage({ type: 'show', scope: this.scope, ...m });
  }

  private async onMessage(m: PageMessage): Promise<void> {
    switch (m.type) {
      case 'ready':
        this.lastShown = '';
        await this.refresh();
        return;
      case 'scope':
        this.scope = m.scope === 'package' ? 'package' : 'function';
        this.lastShown = '';
        await this.refresh();
        return;
      case 'jump':
        await this.jump(m.file, m.line, m.col);
    }
  }

  /** Moves the cursor of the map's editor to a node's or edge's line. */
  private async jump(file: string, line: number, col: number): Promise<void> {
    if (!this.document || !Number.isFinite(line) || line < 1) return;
    const uri = !file || file === this.lastFile ? this.document.uri : vscode.Uri.file(file);
    const doc = uri.toString() === this.document.uri.toString() ? this.document : await vscode.workspace.openTextDocument(uri);
    const l = Math.min(line - 1, doc.lineCount - 1);
    const character = byteColumnToCharacter(doc.lineAt(l).text, col);
    const pos = new vscode.Position(l, character);
    // The editor the map belongs to: the visible one showing the document, else column one.
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
    const editor = await vscode.window.showTextDocument(doc, {
      viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One,
      selection: new vscode.Range(pos, pos),
      preserveFocus: false,
    });
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    for (const l of this.listeners) l.dispose();
    this.panel?.dispose();
  }
}
