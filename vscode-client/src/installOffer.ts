// The Install offer shown when golens is not found: it runs go install in a
// terminal only when install.ts's plan says the command can work, and
// otherwise explains how to install golens. Closing the install terminal
// after a successful install starts golens.
import * as vscode from 'vscode';
import { CLONE_INSTALL, type InstallPlan, planInstall } from './install';
import { folderIsGolensClone, installFacts } from './installHost';

let installTerminal: vscode.Terminal | undefined;

/** Registers the terminal watch; `started` (re)starts golens after an install. */
export function registerInstall(context: vscode.ExtensionContext, output: vscode.LogOutputChannel, started: () => void): void {
  context.subscriptions.push(
    vscode.window.onDidCloseTerminal((t) => {
      if (t !== installTerminal) return;
      installTerminal = undefined;
      if (t.exitStatus?.code === 0) {
        output.info('go install finished: starting golens');
        started();
      }
    }),
  );
}

/** The notification shown when golens is not found. */
export async function offerInstall(output: vscode.LogOutputChannel): Promise<void> {
  const pick = await vscode.window.showWarningMessage(
    'golens: the golens language server was not found. Install it, or set "golens.server.path".',
    'Install…',
    'Open Settings',
    'Show Output',
  );
  if (pick === 'Install…') await install(output);
  else if (pick === 'Open Settings') await openSettings();
  else if (pick === 'Show Output') output.show(true);
}

async function install(output: vscode.LogOutputChannel): Promise<void> {
  // Building an open folder is only offered in a trusted workspace.
  const folders = vscode.workspace.isTrusted
    ? (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file').map((f) => f.uri.fsPath)
    : [];
  const plan = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'golens: looking for a way to install golens…' },
    async () => planInstall(await installFacts(folders)),
  );
  output.info(`install plan: ${JSON.stringify(plan)}`);
  await carryOut(plan, output);
}

async function carryOut(plan: InstallPlan, output: vscode.LogOutputChannel): Promise<void> {
  if (plan.kind === 'run') {
    runInTerminal(plan.command, plan.cwd);
    return;
  }
  const actions = plan.canChooseClone ? ['Choose a golens Clone…', 'Copy Commands', 'Open Settings'] : ['Copy Commands', 'Open Settings'];
  const pick = await vscode.window.showInformationMessage(plan.message, { modal: true, detail: plan.detail }, ...actions);
  if (pick === 'Copy Commands') {
    await vscode.env.clipboard.writeText(plan.detail);
  } else if (pick === 'Open Settings') {
    await openSettings();
  } else if (pick === 'Choose a golens Clone…') {
    const picked = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Install golens from this clone',
    });
    const folder = picked?.[0];
    if (!folder) return;
    if (folder.scheme !== 'file' || !folderIsGolensClone(folder.fsPath)) {
      output.warn(`${folder.fsPath} is not a golens clone (its go.mod does not declare github.com/golens/golens)`);
      void vscode.window.showWarningMessage(`golens: ${folder.fsPath} is not a clone of golens: its go.mod does not declare github.com/golens/golens.`);
      return;
    }
    runInTerminal(CLONE_INSTALL, folder.fsPath);
  }
}

function runInTerminal(command: string, cwd: string | undefined): void {
  installTerminal?.dispose();
  installTerminal = vscode.window.createTerminal({
    name: 'golens: install',
    cwd,
    // cmd.exe on Windows: it has `&&` whatever the user's default shell is
    // (Windows PowerShell 5 has not).
    ...(process.platform === 'win32' ? { shellPath: 'cmd.exe' } : {}),
  });
  installTerminal.show();
  // "&& exit" closes the terminal on success, which starts golens (see
  // registerInstall); on failure the terminal stays open with go's message.
  installTerminal.sendText(`${command} && exit`);
}

async function openSettings(): Promise<void> {
  await vscode.commands.executeCommand('workbench.action.openSettings', 'golens.server.path');
}
