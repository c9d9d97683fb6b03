import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import type { SniffInput } from './types.js';

const headBytes = 64 * 1024;
const headLines = 64;

/** Reads the first 64 KiB of a file and its first non-empty lines, for format sniffing. */
export async function readSniffInput(path: string): Promise<SniffInput> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(headBytes);
    const { bytesRead } = await handle.read(buffer, 0, headBytes, 0);
    const head = buffer.subarray(0, bytesRead);
    const text = new TextDecoder('utf-8').decode(head);
    const lines: string[] = [];
    for (const raw of text.split('\n')) {
      const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
      if (line.trim() !== '') lines.push(line);
      if (lines.length === headLines) break;
    }
    return { fileName: basename(path), head, lines };
  } finally {
    await handle.close();
  }
}
