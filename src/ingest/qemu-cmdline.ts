/** What one QEMU command line says about its VM. */
export interface QemuCommand {
  /** The guest name from `-name`, or undefined when the command has none. */
  name: string | undefined;
  /** The process id, when the dump names it (`/proc/<pid>/cmdline`, a leading `ps` pid column). */
  pid: number | undefined;
}

/**
 * Splits a shell-style command line into words: whitespace separates, `'…'` and `"…"` quote,
 * and a backslash keeps the next character (so a recorded `spike-kvm\,debug-threads=on` is one
 * word with a plain comma, as QEMU received it).
 */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let open = false;
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && i + 1 < line.length) word += line[++i];
      else word += c;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      open = true;
    } else if (c === '"' || c === "'") {
      quote = c;
      open = true;
    } else if (/\s/.test(c)) {
      if (open) words.push(word);
      word = '';
      open = false;
    } else {
      word += c;
      open = true;
    }
  }
  if (open) words.push(word);
  return words;
}

/**
 * The guest name in QEMU's `-name` value: `guest=NAME,…` (libvirt) or a leading `NAME,…`
 * (QEMU's implied key); `,,` is QEMU's escape for a comma inside a value.
 */
export function qemuNameOption(value: string): string | undefined {
  const items = value.replace(/,,/g, '\u0000').split(',').map((s) => s.replace(/\u0000/g, ','));
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.startsWith('guest=')) return item.slice(6) || undefined;
    if (i === 0 && !item.includes('=') && item !== '') return item;
  }
  return undefined;
}

/** The `-name` of an argument vector (`-name X`, `--name X`, `-name=X`). */
function nameOf(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-name' || a === '--name') return argv[i + 1] === undefined ? undefined : qemuNameOption(argv[i + 1]!);
    const m = /^--?name=(.*)$/.exec(a);
    if (m) return qemuNameOption(m[1]!);
  }
  return undefined;
}

/** The pid a dump's file name carries: `proc/31316/cmdline`, `cmdline.31316`, `31316-cmdline`. */
export function pidFromFileName(name: string): number | undefined {
  const m = /(?:^|\/)(\d+)\/cmdline$|cmdline[._-](\d+)(?:\.\w+)?$|(?:^|\/)(\d+)[._-]cmdline/.exec(name);
  const text = m?.[1] ?? m?.[2] ?? m?.[3];
  return text === undefined ? undefined : Number(text);
}

/**
 * The QEMU commands in a command-line dump: `/proc/<pid>/cmdline` (NUL-separated, one process)
 * or text with one shell-quoted command per line (a leading pid column, as `ps -o pid,args`
 * prints, is taken as the process id). Lines that do not run qemu are ignored.
 */
export function parseQemuCmdlines(text: string, fileName: string): QemuCommand[] {
  const filePid = pidFromFileName(fileName);
  if (text.includes('\u0000')) {
    const argv = text.split('\u0000').filter((a) => a !== '');
    return argv.length > 0 && /qemu/.test(argv[0]!) ? [{ name: nameOf(argv), pid: filePid }] : [];
  }
  const out: QemuCommand[] = [];
  for (const line of text.split(/\r?\n/)) {
    const words = shellWords(line);
    const lead = /^\d+$/.test(words[0] ?? '') ? Number(words.shift()) : undefined;
    if (words.length === 0 || !/qemu/.test(words[0]!)) continue;
    out.push({ name: nameOf(words), pid: lead ?? filePid });
  }
  return out;
}
