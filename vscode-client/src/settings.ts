// Turns the user's `golens.*` settings into the object the golens server
// accepts as `initializationOptions` and, later, as
// `workspace/didChangeConfiguration` `{ settings: { golens: <same object> } }`.
// Pure: no `vscode` import, so it is unit-tested with node's test runner.
import { type LeakOptions, leakOptions } from './leakSettings';

/** The concurrency checks the server knows, in the order the settings list them. */
export const CHECK_NAMES = [
  'unwaited',
  'closedsend',
  'nilchan',
  'unclosedrange',
  'selfdeadlock',
  'timeoutleak',
  'waitbeforedrain',
  'wgmisuse',
  'lockleak',
  'deadlock',
  'nopartner',
  'condwait',
  'cancelleak',
  'deferloop',
  'unclosedresource',
  'recoveroutside',
  'deferargs',
] as const;

export type CheckName = (typeof CHECK_NAMES)[number];

export const HINT_KINDS = ['blocking', 'defers', 'goroutines'] as const;
export type HintKind = (typeof HINT_KINDS)[number];

export interface GolensOptions {
  /** Load packages with types (go list, go/packages). Always false in an untrusted workspace. */
  typedTier: boolean;
  hints: Record<HintKind, boolean>;
  /** One switch per check, plus `skipGoplsDuplicates`. */
  checks: Record<CheckName, boolean> & { skipGoplsDuplicates: boolean };
  /** Running the tests to find leaked goroutines (see leakSettings.ts). */
  leaks: LeakOptions;
}

/**
 * Reads one setting below the `golens` section, e.g. `get('hints.blocking')`.
 * `vscode.workspace.getConfiguration('golens')` satisfies it.
 */
export interface SettingsReader {
  get<T>(key: string): T | undefined;
}

export interface Context {
  /** `vscode.workspace.isTrusted`. */
  trusted: boolean;
}

function flag(reader: SettingsReader, key: string, fallback: boolean): boolean {
  const v = reader.get<unknown>(key);
  return typeof v === 'boolean' ? v : fallback;
}

/** The server's settings object for the current configuration and trust. */
export function serverOptions(reader: SettingsReader, ctx: Context): GolensOptions {
  const hints = {} as Record<HintKind, boolean>;
  for (const kind of HINT_KINDS) {
    hints[kind] = flag(reader, `hints.${kind}`, true);
  }
  const checks = {} as Record<CheckName, boolean> & { skipGoplsDuplicates: boolean };
  for (const name of CHECK_NAMES) {
    checks[name] = flag(reader, `checks.${name}`, true);
  }
  checks.skipGoplsDuplicates = flag(reader, 'checks.skipGoplsDuplicates', true);
  return {
    // In an untrusted workspace golens must not run the go command (go list may
    // download a toolchain or run code from the module), so the syntax tier only.
    typedTier: ctx.trusted && flag(reader, 'typedTier', true),
    hints,
    checks,
    leaks: leakOptions(reader, ctx),
  };
}

/** The `settings` payload of `workspace/didChangeConfiguration`. */
export function didChangeConfigurationSettings(reader: SettingsReader, ctx: Context): { golens: GolensOptions } {
  return { golens: serverOptions(reader, ctx) };
}

/** Reads a flat map of dotted keys (`{'hints.blocking': false}`): handy for tests and callers without VS Code. */
export function mapReader(values: Record<string, unknown>): SettingsReader {
  return {
    get<T>(key: string): T | undefined {
      return values[key] as T | undefined;
    },
  };
}
