import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TraceParseError } from '../../src/errors.js';
import { messages } from '../../src/messages.js';
import { parseString } from '../../src/ingest/parse-string.js';
import { sensorsJson } from '../../src/ingest/sensors-json.js';
import type { SniffInput } from '../../src/ingest/types.js';
import { fixture, fixturePath } from '../helpers/fixtures.js';
import { fuzzTextFixture } from '../helpers/fuzz-text.js';
import { sinkToGolden } from '../helpers/golden.js';
import { hasRealTraces, realTrace } from '../helpers/real-traces.js';

function sniffText(text: string, fileName = 'x.json'): SniffInput {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '').slice(0, 64);
  return { fileName, head: new TextEncoder().encode(text), lines };
}

function parseError(text: string, options = {}): TraceParseError {
  try {
    parseString(sensorsJson, text, options);
  } catch (e) {
    if (e instanceof TraceParseError) return e;
    throw e;
  }
  throw new Error('expected a TraceParseError');
}

const doc = (celsius: number): string => `{"coretemp-isa-0000":{"Adapter": "ISA adapter","Core 0":{"temp2_input": ${celsius}}}}`;

describe('sensors-json', () => {
  describe('golden fixtures', () => {
    for (const name of ['two-socket', 'series', 'crlf-iso']) {
      it(name, async () => {
        const sink = parseString(sensorsJson, fixture('sensors-json', `${name}.json`), {}, `/rec/${name}.json`);
        await expect(sinkToGolden(sink)).toMatchFileSnapshot(fixturePath('sensors-json', `${name}.expected.csv`));
      });
    }
  });

  it('maps coretemp cores and packages per socket, other chips to the host', () => {
    const sink = parseString(sensorsJson, fixture('sensors-json', 'two-socket.json'), {}, '/rec/sensors.11242026120005.json');
    expect(sink.temps.map((r) => [r.scope, r.entity, r.celsius])).toEqual([
      ['socket', 'S0', 45], ['core', 'S0-C0', 41], ['core', 'S0-C1', 43],
      ['socket', 'S1', 39], ['core', 'S1-C0', 36], ['core', 'S1-C8', 37],
      ['host', 'acpitz-acpi-0/temp1', 27.8], ['host', 'it8686-isa-0a40/temp1', 33]]);
    expect(sink.facts.startEpochSeconds).toBe(Date.UTC(2026, 10, 24, 12, 0, 5) / 1000);
    expect(sink.facts.details).toMatchObject({ documents: 1, timeSource: 'file name' });
  });

  it('times a series from stamp lines, ISO or epoch, and skips other text', () => {
    const series = parseString(sensorsJson, fixture('sensors-json', 'series.json'));
    expect(series.facts.startEpochSeconds).toBe(1732467487.25);
    expect([...new Set(series.temps.map((r) => r.t))]).toEqual([0, 60.25]);
    const iso = parseString(sensorsJson, fixture('sensors-json', 'crlf-iso.json'));
    expect(iso.facts.startEpochSeconds).toBe(Date.UTC(2026, 10, 24, 11, 0, 0) / 1000);
    expect(iso.temps.map((r) => [r.t, r.entity])).toEqual([[0, 'S0-C0'], [0, 'S0-C1'], [30.5, 'S1-C0'], [30.5, 'S1-C1']]);
    expect(iso.skippedLines).toBe(1);
  });

  it('splits documents written back to back and steps by interval_seconds', () => {
    const sink = parseString(sensorsJson, `${doc(40)}${doc(41)}\n${doc(42)}\n`, { intervalSeconds: 60 });
    expect(sink.temps.map((r) => [r.t, r.celsius])).toEqual([[0, 40], [60, 41], [120, 42]]);
    expect(sink.facts.startEpochSeconds).toBeUndefined();
  });

  it('needs a time for every document after the first', () => {
    const e = parseError(`${doc(40)}\n${doc(41)}\n`);
    expect(e).toMatchObject({ code: 'sensors-json.noTimestamps', hint: messages.hintSensorsTimes(), context: { line: 2 } });
    expect(parseError(`1700000010\n${doc(40)}\n1700000000\n${doc(41)}\n`).code).toBe('sensors-json.timeBackwards');
  });

  it('reports broken documents', () => {
    expect(parseError(`${doc(40)}\n{"coretemp-isa-0000":{"Core 0":{"temp2_input": 4`).code).toBe('sensors-json.truncated');
    expect(parseError('{"coretemp-isa-0000":{"Core 0":{"temp2_input": "hot"}}}').code).toBe('sensors-json.badNumber');
    expect(parseError('{"a": [1,]}').code).toBe('sensors-json.badJson');
    expect(parseError('{"acpitz-acpi-0":{"Adapter": "ACPI interface"}}').code).toBe('sensors-json.noRecords');
  });

  it('sniffs sensors -j and nothing else', () => {
    expect(sensorsJson.sniff(sniffText(fixture('sensors-json', 'two-socket.json')))).toBe(3);
    expect(sensorsJson.sniff(sniffText(fixture('sensors-json', 'crlf-iso.json')))).toBe(3);
    expect(sensorsJson.sniff(sniffText('{"reports": [\n {"timestamp":"2021-07-12T11:33:13.520","groups":{}}\n'))).toBe(0);
    expect(sensorsJson.sniff(sniffText('time,zone,name,energy_uj,max_energy_range_uj\n'))).toBe(0);
  });

  it('survives truncation, byte flips and shuffled lines', () => {
    fuzzTextFixture(sensorsJson, fixture('sensors-json', 'series.json'));
  });
});

