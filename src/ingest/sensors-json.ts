import { TraceParseError, excerpt } from '../errors.js';
import { messages } from '../messages.js';
import { fileNameStampSeconds, stampLineSeconds } from './epoch.js';
import { JsonDocumentSplitter, isJsonObject, parseJsonDocument, type JsonObject } from './json-documents.js';
import type { FormatSpec, LineParser, ParseContext, SniffInput, TraceSink } from './types.js';

/**
 * lm-sensors `sensors -j` output, one snapshot or a series (temperatures, °C).
 *
 * A file holds one or more JSON documents back to back; they are split by bracket depth, so
 * memory is bounded by one document. Each document's time, in order of preference:
 * 1. a line holding only a time stamp right before it (`date +%s.%N` or `date -Iseconds`), as
 *    `while sleep 60; do date +%s.%N; sensors -j; done > temps.json` writes;
 * 2. for the first document, a 14-digit stamp in the file name (`sensors.MMDDYYYYHHMMSS.json`
 *    from a cron job running `sensors -j > sensors.$(date +%m%d%Y%H%M%S).json`, or
 *    `%Y%m%d%H%M%S`), read as UTC because the name carries no zone; else bundle.json
 *    `start_epoch_seconds`;
 * 3. the previous document's time plus `interval_seconds` (the first document is at 0 s).
 * A later document with none of these is an error (`sensors-json.noTimestamps`).
 *
 * Mapping: `coretemp-*` `Core N` → scope core, entity `S<pkg>-C<N>`, and `Package id P` (older
 * kernels: `Physical id P`) → scope socket, entity `S<P>`; pkg is the chip's `Package id`, else
 * the chip's address (`coretemp-isa-0001` → 1: coretemp's platform device id is the package).
 * Every other feature with a `tempN_input` (acpitz, nvme, k10temp Tctl/Tdie/Tccd…) → scope host,
 * entity `<chip>/<label>`.
 */
export const sensorsJson: FormatSpec = {
  name: 'sensors-json',
  description: 'lm-sensors `sensors -j` JSON, one snapshot or a series (temperatures)',
  input: 'lines',
  sniff: sniffSensorsJson,
  create: (ctx) => new SensorsJsonParser(ctx),
};

