// The real `Host` for resolve.ts: node's fs, process.env and the go command.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Host } from './resolve';

export function nodeHost(extensionPath: string, env: NodeJS.ProcessEnv = process.env): Host {
  const goEnvCache = new Map<string, string | undefined>();
  return {
    platform: process.platform,
    arch: process.arch,
    env,
    homedir: os.homedir(),
    extensionPath,
    isExecutable(p: string): boolean {
      try {
        const st = fs.statSync(p);
        if (!st.isFile()) return false;
        if (process.platform === 'win32') return true;
        fs.accessSync(p, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    },
    goEnv(name: string): string | undefined {
      if (goEnvCache.has(name)) return goEnvCache.get(name);
      let value: string | undefined;
      try {
        // Run outside any workspace and with GOTOOLCHAIN=local: a go.mod's
        // toolchain line must not make this lookup download a toolchain.
        value = execFileSync('go', ['env', name], {
          cwd: os.homedir(),
          env: { ...env, GOTOOLCHAIN: 'local' },
          encoding: 'utf8',
          timeout: 5000,
          stdio: ['ignore', 'pipe', 'ignore'],
        }).trim();
      } catch {
        value = undefined;
      }
      goEnvCache.set(name, value);
      return value;
    },
  };
}
