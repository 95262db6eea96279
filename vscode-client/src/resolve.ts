// Finds the golens binary. Pure: the file system, the environment and the go
// command come in through `Host`, so the order is unit-tested without VS Code.
//
// Order:
//   1. the `golens.server.path` setting (a leading `~` is the home folder);
//   2. the binary bundled in a platform VSIX: <extension>/vscode-client/bin/golens
//      (golens.exe on Windows); the universal VSIX has none;
//   3. $GOBIN/golens (or `go env GOBIN`);
//   4. <GOPATH>/bin/golens for each entry of `go env GOPATH`, then of $GOPATH,
//      then ~/go/bin (the go command's default GOPATH);
//   5. golens on PATH.

export type Source = 'setting' | 'bundled' | 'GOBIN' | 'GOPATH' | 'PATH';

export interface Host {
  platform: string; // process.platform
  arch: string; // process.arch
  env: Record<string, string | undefined>;
  homedir: string;
  /** The extension's install folder (ExtensionContext.extensionPath). */
  extensionPath: string;
  /** True when `path` is an existing regular file we may execute. */
  isExecutable(path: string): boolean;
  /** `go env NAME`, or undefined when go is missing or fails. Called lazily, at most once per name. */
  goEnv(name: string): string | undefined;
}

export interface Candidate {
  source: Source;
  path: string;
}

export type Resolution =
  | { found: true; source: Source; path: string; tried: Candidate[]; warnings: string[] }
  | { found: false; tried: Candidate[]; warnings: string[] };

/**
 * Path rules of the platform golens runs on, not of the machine that runs the
 * tests: Windows takes `\` and `/`, drive letters (`C:\`, `c:/`), UNC paths
 * (`\\server\share`) and `;` lists, and compares paths without case, as
 * macOS's default file system does too.
 */
export function pathApi(platform: string) {
  const win = platform === 'win32';
  const sep = win ? '\\' : '/';
  const normalize = (p: string): string => {
    if (!win) return p;
    const unc = /^[\\/]{2}[^\\/]/.test(p);
    let q = p.replace(/[\\/]+/g, '\\');
    if (unc) q = `\\${q}`;
    // A drive letter is one letter; C: and c: are the same drive.
    return q.replace(/^([a-zA-Z]):/, (_, d: string) => `${d.toUpperCase()}:`);
  };
  return {
    delimiter: win ? ';' : ':',
    join(...parts: string[]): string {
      return normalize(
        parts
          .filter((p) => p !== '')
          .map((p, i) => (i === 0 ? p.replace(/[\\/]+$/, '') : p.replace(/^[\\/]+|[\\/]+$/g, '')))
          .join(sep),
      );
    },
    normalize,
    isAbsolute(p: string): boolean {
      return win ? /^([a-zA-Z]:[\\/]|[\\/]{2}[^\\/])/.test(p) : p.startsWith('/');
    },
    exe(name: string): string {
      return win && !/\.exe$/i.test(name) ? `${name}.exe` : name;
    },
    /** The key two spellings of one file share: case-insensitive on Windows and macOS. */
    key(p: string): string {
      return win || platform === 'darwin' ? normalize(p).toLowerCase() : p;
    },
  };
}

/**
 * A setting value as a path: surrounding quotes (pasted from a shell) and
 * blanks dropped, `file://` URIs (with `%3A`, `%20`, UNC authorities) made
 * paths.
 */
export function settingPath(value: string, platform: string): string {
  let s = value.trim();
  if (s.length >= 2 && ((s.startsWith('"') && s.endsWith('"')) || (s.startsWith("'") && s.endsWith("'")))) {
    s = s.slice(1, -1).trim();
  }
  const m = /^file:\/\/([^/]*)(\/.*)?$/i.exec(s);
  if (m) {
    let authority = m[1];
    let path = m[2] ?? '/';
    try {
      authority = decodeURIComponent(authority);
      path = decodeURIComponent(path);
    } catch {
      return s; // malformed escapes: leave it for the "not an executable file" warning
    }
    if (authority && authority.toLowerCase() !== 'localhost') {
      s = platform === 'win32' ? `\\\\${authority}${path.replace(/\//g, '\\')}` : `//${authority}${path}`;
    } else if (/^\/[a-zA-Z]:/.test(path)) {
      s = path.slice(1); // /c:/Users -> c:/Users
    } else {
      s = path;
    }
  }
  return s;
}

