/**
 * User-facing messages, one function each, so tests compare against the function instead of
 * copying strings (vega-lite's `log.message` habit).
 */

export const messages = {
  // ── parsing ──────────────────────────────────────────────────────────────────────────────
  fieldCount: (expected: string, got: number) => `expected ${expected} fields, got ${got}`,
  badNumber: (what: string, text: string) => `expected a number for ${what}, got "${text}"`,
  noRecords: (format: string) => `no ${format} records found`,
  truncatedRecord: (what: string) => `truncated ${what} at end of file`,
  badJson: (detail: string) => `invalid JSON: ${detail}`,
  timeBackwards: (prev: number, cur: number) => `time went backwards: ${cur} s after ${prev} s`,
  allZeroEnergy: (zone: string) => `energy counter ${zone} reads 0 throughout`,
  unknownFormat: () => 'could not recognise the format of this file',
  unknownFormatName: (name: string, known: readonly string[]) =>
    `unknown format "${name}"; known formats: ${known.join(', ')}`,

  // ── hints ────────────────────────────────────────────────────────────────────────────────
  hintFormatFlag: () => 'name the format with --format (see `vheat ingest --help` for the list)',
  hintXenRapl: () =>
    'dom0 on Xen usually cannot read RAPL; record energy with an external meter (IPMI, PDU) instead',

  // ── store ────────────────────────────────────────────────────────────────────────────────
  storeQueryFailed: (detail: string) => `store query failed: ${detail}`,
  storeNewer: (found: number, supported: number) =>
    `store schema version ${found} is newer than this vheat supports (${supported})`,
  storeOpenFailed: (path: string, detail: string) => `cannot open store ${path}: ${detail}`,
  storeBadMemoryLimit: (value: string) => `memory limit ${JSON.stringify(value)} is not a size`,
  hintMemoryLimit: () => 'give a number and a unit, e.g. 256MB or 2GB',

  // ── bundles and inputs ───────────────────────────────────────────────────────────────────
  pathNotFound: (path: string) => `no such file or folder: ${path}`,
  globNoMatch: (pattern: string) => `the pattern ${pattern} matched no files`,
  badBundleJson: (detail: string) => `bundle.json is invalid: ${detail}`,

  // ── perf-stat-csv / perf-stat-json ───────────────────────────────────────────────────────
  perfEnergyNoSocket: (entity: string) =>
    `cannot tell which socket ${entity} belongs to; its RAPL energy is stored with socket unknown`,
  perfEnergyNotAttributable: (entity: string, event: string) =>
    `RAPL energy is not per ${entity} (package counters are not per task or cgroup); ${event} rows dropped`,
  perfEnergyNotCounted: (entity: string, event: string) =>
    `${event} was not counted for ${entity}; those energy rows are dropped`,
  perfUnknownEnergyDomain: (event: string) => `unknown RAPL domain in ${event}; stored as a counter sample`,
  perfBadId: (text: string) => `"${text}" is not a perf stat aggregation id`,
  hintPerfTopology: () => 'give the host topology (sockets, coresPerSocket, threadsPerCore) in bundle.json',

  // ── energy and counter series (powercap, prometheus-text/-range, powerapi-hwpc) ──────────
  counterReset: (series: string) =>
    `${series} went down with no known counter range; interval dropped as a reset`,
  energyImplausible: (series: string, watts: number, max: number) =>
    `${series}: implied power ${Math.round(watts)} W is above ${max} W; interval dropped as a reset`,
  seriesRestarted: (series: string, what: string) => `${series}: ${what} changed; series restarted`,
  duplicateReading: (series: string) => `${series}: repeated reading at the same time ignored`,
  constantEnergy: (zone: string) => `energy counter ${zone} never changes`,
  noTimestamps: (what: string) => `${what} without time stamps`,

  // ── powercap ─────────────────────────────────────────────────────────────────────────────
  unknownZoneName: (zone: string, name: string) => `zone ${zone} has unknown name "${name}"; ignored`,
  hintPowercapRoot: () =>
    'energy_uj is readable by root only on kernels with the PLATYPUS fix (CVE-2020-8694); record as root',
  hintTwoReadings: () => 'energy needs at least two readings of each zone',

  // ── sensors-json ─────────────────────────────────────────────────────────────────────────
  hintSensorsTimes: () =>
    'print `date +%s.%N` before each `sensors -j`, or give interval_seconds for the file in bundle.json',

  // ── prometheus-text / prometheus-range ───────────────────────────────────────────────────
  singleScrape: () =>
    'one scrape holds cumulative totals only; no intervals were stored (concatenate START and END scrapes, each after a `date +%s.%N` line, to get deltas)',
  hintScrapeTimes: () =>
    'put a `date +%s.%N` line before each scrape, or give scrape_epoch_seconds (one per scrape) for the file in bundle.json',
  unknownPrometheusShape: () => 'neither a Prometheus API response nor a {metric: [series]} export',

  // ── turbostat ────────────────────────────────────────────────────────────────────────────
  turbostatBadColumn: (name: string) => `header line holds "${name}", which is not a turbostat column name`,
  hintTurbostatHeader: () =>
    'the header gives every following number its meaning; restore the line from the original capture',
  turbostatDefaultInterval: (seconds: number) =>
    `the file has no timestamps or Measurement interval; assuming ${seconds} s per block (set interval_seconds for the file in bundle.json)`,
  turbostatNoCpuColumn: () => 'rows carry no CPU column; per-CPU values are kept only as host totals from the summary',
  turbostatSuspect: (column: string) => `turbostat marked values of ${column} with "*" (doubtful); kept as printed`,

  // ── xen: xentrace, xentrace-format, xenalyze, xenalyze-summary, xentop, xempower, xenpm ──
  xenBadDomainMap: () => 'the domain map must take Xen domain ids to VM names (bundle.json vms[].domid and name)',
  xenBadTscHz: (hz: number) => `tsc_hz must be a positive frequency in Hz, got ${hz}`,
  xenTscHzAssumed: (hz: number) =>
    `no TSC frequency given (tsc_hz in bundle.json); assuming ${hz / 1e9} GHz like xenalyze — every time in this trace scales with that guess`,
  xenLostRecords: (pcpu: number) =>
    `trace records were lost on pCPU ${pcpu}; residency there is unknown until the next context switch`,
  xenSwitchMismatch: (count: number) =>
    `${count} context switches named another outgoing vCPU than the one tracked on that pCPU; those spans were dropped`,
  xenRunstateMismatch: (count: number) =>
    `${count} runstate changes to running named another vCPU than the pCPU's current one (scheduling units, or missing records)`,
  xenNoCpuChange: () => 'record before the first CPU-change record: its pCPU is unknown',
  xenWindowOverrun: () => 'record crosses the end of its pCPU window (CPU-change byte count)',
  xenBadCpuChange: (words: number) => `CPU-change record with ${words} data words (expected 2)`,
  xenBadCpu: (cpu: number) => `pCPU number ${cpu} is beyond any Xen host`,
  xenLateEvents: (count: number) =>
    `${count} scheduler records arrived after newer ones of other pCPUs had been processed; per-pCPU order was kept`,
  xenMergeOverflow: () =>
    'the per-pCPU reorder buffer overflowed (a pCPU stopped producing records); global time order is approximate',
  xenBeforeOrigin: (count: number) => `${count} records are older than the time origin; their times are negative`,
  xenBadPayload: (event: string) => `the fields of ${event} do not follow tools/xentrace/formats`,
  xenBadXenalyzeLine: (event: string) => `${event} line does not follow xenalyze's --dump-all format`,
  xenNoSwitches: (format: string) => `no context-switch records in this ${format} file; no residency rows`,
  xenalyzeSummaryHeader: () => 'a xenalyze summary starts with "Total time: <s> seconds (using cpu speed …)"',
  xenalyzeSummaryHz: (hz: number) =>
    `no TSC frequency given (tsc_hz in bundle.json); using the ${hz / 1e9} GHz xenalyze printed, which is its 2.4 GHz default unless --cpu-hz was set`,
  xentopIntervalAssumed: (seconds: number) =>
    `xentop -b prints no timestamps; assuming ${seconds} s between iterations (set interval_seconds for the file in bundle.json)`,
  xentopCounterDecrease: (domain: string) =>
    `counters of domain "${domain}" went down (domain restarted); that interval is dropped`,
  xempowerUnitAssumed: (unit: number) =>
    `no RAPL energy unit given (energy_unit_joules for the file in bundle.json); assuming ${unit} J per count (XeMPower's conditioning, Sandy Bridge client)`,
  xempowerBadUnit: (unit: unknown) => `energy_unit_joules must be a positive number, got ${String(unit)}`,
  xempowerNoResidency: () => 'a PMC-only XeMPower file gives counter samples; residency comes from the RAPL file of the run',
  xempowerHeader: () => 'expected the XeMPower header TSC,CPU,DOM,vCPU,<counters…>',
  xempowerNoSocket: (cpu: number) => `pCPU ${cpu} is outside the bundle topology; its RAPL readings are ignored`,
  xenpmIntervalAssumed: (seconds: number) =>
    `xenpm snapshots carry no time; assuming ${seconds} s between them (set interval_seconds for the file in bundle.json)`,
  xenpmCounterDecrease: (entity: string, counter: string) => `${entity} ${counter} went down (host rebooted?); interval dropped`,
  xenpmNoCpu: () => 'C-/P-state line before any "cpu id" line',
  hintXentraceCorrupt: () => 'the file is not a complete xentrace capture (check it was written with xentrace -D and not cut)',

  // ── KVM host traces: perf-script, trace-cmd-report, ftrace, perf-kvm-stat ───────────────
  badTracepointPayload: (event: string) => `malformed ${event} payload`,
  hintTracepointOrder: () => 'the records are not in time order: split concatenated recordings into one file each',
  kvmBadIdentity: (detail: string) => `bundle.json VM identity for KVM traces is invalid: ${detail}`,
  kvmVmInferred: (vm: string) =>
    `no VM name for some qemu threads (bundle.json vms, vmByPid or vmName); they are stored under VM "${vm}"`,
  kvmVcpuClaimedTwice: (vm: string, index: number, first: number, second: number) =>
    `vCPU ${index} of VM "${vm}" is run by threads ${first} and ${second}: several VMs share that name, `
    + 'or the VM restarted; name the VMs in bundle.json',
  kvmSwitchMismatch: (count: number) =>
    `${count} sched_switch records did not follow the previous switch on their CPU (lost records); `
    + "the spans involved end at that CPU's last record",
  tracepointEventsLost: (markers: number) =>
    `the trace marks lost records ${markers} time(s); spans running then end at the CPU's last record`,
  kvmQemuUnattributed: (seconds: number) =>
    `${seconds.toFixed(6)} s on CPU of qemu-system-* threads not attributed: without debug-threads=on, `
    + 'vCPU and main-loop threads share that name',
  kvmExitUnparsed: () => 'kvm_exit payload not understood (not x86?); counted as kvm:kvm_exit without a reason',
  ftraceOverwritten: (lost: number) =>
    `the ring buffer overwrote ${lost} events before the file was read; CPUs marked "buffer started" begin late`,
  kvmStatTotalMismatch: (sum: number, total: number) => `the report's rows add up to ${sum} samples, its total says ${total}`,
  kvmStatEmpty: () => 'perf kvm stat report holds no events (Total Samples:0): no kvm_exit/kvm_entry pairs were recorded',
  kvmStatLostEvents: (lost: number) => `perf lost ${lost} events while recording; the counts are lower bounds`,

  // ── generate (synthetic recordings) ───────────────────────────────────────────────────────
  badScenario: (source: string, detail: string) => `scenario ${source} is invalid: ${detail}`,
  unknownScenario: (name: string, known: readonly string[]) =>
    `unknown scenario "${name}"; shipped scenarios: ${known.join(', ')} (or give a .json file)`,
  scenarioUnreadable: (path: string, detail: string) => `cannot read scenario file ${path}: ${detail}`,
  outDirNotEmpty: (dir: string) => `output folder ${dir} already holds files`,
  outDirUnusable: (dir: string, detail: string) => `cannot write into ${dir}: ${detail}`,
  badDuration: (text: string) => `"${text}" is not a duration`,
  missingOption: (flag: string) => `${flag} is required`,

  // ── perf-stat-human ──────────────────────────────────────────────────────────────────────
  perfHumanMissingEvent: (unit: string) =>
    `a record ended after its value and unit (${unit}) but the next line does not hold its event name`,

  // ── charts ───────────────────────────────────────────────────────────────────────────────
  unknownChartKind: (name: string, known: readonly string[]) =>
    `unknown chart kind "${name}"; known kinds: ${known.join(', ')}`,
  unknownChartTheme: (name: string, known: readonly string[]) =>
    `unknown chart theme "${name}"; known themes: ${known.join(', ')}`,
  badChartData: (kind: string, detail: string) => `the data for a ${kind} chart is invalid: ${detail}`,
  chartNoData: (kind: string) => `a ${kind} chart needs at least one data point`,
  chartFontMissing: (file: string) => `font file ${file} not found; charts need it to draw text`,
  hintChartFonts: () => 'install the Debian package fonts-dejavu-core, or set VHEAT_FONT_DIR to a folder with the DejaVu TTFs',
  chartBadOut: (path: string) => `cannot tell the chart format from ${path}; end the file name with .svg, .png, .pdf or .json`,
  chartDataUnreadable: (path: string, detail: string) => `cannot read chart data ${path}: ${detail}`,
  chartNeedsData: (kind: string) => `vheat cannot read the data of ${kind} charts from the store; give it with --data FILE.json`,
  chartTraceNotFound: (selector: string) => `no trace or bundle "${selector}" in the store`,
  chartTraceAmbiguous: (selector: string, traces: readonly string[]) =>
    `"${selector}" selects ${traces.length} traces with per-core or per-CPU temperatures (${traces.join(', ')}), but a heatmap shows one`,
  chartNoTemps: (trace: string) => `trace ${trace} holds no per-core or per-CPU temperatures`,
  chartStoreNoTemps: () => 'no trace in the store holds per-core or per-CPU temperatures; ingest a turbostat, sensors -j or xenpm file first',
  chartKindDefined: (name: string) => `the chart kind ${name} is already defined; pass { override: true } to replace it`,
  chartPickTrace: (ids: readonly number[]) =>
    `several traces hold per-core temperatures (ids ${ids.join(', ')}); choose one with --trace`,
  chartNeedsModel: (kind: string) => `a ${kind} chart needs an energy model: give --model FILE (from vheat calibrate)`,
  chartNoRuns: () => 'no replay runs in the store; run `vheat compare` (or `vheat replay`) first',
  chartNoAttribution: () => 'no per-VM energy attribution in the store; run `vheat attribute` first',
  chartIdNotFound: (what: string, selector: string) => `no ${what} with id "${selector}" in the store`,
  chartIdAmbiguous: (what: string, selector: string, ids: readonly string[]) =>
    `"${selector}" starts the ids of ${ids.length} ${what}s (${ids.slice(0, 5).join(', ')}${ids.length > 5 ? ', …' : ''}); give more of the id`,
  chartNoSeries: (what: string) =>
    `${what} kept no per-interval series (vheat compare keeps none); replay a run with \`vheat replay\` to keep them`,

  // ── thermal model fit ────────────────────────────────────────────────────────────────────
  thermalNoTraces: () => 'no traces given to fit the thermal model to',
  thermalUnknownTrace: (id: number) => `no trace with id ${id} in the store`,
  thermalNoTimeAnchor: (id: number) =>
    `trace ${id} has no absolute start time, so its clock cannot be aligned with the other traces`,
  hintThermalOneTrace: () => 'fit from one trace at a time, or record every file with absolute timestamps',
  thermalNoTemperatures: () =>
    'no core temperatures recorded alongside RAPL package energy; using the default (HotSpot-like) thermal parameters',
  thermalNoReadings: () => 'the series holds no core temperature reading to fit the thermal model to',
  hintThermalDefaults: () => 'calibrateThermal falls back to defaultThermalParams when a recording has no temperatures',
  thermalNoPower: (socket: number) => `socket ${socket} has temperatures but no RAPL package energy; it is left out of the fit`,
  thermalEvenSplit: (socket: number) =>
    `socket ${socket}: which CPU belongs to which core is unknown, so core power is spread evenly over its cores`,
  thermalPackageByBusy: (socket: number) =>
    `socket ${socket}: no RAPL core domain, so all package power is distributed over its cores by Busy%`,
  thermalNotIdentifiable: (r2: number, rmse: number, std: number) =>
    `the recorded temperatures hardly follow the recorded power (R² ${r2.toFixed(2)}: fit RMSE ${rmse.toFixed(2)} °C against ` +
    `${std.toFixed(2)} °C spread of the readings), so this recording cannot identify the thermal parameters; ` +
    'they stay near the defaults (record a workload that changes load for minutes at a time)',

  // ── thermal parameter files (fit-thermal, --thermal) and the recorded-power replay ─────────
  thermalFileNewer: (found: number, supported: number) =>
    `thermal parameter file version ${found} is newer than this vheat reads (${supported})`,
  thermalFileInvalid: (field: string, detail: string, issues: number) =>
    `thermal parameter file field ${field}: ${detail}${issues > 1 ? ` (and ${issues - 1} more problem${issues > 2 ? 's' : ''})` : ''}`,
  thermalFileUnreadable: (file: string, detail: string) => `cannot read thermal parameter file ${file}: ${detail}`,
  hintThermalFile: () =>
    'thermal parameter files are written by `vheat fit-thermal --out`; by hand: {"format": "vheat-thermal-params", "version": 1, "params": {…}}',
  thermalFromFile: (file: string, fitRmse: number | null) =>
    `thermal parameters from ${file}${fitRmse === null ? '' : ` (fitted there with RMSE ${fitRmse.toFixed(3)} °C)`}`,
  thermalFromFit: (rmse: number, readings: number) =>
    `thermal parameters fitted to this recording's core temperatures (RMSE ${rmse.toFixed(3)} °C over ${readings} readings)`,
  thermalFromDefaults: () => 'thermal parameters: the documented HotSpot-like defaults (heatsink time constant 14 s, ambient 45 °C)',
  powerReplayNothing: (selector: string) =>
    `the recording "${selector}" has no socket with both RAPL package energy and core temperatures, so there is no recorded power to replay`,
  hintPowerReplay: () =>
    'record core temperatures (turbostat CoreTmp, sensors -j) with RAPL energy; a recording with a scheduling trace replays with --model',
  powerReplayNote: () =>
    'no energy model given: the recorded package power (cores by Busy% share, the rest into the heatsink) drives the thermal model, ' +
    'so the energy check tests the replay\'s accounting and the temperature check the thermal model',
  // ── replay fidelity (core-domain split of the heat) ────────────────────────────────────────
  replayCoreModelCalibrated: (traces: readonly string[], rmseWatts: number | null) =>
    `no --core-model: a core-domain model was calibrated on the package model's training traces (${traces.join(', ')}` +
    `${rmseWatts === null ? '' : `; RMSE ${rmseWatts.toFixed(3)} W`}), so cores are heated by core-domain power and the heatsink by the rest, ` +
    'as the thermal fit splits the recorded power',
  replayNoCoreModel: (detail: string) =>
    `no --core-model and none could be calibrated (${detail}): cores take all dynamic package power, unlike the thermal fit, ` +
    'which gives them the RAPL core domain; pass --core-model for temperatures as the fit models them',
  replayTrainingMissing: () => 'the package model\'s training traces are not in this store',
  replayNoModel: () => 'replay needs an energy model (--model) to turn the recorded vCPU demand into power',
  hintReplayNoModel: () =>
    'calibrate one with `vheat calibrate --out model.json`; a recording with only RAPL energy and temperatures can be checked with `vheat replay --validate` and no --model',

  // ── record ───────────────────────────────────────────────────────────────────────────────
  recordBadDuration: (text: string) => `expected a duration of whole seconds ≥ 1 such as 30s or 5m, got "${text}"`,
  recordBadInterval: (text: string) => `expected an interval of at least 10 ms such as 100ms or 1s, got "${text}"`,
  recordUnknownVm: (name: string, known: readonly string[]) =>
    `no running VM is called "${name}"; found: ${known.length > 0 ? known.join(', ') : 'none'}`,
  recordOutNotEmpty: (dir: string) => `the output folder ${dir} is not empty`,
  hintRecordOut: () => 'name a new or empty folder with --out, so recordings never mix',
  recordFailed: (recorders: readonly string[]) => `recorder${recorders.length === 1 ? '' : 's'} failed: ${recorders.join(', ')}`,
  hintRecordFailed: (dir: string) => `their messages are above; ${dir} holds what the other recorders wrote`,

  // ── VM identity and derived per-VM samples ───────────────────────────────────────────────
  vmFromBundle: () => 'bundle.json',
  vmFromQemuName: (name: string, file: string) => `-name ${name} in ${file}`,
  vmFromThreads: (file: string, summary: string) => `${file}: ${summary}`,
  vmThreadSummary: (pid: number | undefined, vcpuTids: readonly number[], helpers: number, cgroup: string | undefined) =>
    [pid === undefined ? undefined : `pid ${pid}`, vcpuTids.length ? `vCPU threads ${vcpuTids.join(' ')}` : undefined,
      helpers ? `${helpers} other thread${helpers > 1 ? 's' : ''}` : undefined, cgroup === undefined ? undefined : `cgroup ${cgroup}`]
      .filter((s) => s !== undefined).join(', '),
  vmFromCgroup: (component: string) => `cgroup path ${component}`,
  vmFromXlList: (domid: number, file: string) => `domain ${domid} in ${file}`,
  vmFromXenDomid: (domid: number) => `Xen domain id ${domid} in the traces, no name given`,
  vmFromTraceName: (name: string) => `named "${name}" in the traces`,
  vmFromMadeUpName: (pid: number | undefined) => (pid === undefined
    ? 'name made up for qemu threads of an unidentified VM (the trace prints no process ids)'
    : `name made up for the threads of qemu process ${pid}`),
  vmConfirm: () => 'confirm these, or name the VMs in bundle.json (vms[]: name with pid, cgroup or domid)',
  residencySplitNoResidency: (events: readonly string[]) =>
    `no per-VM rows for ${events.join(', ')}: they were counted per CPU only and the recording has no residency to split them by`,
  residencySplitNoClock: (countsTrace: number, residencyTrace: number, events: readonly string[]) =>
    `no per-VM rows for ${events.join(', ')} of trace ${countsTrace}: it and the residency (trace ${residencyTrace}) `
    + 'lack absolute start times to align them (give start_epoch_seconds for the files in bundle.json)',
  // ── model (calibrate, evaluate) ──────────────────────────────────────────────────────────
  noTraceMatch: (sel: string, traces: number) => `no trace matches "${sel}" (the store holds ${traces} traces)`,
  modelNewer: (found: number, supported: number) => `model file version ${found} is newer than this vheat reads (${supported})`,
  modelInvalid: (field: string, detail: string, issues: number) =>
    `model file field ${field}: ${detail}${issues > 1 ? ` (and ${issues - 1} more problem${issues > 2 ? 's' : ''})` : ''}`,
  modelUnreadable: (file: string, detail: string) => `cannot read model file ${file}: ${detail}`,
  cannotWrite: (file: string, detail: string) => `cannot write ${file}: ${detail}`,
  modelEventMissing: (event: string, trace: string) => `trace ${trace} has no ${event} counts, which the model needs`,
  modelBadOption: (name: string, value: string) => `invalid ${name}: ${value}`,
  modelTestInTraining: (trace: string) => `trace ${trace} is selected for both training and test`,
  modelNoEnergy: (domain: string, traces: readonly string[]) => `no ${domain} energy in ${traces.join(', ')}`,
  modelTooFewIntervals: (rows: number, dropped: Record<string, number>) =>
    `only ${rows} usable intervals (dropped: ${Object.entries(dropped).map(([k, n]) => `${n} ${k}`).join(', ')})`,
  modelOneWorkload: (workload: string) =>
    `every training trace is workload "${workload}": no leave-one-workload-out error, so the held-out error says nothing about unseen workloads`,
  modelCollinear: (term: string, vif: number) =>
    `${term} is collinear with the other terms (VIF ${Number.isFinite(vif) ? vif.toFixed(1) : '∞'}); its weight is poorly determined`,
  modelIllConditioned: (cond: number) =>
    `the design is ill-conditioned (condition number ${Number.isFinite(cond) ? cond.toFixed(0) : '∞'} > 30): weights can trade off against each other`,
  modelStaticAtTdp: (tdp: number) => `static power hit its upper bound, the TDP of ${tdp} W`,
  modelStaticZero: () => 'static power is 0 W: the counters absorb all idle power (add idle intervals to the training traces)',
  modelHostScope: (sockets: number) =>
    `energy is recorded for ${sockets} sockets; fitting machine totals (--scope socket fits one model per socket, with the CPU → socket map the recording gives or --cpu-socket)`,
  modelUnknownEvent: (event: string, known: readonly string[]) =>
    `event ${event} is not recorded in every training trace; usable events: ${known.join(', ') || 'none'}`,
  modelNoEvents: () => 'the training traces have no counter recorded in all of them',

  // ── replay and policies ──────────────────────────────────────────────────────────────────
  replayNoTrace: (selector: string) => `no trace or bundle "${selector}" in the store`,
  replayAmbiguousTrace: (selector: string, ids: readonly number[]) =>
    `several traces are named "${selector}" (ids ${ids.join(', ')}), but --trace names one recording (one host)`,
  replayNoResidency: (selector: string) => `the recording "${selector}" holds no vCPU residency (which vCPU ran where)`,
  hintReplayResidency: () =>
    'replay needs a scheduling trace: xentrace/xenalyze on Xen, perf script or trace-cmd sched_switch on KVM',
  replayNoModelEvents: (model: readonly string[], recorded: readonly string[]) =>
    `none of the energy model's events (${model.join(', ')}) has per-vCPU samples in this recording` +
    ` (it has: ${recorded.join(', ') || 'none'})`,
  hintReplayEvents: () =>
    'record the model\'s events per vCPU (perf stat --per-thread or -A with a scheduling trace), or calibrate a model on the events recorded',
  replayMissingEvents: (events: readonly string[]) =>
    `the model's events ${events.join(', ')} have no per-vCPU samples here; replay counts them as 0`,
  replayUnplacedEvents: (event: string, count: number) =>
    `${count.toPrecision(4)} ${event} fell in intervals where their vCPU never ran per the residency trace; replay cannot place them`,
  replayThermalDefaults: (detail: string) => `thermal fit not possible (${detail}); using the default thermal parameters`,
  replayFreqTerm: (term: string) => `model term ${term} scales with frequency; replay takes it at the reference frequency`,
  replayBandsIgnored: () => 'the model has per-frequency weights; replay uses its pooled weights',
  replayCoreModelDomain: (domain: string) => `the core model must be a core-domain model, this one predicts ${domain}`,
  hintReplayCoreModel: () => 'calibrate it with the core domain (RAPL energy-cores / CorWatt) and pass it as --core-model',
  replayBadNumber: (what: string, value: unknown) => `${what} must be a positive number, got ${String(value)}`,
  replayBadWarmup: (part: string) => `warmup_events entry "${part}" is not event:count; ignored`,
  replayParamSyntax: (pair: string) => `--param takes key=value or POLICY:key=value, got "${pair}"`,
  hintParamSyntax: () => 'e.g. --param slice_ms=30 --param migration_cost_us=50, or --param budget:budget_w=4 for the budget policy only',
  replayUnknownParam: (key: string, known: readonly string[]) =>
    `no engine or policy setting reads the parameter "${key}" (known: ${known.join(', ') || 'none'})`,
  policyParamNotNumber: (key: string, text: string) => `parameter ${key} must be a number, got "${text}"`,
  policyDuplicate: (kind: string, name: string) => `the ${kind} policy "${name}" is already defined`,
  policyUnknown: (kind: string, name: string, known: readonly string[]) =>
    `unknown ${kind} policy "${name}"; known ${kind} policies: ${known.join(', ')}`,
  hintPolicyPath: () => 'give a registered name, or a file path such as ./my-policy.ts',
  policyImportFailed: (kind: string, file: string, detail: string) => `cannot load ${kind} policy from ${file}: ${detail}`,
  policyNotPolicy: (kind: string, what: string) => `${what} is not a ${kind} policy`,
  hintPolicyShape: (kind: string) =>
    `a ${kind} policy is an object with init(context) and decide(observation) methods; a module exports it (or a factory) as default`,
  policyBadAction: (kind: string, name: string, tick: number, action: string, reason: string) =>
    `${kind} policy "${name}" returned an impossible action${tick < 0 ? ' from init' : ` at tick ${tick}`}: ${action}: ${reason}`,
  hintPolicyActions: (kind: string) => (kind === 'host'
    ? 'host actions: migrate {vcpu, pcpu}, throttle-vcpu {vcpu, fraction}, throttle-pcpu {pcpu, fraction}, ' +
      'set-budget {vm, pcpu, watts}, plug-vcpu {vcpu, online}, balloon {vm, fraction}'
    : 'guest actions: move-task {task, vcpu}, throttle-task {task, fraction}; numbers are local to the VM'),
  actionNotArray: () => 'decide() must return an array of actions',
  actionNotObject: () => 'an action must be an object with a type',
  actionNoSuch: (what: string, value: unknown, count: number) =>
    `${what} ${String(value)} does not exist (${count === 0 ? `there is no ${what}` : `0..${count - 1}`})`,
  actionBadFraction: (value: unknown) => `fraction must be a number from 0 to 1, got ${String(value)}`,
  actionBadWatts: (value: unknown) => `watts must be a number ≥ 0 or null, got ${String(value)}`,
  actionBadOnline: (value: unknown) => `online must be true or false, got ${String(value)}`,
  actionLastVcpu: (vm: string) => `it would unplug the last online vCPU of ${vm}`,
  actionVcpuOffline: (vcpu: number) => `vCPU ${vcpu} is unplugged`,
  actionUnknownType: (type: unknown, known: readonly string[]) => `unknown action type ${JSON.stringify(type)}; known: ${known.join(', ')}`,
  compareBadShard: (text: string) => `--shard takes i/N with 1 ≤ i ≤ N, got "${text}"`,
  compareEmptySweep: (key: string) => `the sweep of ${key} lists no values`,
  compareNoPolicies: () => 'compare needs at least one host policy',
  // ── scoped parameters (--param POLICY:key=value) ───────────────────────────────────────────
  paramScopeUnknown: (scope: string, where: 'run' | 'comparison', policies: readonly string[]) =>
    `the parameter scope "${scope}" names no policy of this ${where} (${policies.join(', ')})`,
  hintParamScope: () =>
    'scope a parameter with a host or guest policy as given in --policies, --host-policy or --guest-policy (e.g. --param budget:budget_w=4), '
    + 'or leave it unscoped for every policy',
  paramScopedEngine: (text: string, key: string) =>
    `${key} is an engine parameter, one setting for the whole run and every policy compared, so it cannot be scoped ("${text}")`,
  hintParamScopedEngine: (key: string) => `give it unscoped: --param ${key}=…`,
  // ── energy host policies (energy-balance, energy-balance+throttle) ──────────────────────────
  policyParamRange: (key: string, value: number, range: string) => `parameter ${key} must be ${range}, got ${value}`,
  // ── budget host policies (budget, hotplug, balloon) ──────────────────────────────────────────
  budgetParamsOne: (policy: string, both: boolean) => (both
    ? `the ${policy} policy takes one energy budget, but got both budget_w and vm_budget_w`
    : `the ${policy} policy needs an energy budget`),
  hintBudgetParams: () => '--param budget_w=W (per VM on each pCPU it uses) or --param vm_budget_w=W (per VM, split evenly over its pCPUs)',
  // ── attribute (per-VM energy accounting) ───────────────────────────────────────────────────
  attributeNoVmSeries: (traces: readonly string[]) => `the selected traces (${traces.join(', ')}) hold no per-VM counter series`,
  attributeMissingEvents: (events: readonly string[], derivation: string) =>
    `the model uses ${events.join(', ')}, which the ${derivation} per-VM series do not count`,
  attributeDuplicateDomain: (domain: string) => `two models for the ${domain} domain; give one model per domain`,
  attributeNoOverlap: (domain: string) => `the ${domain} energy and the per-VM counters do not overlap in time`,
  attributeNoTotals: () => 'no per-CPU counts of the model\'s events: host energy is not computed and is part of the residual',
  attributeIoBaseline: () => 'every interval has guest I/O: dom0\'s own work cannot be told apart and all its energy during I/O is charged to guests',
  attributeEstimate: (domain: string | null) => (domain === null
    ? 'no measured energy in these traces: per-VM figures are model estimates; closure cannot be checked'
    : `no measured ${domain} energy in these traces: its per-VM figures are model estimates; closure cannot be checked`),
  attributeSocketCount: () =>
    'a per-socket model needs the number of sockets: the traces give no per-socket energy and no CPU → socket map, and no --cpu-socket map was given',
  attributeSocketClock: () =>
    'per-socket model without a CPU → socket map (the traces give none; --cpu-socket): every socket\'s static power is priced at the machine\'s mean clock, and counts at their own CPU\'s',
  // ── output files and chart inputs (quality fixes) ──────────────────────────────────────────
  hintOutputPath: () =>
    'every folder on the path must be a folder (not a file) that exists or can be created, and writable by you; choose another path otherwise',
  chartNoTerms: (kind: string) => `the model has no counter terms (static power only), so a ${kind} chart has nothing to show`,
  hintChartNoTerms: () => 'calibrate a model with counter events (`vheat calibrate --events …`), or chart its fit with `vheat chart calibration-fit`',
  // ── trace selection of a recording (replay, compare, fit-thermal, attribute) ───────────────
  replayNoSelection: () => 'no --trace selector given: name the recording to replay',
  replayManyBundles: (selector: string, bundles: readonly string[]) =>
    `"${selector}" selects traces of ${bundles.length} bundles (${bundles.join(', ')}), but --trace names one recording (one host)`,
  hintReplayOneRecording: (example: string) =>
    `name one recording: its bundle name, or its traces as bundle/name or ids (e.g. --trace ${example})`,
  // ── chart trace selection (temperature-heatmap --trace) ────────────────────────────────────
  chartSelectionNoTemps: (selector: string, traces: number) =>
    `none of the ${traces} traces "${selector}" selects holds per-core or per-CPU temperatures`,
  hintChartOneTrace: (example: string) => `name one trace: its id or bundle/name (e.g. --trace ${example})`,
  // ── recorded CPU → socket map (calibrate, evaluate, attribute without --cpu-socket) ──────────
  cpuSocketFrom: (cpus: number, sockets: number, sources: readonly string[]) =>
    `CPU → socket map (${cpus} CPUs on ${sockets} socket${sockets === 1 ? '' : 's'}) from ${sources.join(' and ')}; --cpu-socket overrides it`,
  cpuSocketConflict: (cpu: number, said: readonly (readonly [number, readonly string[]])[]) =>
    `the traces disagree on the socket of CPU ${cpu}: ${said.map(([s, by]) => `socket ${s} by ${by.join(', ')}`).join('; ')}`,
  cpuSocketGap: (cpu: number, highest: number, sources: readonly string[]) =>
    `the CPU → socket map of ${sources.join(' and ')} names CPUs up to ${highest} but not CPU ${cpu}`,
  hintCpuSocket: () => 'give the socket of each CPU with --cpu-socket (e.g. 0,0,1,1)',
} as const;
