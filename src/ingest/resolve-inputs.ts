import { stat, readdir } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { BundleError } from '../errors.js';
import { messages } from '../messages.js';
import { readBundle, type Bundle } from './bundle.js';

/** One file to ingest, with the bundle it belongs to. */
export interface InputFile {
  /** Absolute path. */
  path: string;
  /** Name inside its bundle (relative to the bundle folder), or the file name. */
  name: string;
  /** Bundle folder name, when the file came from a folder. */
  bundleName: string | null;
  /** The recording's folder: the bundle folder, or the folder holding a file named on its own. */
  dir: string;
  bundle: Bundle | undefined;
  /** True when the user named the file itself (an unknown format is then an error, not a skip). */
  explicit: boolean;
}

/** Files a folder walk never ingests: the bundle description and documentation. */
function isIgnoredName(name: string): boolean {
  return name.startsWith('.') || name === 'bundle.json' || name === 'truth.json' || /\.(md|sh|yml|yaml)$/i.test(name);
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(p)));
    else if (e.isFile() && !isIgnoredName(e.name)) out.push(p);
  }
  return out;
}

/** The nearest folder at or above `dir` (up to `root`) with a bundle.json, and that bundle. */
async function nearestBundle(dir: string, root: string): Promise<{ dir: string; bundle: Bundle } | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    const bundle = await readBundle(d);
    if (bundle) return { dir: d, bundle };
    if (d === root || dirname(d) === d) return undefined;
  }
}

async function folderInputs(root: string): Promise<InputFile[]> {
  const files = await walk(root);
  const out: InputFile[] = [];
  for (const path of files) {
    const found = await nearestBundle(dirname(path), root);
    const bundleDir = found?.dir ?? dirname(path);
    out.push({
      path,
      name: relative(bundleDir, path),
      bundleName: basename(bundleDir),
      dir: bundleDir,
      bundle: found?.bundle,
      explicit: false,
    });
  }
  return out;
}

async function fileInput(path: string): Promise<InputFile> {
  const bundle = await readBundle(dirname(path));
  return { path, name: basename(path), bundleName: bundle ? basename(dirname(path)) : null, dir: dirname(path), bundle, explicit: true };
}

/**
 * Expands the user's paths (files, bundle folders, glob patterns) into the files to ingest, in a
 * stable order, each with its bundle.json when one applies.
 */
export async function resolveInputs(paths: readonly string[]): Promise<InputFile[]> {
  const out: InputFile[] = [];
  for (const given of paths) {
    if (isDynamicPattern(given)) {
      const matches = (await glob(given, { absolute: true, onlyFiles: true })).sort();
      if (matches.length === 0) throw new BundleError('ingest.globNoMatch', messages.globNoMatch(given));
      for (const m of matches) out.push(await fileInput(m));
      continue;
    }
    const path = resolve(given);
    const info = await stat(path).catch(() => undefined);
    if (!info) {
      throw new BundleError('ingest.notFound', messages.pathNotFound(given), { context: { file: given } });
    }
    out.push(...(info.isDirectory() ? await folderInputs(path) : [await fileInput(path)]));
  }
  return out;
}
