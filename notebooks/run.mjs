#!/usr/bin/env node
// Executes every notebook headless with Deno's Jupyter kernel into out/notebooks/ (executed
// .ipynb plus an HTML export) and exits 1 if any cell fails or a notebook shows no chart.
// `--open` starts the classic Jupyter server on notebooks/ with the same kernel instead.
//
// The kernelspec is written under out/notebooks/.jupyter and put first on JUPYTER_PATH, so it
// always runs this clone's `deno` (from the `deno` npm package) and nothing global is touched.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const notebooksDir = join(root, 'notebooks');
const outDir = join(root, 'out', 'notebooks');
const jupyterDir = join(outDir, '.jupyter');
const deno = join(root, 'node_modules', '.bin', 'deno');
/** Per-cell limit, s: each notebook is meant to run in well under a minute. */
const cellTimeoutSeconds = 300;

function fail(message) {
  process.stderr.write(`notebooks: ${message}\n`);
  process.exit(1);
}

/** Writes the `deno` kernelspec (the name the notebooks' metadata asks for) pointing at this clone's binary. */
function writeKernelspec() {
  if (!existsSync(deno)) fail(`${deno} is missing: run \`npm ci\` (the deno devDependency ships the kernel)`);
  const dir = join(jupyterDir, 'kernels', 'deno');
  mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [deno, 'jupyter', '--kernel', '--conn', '{connection_file}'],
    display_name: 'Deno (vheat)',
    language: 'typescript',
    env: { NO_COLOR: '1', DENO_NO_UPDATE_CHECK: '1' },
  };
  writeFileSync(join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 2)}\n`);
}

const env = { ...process.env, JUPYTER_PATH: [jupyterDir, process.env.JUPYTER_PATH].filter(Boolean).join(delimiter) };

/** Runs `jupyter ...args`, passing its output through; returns its exit status. */
function jupyter(args, cwd = root) {
  const r = spawnSync('jupyter', args, { cwd, env, stdio: 'inherit' });
  if (r.error) fail(`cannot run jupyter (${r.error.message}): apt-get install jupyter-nbconvert python3-nbclient`);
  return r.status ?? 1;
}

/** Number of chart outputs (vega-lite with its PNG) in an executed notebook. */
function chartCount(path) {
  const nb = JSON.parse(readFileSync(path, 'utf8'));
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['image/png']).length;
}

writeKernelspec();
mkdirSync(outDir, { recursive: true });

if (process.argv.includes('--open')) {
  process.exit(jupyter(['notebook', notebooksDir]));
}

const given = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const notebooks = given.length ? given.map((p) => resolve(p))
  : readdirSync(notebooksDir).filter((f) => f.endsWith('.ipynb')).sort().map((f) => join(notebooksDir, f));
const failed = [];
for (const nb of notebooks) {
  const name = basename(nb, '.ipynb');
  const started = Date.now();
  const executed = join(outDir, `${name}.ipynb`);
  const status = jupyter(['nbconvert', '--to', 'notebook', '--execute', `--ExecutePreprocessor.timeout=${cellTimeoutSeconds}`,
    '--output-dir', outDir, nb], dirname(nb))
    || jupyter(['nbconvert', '--to', 'html', '--output-dir', outDir, executed]);
  const charts = status === 0 ? chartCount(executed) : 0;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (status !== 0) failed.push(`${name}: a cell failed (see above)`);
  else if (charts === 0) failed.push(`${name}: no chart in the executed notebook`);
  process.stdout.write(`notebooks: ${name} ${status === 0 ? 'ok' : 'FAILED'} in ${seconds} s, ${charts} charts\n`);
}
if (failed.length) fail(`${failed.length} of ${notebooks.length} notebooks failed:\n  ${failed.join('\n  ')}`);
process.stdout.write(`notebooks: ${notebooks.length} executed into ${outDir} (.ipynb and .html)\n`);
