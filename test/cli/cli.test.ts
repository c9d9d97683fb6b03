import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { schemaVersion } from '../../src/store/schema.js';
import { tempDb, vheat } from '../helpers/cli.js';

describe('vheat CLI basics', () => {
  it('reports an empty store as JSON', async () => {
    const db = tempDb();
    const run = await vheat('--db', db, '--json', 'info');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ path: db, schemaVersion, traces: [] });
  });

  it('prints a located error without a stack trace and exits with the documented code', async () => {
    const run = await vheat('--db', tempDb(), 'ingest', '/definitely/not/here');
    expect(run.code).toBe(ExitCode.bundle);
    expect(run.stderr).toBe('vheat: error[ingest.notFound]: /definitely/not/here: no such file or folder: /definitely/not/here\n');
    expect(run.stderr).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('shows the stack trace only with --debug', async () => {
    const run = await vheat('--db', tempDb(), '--debug', 'ingest', '/definitely/not/here');
    expect(run.stderr).toMatch(/BundleError: no such file or folder/);
  });

  it('prints the error as JSON for scripts with --json', async () => {
    const run = await vheat('--db', tempDb(), '--json', 'ingest', '/definitely/not/here');
    expect(JSON.parse(run.stdout)).toEqual({
      error: { code: 'ingest.notFound', message: 'no such file or folder: /definitely/not/here', file: '/definitely/not/here' },
    });
  });

  it('treats usage mistakes as exit code 2 with a suggestion', async () => {
    const typo = await vheat('--db', tempDb(), 'ingets');
    expect(typo.code).toBe(ExitCode.usage);
    expect(typo.stderr).toMatch(/Did you mean ingest\?/);
    const badChoice = await vheat('--db', tempDb(), 'export', '--format', 'xml', '--out', '/tmp/x');
    expect(badChoice.code).toBe(ExitCode.usage);
  });
});