const chipLine = /^\s*\{?\s*"[\w.]+-(?:isa|pci|acpi|virtual|i2c|platform|spi|hid|mdio|scsi|sdio|host)-[0-9a-f]+"\s*:\s*\{/;

function sniffSensorsJson({ lines }: SniffInput): number {
  return lines.some((l) => chipLine.test(l)) && lines.some((l) => /"Adapter"\s*:/.test(l)) ? 3 : 0;
}

type TimeSource = 'stamp lines' | 'file name' | 'start_epoch_seconds' | 'interval' | 'none';

class SensorsJsonParser implements LineParser {
  private readonly splitter: JsonDocumentSplitter;
  private pendingStamp = NaN;
  private documents = 0;
  private start: number | undefined;
  private lastT = 0;
  private readings = 0;
  private timeSource: TimeSource = 'none';

  constructor(private readonly ctx: ParseContext) {
    this.splitter = new JsonDocumentSplitter(
      (text, line) => this.document(text, line),
      (text, line) => {
        const stamp = stampLineSeconds(text);
        if (Number.isNaN(stamp)) ctx.sink.skip(line);
        else this.pendingStamp = stamp;
      });
  }

  line(text: string, lineNo: number): void {
    this.splitter.line(text, lineNo);
  }

  private document(text: string, line: number): void {
    const value = parseJsonDocument(text, 'sensors-json', this.ctx.file, line);
    if (!isJsonObject(value)) throw this.error('sensors-json.shape', messages.noRecords('sensors-json'), line, text);
    const t = this.timeOf(line, text);
    this.documents++;
    for (const [chip, features] of Object.entries(value)) {
      if (isJsonObject(features)) this.readings += emitChip(this.ctx.sink, t, chip, features, (what, found) =>
        this.error('sensors-json.badNumber', messages.badNumber(what, found), line, text));
    }
  }

  /** Seconds from the trace start of the document beginning at `line`. */
  private timeOf(line: number, text: string): number {
    const stamp = this.anchor();
    this.pendingStamp = NaN;
    let t: number;
    if (!Number.isNaN(stamp)) {
      if (this.start === undefined) {
        this.start = stamp;
        this.ctx.sink.meta({ startEpochSeconds: stamp });
      }
      t = stamp - this.start;
    } else if (this.documents === 0) {
      t = 0;
    } else if (this.ctx.options.intervalSeconds !== undefined) {
      this.timeSource = this.timeSource === 'none' ? 'interval' : this.timeSource;
      t = this.lastT + this.ctx.options.intervalSeconds;
    } else {
      throw new TraceParseError('sensors-json.noTimestamps', messages.noTimestamps('several sensors -j documents'), {
        context: { file: this.ctx.file, line, found: excerpt(text) }, hint: messages.hintSensorsTimes(),
      });
    }
    if (t < this.lastT) throw this.error('sensors-json.timeBackwards', messages.timeBackwards(this.lastT, t), line, text);
    this.lastT = t;
    return t;
  }

  /** The absolute time of the next document, or NaN when nothing in the file gives one. */
  private anchor(): number {
    if (!Number.isNaN(this.pendingStamp)) {
      this.timeSource = 'stamp lines';
      return this.pendingStamp;
    }
    if (this.documents > 0) return NaN;
    const fromName = fileNameStampSeconds(this.ctx.file.split('/').pop() ?? '');
    if (!Number.isNaN(fromName)) {
      this.timeSource = 'file name';
      return fromName;
    }
    const extra = this.ctx.options.extra?.['start_epoch_seconds'];
    if (typeof extra === 'number') {
      this.timeSource = 'start_epoch_seconds';
      return extra;
    }
    return NaN;
  }

  end(): void {
    const open = this.splitter.openSince;
    if (open !== undefined) {
      throw new TraceParseError('sensors-json.truncated', messages.truncatedRecord('JSON document'), {
        context: { file: this.ctx.file, line: open },
      });
    }
    this.ctx.sink.meta({
      details: {
        documents: this.documents,
        timeSource: this.timeSource,
        ...(this.timeSource === 'file name' ? { timeZone: 'none in the file name; read as UTC' } : {}),
      },
    });
    if (this.readings === 0) {
      throw new TraceParseError('sensors-json.noRecords', messages.noRecords('sensors-json temperature'), {
        context: { file: this.ctx.file },
      });
    }
  }

  private error(code: string, message: string, line: number, text: string): TraceParseError {
    return new TraceParseError(code, message, {
      context: { file: this.ctx.file, line, expected: 'sensors -j JSON', found: excerpt(text.slice(0, 200)) },
    });
  }
}

/**
 * Writes the temperatures of one chip at `t` s; returns how many. `bad(what, text)` builds the
 * error for a `tempN_input` that is not a number.
 */
function emitChip(sink: TraceSink, t: number, chip: string, features: JsonObject,
  bad: (what: string, found: string) => TraceParseError): number {
  const coretemp = chip.startsWith('coretemp-');
  const pkg = coretemp ? packageOfChip(chip, features) : 0;
  let n = 0;
  for (const [label, sub] of Object.entries(features)) {
    if (!isJsonObject(sub)) continue;
    const key = Object.keys(sub).find((k) => /^temp\d+_input$/.test(k));
    if (key === undefined) continue;
    const celsius = sub[key];
    if (typeof celsius !== 'number') throw bad(`${chip} ${label} ${key}`, JSON.stringify(celsius));
    const core = coretemp ? /^Core (\d+)$/.exec(label) : null;
    const socket = coretemp ? /^(?:Package|Physical) id (\d+)$/.exec(label) : null;
    if (core) sink.temp(t, 'core', `S${pkg}-C${core[1]}`, celsius);
    else if (socket) sink.temp(t, 'socket', `S${socket[1]}`, celsius);
    else sink.temp(t, 'host', `${chip}/${label}`, celsius);
    n++;
  }
  return n;
}

/** Package of a coretemp chip: its `Package id P` feature, else the address in its name. */
function packageOfChip(chip: string, features: JsonObject): number {
  for (const label of Object.keys(features)) {
    const m = /^(?:Package|Physical) id (\d+)$/.exec(label);
    if (m) return Number(m[1]);
  }
  const address = /-([0-9a-f]+)$/.exec(chip);
  return address ? parseInt(address[1]!, 16) : 0;
}