function expandHome(p: string, home: string, join: (...parts: string[]) => string): string {
  if (p === '~') return home;
  if (p.startsWith('~/') || p.startsWith('~\\')) return join(home, p.slice(2));
  return p;
}

/** Resolves the server binary. `configured` is the value of `golens.server.path`. */
export function resolveServer(configured: string | undefined, host: Host): Resolution {
  const P = pathApi(host.platform);
  const exe = P.exe('golens');
  const tried: Candidate[] = [];
  const warnings: string[] = [];
  const seen = new Set<string>();

  const attempt = (source: Source, path: string): Resolution | undefined => {
    if (!path || seen.has(P.key(path))) return undefined;
    seen.add(P.key(path));
    tried.push({ source, path });
    if (host.isExecutable(path)) return { found: true, source, path, tried, warnings };
    return undefined;
  };

  // 1. The setting.
  const setting = (configured ?? '').trim();
  if (setting !== '') {
    let expanded = expandHome(settingPath(setting, host.platform), host.homedir, P.join);
    if (host.platform === 'win32') expanded = expandWindowsVariables(expanded, host.env);
    if (P.isAbsolute(expanded)) {
      const path = P.normalize(expanded);
      let r = attempt('setting', path);
      // On Windows "C:\tools\golens" means C:\tools\golens.exe, as on a command line.
      if (!r && host.platform === 'win32' && !/\.exe$/i.test(path)) r = attempt('setting', `${path}.exe`);
      if (r) return r;
      warnings.push(`golens.server.path is set to "${setting}", which is not an executable file; looking elsewhere.`);
    } else {
      // A bare name ("golens-dev") is looked up on PATH; anything else relative is ambiguous.
      if (!/[\\/]/.test(expanded)) {
        for (const dir of splitList(host.env.PATH ?? host.env.Path, P.delimiter)) {
          const r = attempt('setting', P.join(dir, host.platform === 'win32' && !/\.exe$/i.test(expanded) ? `${expanded}.exe` : expanded));
          if (r) return r;
        }
      }
      warnings.push(`golens.server.path "${setting}" is neither an absolute path nor a command on PATH; looking elsewhere.`);
    }
  }

  // 2. Bundled in a platform VSIX. VS Code installs only the VSIX whose target
  // matches this platform, so a binary there is built for it; the universal
  // VSIX has none.
  {
    const r = attempt('bundled', P.join(host.extensionPath, 'vscode-client', 'bin', exe));
    if (r) return r;
  }

  // 3. GOBIN.
  const gobin = nonEmpty(host.env.GOBIN) ?? nonEmpty(host.goEnv('GOBIN'));
  if (gobin) {
    const r = attempt('GOBIN', P.join(gobin, exe));
    if (r) return r;
  }

  // 4. GOPATH/bin: what go install uses when GOBIN is unset.
  const gopaths: string[] = [
    ...splitList(host.goEnv('GOPATH'), P.delimiter),
    ...splitList(host.env.GOPATH, P.delimiter),
  ];
  if (host.homedir) gopaths.push(P.join(host.homedir, 'go'));
  for (const gp of gopaths) {
    const r = attempt('GOPATH', P.join(gp, 'bin', exe));
    if (r) return r;
  }

  // 5. PATH.
  for (const dir of splitList(host.env.PATH ?? host.env.Path, P.delimiter)) {
    const r = attempt('PATH', P.join(dir, exe));
    if (r) return r;
  }

  return { found: false, tried, warnings };
}

function nonEmpty(s: string | undefined): string | undefined {
  const t = (s ?? '').trim();
  return t === '' ? undefined : t;
}

function splitList(s: string | undefined, delimiter: string): string[] {
  return (s ?? '')
    .split(delimiter)
    .map((x) => x.trim().replace(/^"(.*)"$/, '$1')) // Windows PATH entries may be quoted
    .filter((x) => x !== '');
}

/** %USERPROFILE%\go\bin: Windows variables, whose names have no case. */
function expandWindowsVariables(p: string, env: Record<string, string | undefined>): string {
  return p.replace(/%([^%\\/]+)%/g, (whole, name: string) => {
    const key = Object.keys(env).find((k) => k.toLowerCase() === name.toLowerCase());
    return key !== undefined && env[key] !== undefined ? (env[key] as string) : whole;
  });
}

/** A one-line human description of where golens was found, for the output channel. */
export function describe(r: Resolution): string {
  if (r.found) return `golens server: ${r.path} (from ${r.source})`;
  return `golens server not found; looked at:\n${r.tried.map((c) => `  ${c.source}: ${c.path}`).join('\n')}`;
}
