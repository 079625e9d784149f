// Running the nianbao command line from the extension (Word documents: `convert` for the text,
// `check --fix` to write the fixes). No VS Code API here, so that it is unit-tested in node.

import { execFile } from 'node:child_process';

export interface CliResult {
  /** The exit status (null when killed). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The largest output read from one run: a report's text is tens of kilobytes. */
const MAX_BUFFER = 256 * 1024 * 1024;

/** Runs `server args…` and collects its output; never rejects (a failure to start is code null). */
export function runCli(server: string, args: string[], timeoutMs = 60_000): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      server,
      args,
      { encoding: 'utf8', maxBuffer: MAX_BUFFER, timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr || (error && code === null ? error.message : '')) });
      },
    );
  });
}

/** What `check --fix` says it did, for a notification. */
export interface FixOutcome {
  /** `error`: the file could not be read or written (exit 2). */
  kind: 'fixed' | 'unchanged' | 'refused' | 'error';
  message: string;
}

/**
 * Reads the stderr and exit status of `nianbao check --fix FILE`: `nianbao: FILE: 已改正 2 处：…`
 * when it wrote fixes, `nianbao: FILE: 未改正：…` when it could not, nothing when there was
 * nothing to fix.
 */
export function fixOutcome(result: CliResult): FixOutcome {
  const lines = result.stderr.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  const strip = (l: string) => l.replace(/^nianbao: .*?: (?=已改正|未改正)/u, '');
  const fixed = lines.find((l) => /: 已改正/u.test(l));
  const refused = lines.find((l) => /: 未改正/u.test(l));
  if (result.code === 2 || result.code === null) {
    return { kind: 'error', message: lines.join('\n') || `nianbao 退出码 ${String(result.code)}` };
  }
  if (refused) return { kind: 'refused', message: strip(refused) };
  if (fixed) return { kind: 'fixed', message: strip(fixed) };
  return { kind: 'unchanged', message: '没有可以自动改正的合计。' };
}
