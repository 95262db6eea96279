// What the Install offer does when golens is not found. Pure: the facts (is
// go on PATH? is a golens clone open? is golens published?) come in, a plan
// comes out, so every branch is unit-tested without VS Code or a network.
//
// The rule: never run a command that cannot work. `go install …@latest` only
// works once the module is published, so it runs only when `go list -m`
// proved it is; `go install ./cmd/golens` only runs in a folder whose go.mod
// is golens's. Otherwise the offer explains both ways and runs nothing.

/** The module path of golens. */
export const MODULE = 'github.com/golens/golens';
/** Installs the published golens (works once the module is published). */
export const PUBLISHED_INSTALL = `go install ${MODULE}/cmd/golens@latest`;
/** Installs golens from a clone of its repository. */
export const CLONE_INSTALL = 'go install ./cmd/golens';
/** Where to clone golens from. */
export const REPOSITORY = 'https://github.com/golens/golens';

export interface InstallFacts {
  /** `go version` ran. */
  goAvailable: boolean;
  /** Open workspace folders that are golens clones (see isGolensClone). */
  clones: string[];
  /** `go list -m MODULE@latest` succeeded; undefined when not asked (no go). */
  published?: boolean;
}

export type InstallPlan =
  | {
      kind: 'run';
      /** Shown to the person and typed into the terminal. */
      command: string;
      /** The folder it runs in; undefined: the user's home folder. */
      cwd?: string;
      why: string;
    }
  | {
      kind: 'explain';
      message: string;
      detail: string;
      /** Offer to pick a clone folder (only useful with go installed). */
      canChooseClone: boolean;
    };

export function planInstall(f: InstallFacts): InstallPlan {
  const ways =
    `From a clone of ${REPOSITORY} (Go 1.26 or newer):\n` +
    `    git clone ${REPOSITORY}\n    cd golens\n    ${CLONE_INSTALL}\n` +
    `Once golens is published as a Go module: ${PUBLISHED_INSTALL}\n` +
    `Or install the golens VSIX for your platform (it carries golens), or set golens.server.path.\n` +
    `Then run "golens: Restart Server".`;
  if (!f.goAvailable) {
    return {
      kind: 'explain',
      message: 'golens was not found, and the go command is not on PATH, so it cannot be built here.',
      detail: `Install Go (https://go.dev/dl/), then:\n${ways}`,
      canChooseClone: false,
    };
  }
  if (f.clones.length > 0) {
    return {
      kind: 'run',
      command: CLONE_INSTALL,
      cwd: f.clones[0],
      why: `builds golens from the clone open in this window (${f.clones[0]})`,
    };
  }
  if (f.published) {
    return { kind: 'run', command: PUBLISHED_INSTALL, why: `installs the published ${MODULE}` };
  }
  return {
    kind: 'explain',
    message: `golens is not published as a Go module yet, so "${PUBLISHED_INSTALL}" cannot work.`,
    detail: ways,
    canChooseClone: true,
  };
}

/** True when a go.mod's text declares golens's module (the folder is a clone). */
export function isGolensClone(goMod: string | undefined): boolean {
  if (!goMod) return false;
  const m = /^\s*module\s+("?)([^\s"]+)\1\s*$/m.exec(goMod.replace(/\/\/.*$/gm, ''));
  return m !== null && m[2] === MODULE;
}
