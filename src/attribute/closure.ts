/**
 * Closure: in every interval, measured = Σ VMs + host + idle + residual. The residual is the
 * measured energy the model does not explain (model error, RAPL quantisation, counters not
 * seen); it is reported, never spread over the VMs.
 */

/** Residual per interval, J: `measured − Σ parts`. */
export function residual(measured: Float64Array, parts: Iterable<Float64Array>): Float64Array {
  const out = Float64Array.from(measured);
  for (const p of parts) for (let i = 0; i < out.length; i++) out[i] = out[i]! - p[i]!;
  return out;
}

/** Largest |Σ parts + residual − measured| over the intervals, J: 0 up to rounding when the books close. */
export function closureGap(measured: Float64Array, parts: readonly Float64Array[], res: Float64Array): number {
  let worst = 0;
  for (let i = 0; i < measured.length; i++) {
    let s = res[i]!;
    for (const p of parts) s += p[i]!;
    worst = Math.max(worst, Math.abs(s - measured[i]!));
  }
  return worst;
}