describe.skipIf(!hasRealTraces)('sensors-json on peakler-cluster-coretemp (19 nodes, 1/min)', () => {
  let dir = '';
  let files: string[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'vheat-sensors-'));
    execFileSync('tar', ['-xzf', realTrace('peakler-cluster-coretemp', 'default-sensors-json.tar.gz'), '-C', dir]);
    const results = join(dir, 'default', 'results');
    files = readdirSync(results).filter((d) => d.endsWith('-sensors'))
      .flatMap((d) => readdirSync(join(results, d)).map((f) => join(results, d, f))).sort();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every snapshot: four cores of package 0, time from the file name', () => {
    expect(files).toHaveLength(9034);
    let rows = 0;
    let parsedSum = 0;
    let rawSum = 0;
    const entities = new Set<string>();
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const sink = parseString(sensorsJson, text, {}, file);
      rows += sink.temps.length;
      for (const r of sink.temps) {
        parsedSum += r.celsius;
        entities.add(`${r.scope}:${r.entity}`);
      }
      // independent re-read: every `tempN_input` number in the raw text
      for (const m of text.matchAll(/"temp\d+_input":\s*([\d.]+)/g)) rawSum += Number(m[1]);
      const stamp = /sensors\.(\d\d)(\d\d)(\d{4})(\d\d)(\d\d)(\d\d)\.json$/.exec(file)!;
      const [mo, d, y, h, mi, s] = stamp.slice(1).map(Number) as [number, number, number, number, number, number];
      expect(sink.facts.startEpochSeconds).toBe(Date.UTC(y, mo - 1, d, h, mi, s) / 1000);
    }
    expect(rows).toBe(4 * 9034);
    expect([...entities].sort()).toEqual(['core:S0-C0', 'core:S0-C1', 'core:S0-C2', 'core:S0-C3']);
    expect(Math.abs(parsedSum - rawSum) / rawSum).toBeLessThan(1e-9);
    expect(parsedSum / rows).toBeGreaterThan(25);
    expect(parsedSum / rows).toBeLessThan(50);
  });

  it('reads one node as a series when the snapshots are joined after stamp lines', () => {
    const node = files.filter((f) => f.includes('/10-10-1-10-sensors/'));
    const stamps = node.map((f) => {
      const [, mo, d, y, rest] = /sensors\.(\d\d)(\d\d)(\d{4})(\d{6})\.json$/.exec(f)!;
      return new Date(`${y}-${mo}-${d}T${rest!.slice(0, 2)}:${rest!.slice(2, 4)}:${rest!.slice(4)}Z`).getTime() / 1000;
    });
    const text = node.map((f, i) => `${stamps[i]}\n${readFileSync(f, 'utf8')}`).join('');
    const sink = parseString(sensorsJson, text);
    expect(node).toHaveLength(482);
    expect(sink.temps).toHaveLength(4 * 482);
    expect(sink.facts.startEpochSeconds).toBe(stamps[0]);
    expect(sink.temps.at(-1)!.t).toBe(stamps.at(-1)! - stamps[0]!);
    // 15:45:01 .. 23:46:02 local time of the recording
    expect(sink.temps.at(-1)!.t).toBe(8 * 3600 + 61);
  });
});
