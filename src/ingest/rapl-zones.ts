import type { EnergyDomain } from './types.js';

/**
 * Names of RAPL zones as powercap (`name` file), node_exporter (`node_rapl_<zone>_…`) and Kepler
 * (`zone` label) spell them (TRACE-FORMATS.md §3.1, §6.1).
 */

/** Domain of a zone name: `package-0`, `package-1-die-0`, `package_0_die_0`, `package` → package; `core`, `uncore`, `dram`, `psys`. */
export function domainOfZoneName(name: string): EnergyDomain | undefined {
  if (/^package(?:[-_]\d+(?:[-_]die[-_]\d+)?)?$/.test(name)) return 'package';
  if (name === 'core' || name === 'uncore' || name === 'dram' || name === 'psys') return name;
  return undefined;
}

/** Socket `n` of `package-<n>` / `package-<n>-die-<m>`, else undefined. */
export function socketOfPackageName(name: string): number | undefined {
  const m = /^package[-_](\d+)/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Top-level index `p` of a zone `intel-rapl:<p>[:<k>]` (a full sysfs path is fine), else undefined. */
export function powercapTopIndex(zoneOrPath: string): number | undefined {
  const m = /intel-rapl:(\d+)(?::\d+)?\/?$/.exec(zoneOrPath);
  return m ? Number(m[1]) : undefined;
}

/** True for a subzone `intel-rapl:<p>:<k>`. */
export function isPowercapSubzone(zoneOrPath: string): boolean {
  return /intel-rapl:\d+:\d+\/?$/.test(zoneOrPath);
}

/** True for the MMIO copy of the package zone, which must never be summed with `intel-rapl:<p>`. */
export function isMmioZone(zoneOrPath: string): boolean {
  return zoneOrPath.includes('intel-rapl-mmio');
}
