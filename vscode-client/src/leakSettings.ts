// The `leaks` part of the server's settings: may golens run the package's
// tests (to find leaked goroutines), and for how long. Pure: no `vscode`
// import, so it is unit-tested with node's test runner.
import type { Context, SettingsReader } from './settings';

/** Default bound of one run, in seconds (the server's default too). */
export const DEFAULT_LEAK_TIMEOUT_SECONDS = 120;

export interface LeakOptions {
  /** Tests may run, on an explicit request only. Always false in an untrusted workspace: tests are the workspace's code. */
  allowed: boolean;
  /** Seconds before the run's whole process group is killed. */
  timeout: number;
}

export function leakOptions(reader: SettingsReader, ctx: Context): LeakOptions {
  const t = reader.get<unknown>('leaks.timeout');
  return {
    allowed: ctx.trusted,
    timeout: typeof t === 'number' && Number.isFinite(t) && t > 0 ? t : DEFAULT_LEAK_TIMEOUT_SECONDS,
  };
}
