import { execFile } from 'node:child_process';
import { access, constants, readdir, readFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** What a command printed, and how it ended (`code` null: it could not start or timed out). */
export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The host as the probe sees it: file reads and command runs only, so tests can pass a fake
 * host. Every method answers "absent" instead of throwing (a probe asks many questions whose
 * answer is often no).
 */
export interface HostEnv {
  /** File contents, or undefined when the file is missing or unreadable (e.g. root-only). */
  readFile(path: string): Promise<string | undefined>;
  /** Entry names of a folder, sorted; [] when it is missing or unreadable. */
  listDir(path: string): Promise<string[]>;
  /** Whether the path exists (readable or not). */
  exists(path: string): Promise<boolean>;
  /** Absolute path of an executable on PATH (plus the sbin folders), or undefined. */
  which(command: string): Promise<string | undefined>;
  /** Runs a command without a shell; gives up after `timeoutMs` (default 10 s). */
  run(command: string, args: readonly string[], timeoutMs?: number): Promise<CommandResult>;
}

// Root tools (xl, xentrace, turbostat) live in sbin, which a user's PATH often lacks.
const sbin = ['/usr/local/sbin', '/usr/sbin', '/sbin'];

/** The real host, through node:fs and node:child_process. */
export const nodeHostEnv: HostEnv = {
  readFile: (path) => readFile(path, 'utf8').catch(() => undefined),
  listDir: async (path) => (await readdir(path).catch(() => [] as string[])).sort(),
  exists: (path) => access(path, constants.F_OK).then(() => true, () => false),
  async which(command) {
    const dirs = [...(process.env['PATH'] ?? '').split(delimiter).filter(Boolean), ...sbin];
    for (const dir of dirs) {
      const path = join(dir, command);
      if (await access(path, constants.X_OK).then(() => true, () => false)) return path;
    }
    return undefined;
  },
  run: (command, args, timeoutMs = 10_000) => new Promise((resolve) => {
    execFile(command, [...args], { timeout: timeoutMs, maxBuffer: 16 * 2 ** 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' && !error.killed ? error.code : null;
        resolve({ code, stdout, stderr });
      });
  }),
};
