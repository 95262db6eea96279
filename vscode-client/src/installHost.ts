// The facts install.ts plans from, gathered with node: the go command and the
// open folders' go.mod files.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type InstallFacts, isGolensClone, MODULE } from './install';

function goOk(args: string[], timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    // Outside any workspace and with GOTOOLCHAIN=local: a go.mod's toolchain
    // line must not make this look-up download a toolchain.
    execFile(
      'go',
      args,
      { cwd: os.homedir(), env: { ...process.env, GOTOOLCHAIN: 'local' }, timeout: timeoutMs, windowsHide: true },
      (err) => resolve(!err),
    );
  });
}

/** The folder is a golens clone: its go.mod declares golens and cmd/golens exists. */
export function folderIsGolensClone(folder: string): boolean {
  try {
    const goMod = fs.readFileSync(path.join(folder, 'go.mod'), 'utf8');
    return isGolensClone(goMod) && fs.statSync(path.join(folder, 'cmd', 'golens')).isDirectory();
  } catch {
    return false;
  }
}

export async function installFacts(folders: string[]): Promise<InstallFacts> {
  const goAvailable = await goOk(['version'], 10_000);
  if (!goAvailable) return { goAvailable, clones: [] };
  const clones = folders.filter(folderIsGolensClone);
  if (clones.length > 0) return { goAvailable, clones };
  // Asks the module proxy whether golens is published: offline or not
  // published, it fails, and the offer explains instead of running go install.
  const published = await goOk(['list', '-m', `${MODULE}@latest`], 20_000);
  return { goAvailable, clones, published };
}
