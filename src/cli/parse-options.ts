import { InvalidArgumentError } from 'commander';

/** Commander parser for a number > 0 (or ≥ 0 with `allowZero`). */
export function positiveNumber(allowZero = false) {
  return (text: string): number => {
    const v = Number(text);
    if (!Number.isFinite(v) || v < 0 || (!allowZero && v === 0)) {
      throw new InvalidArgumentError(`expected a number ${allowZero ? '≥' : '>'} 0, got "${text}"`);
    }
    return v;
  };
}

/** Commander parser for a whole number ≥ `min`. */
export function wholeNumber(min: number) {
  return (text: string): number => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < min) throw new InvalidArgumentError(`expected a whole number ≥ ${min}, got "${text}"`);
    return v;
  };
}

/** Commander parser for a fraction in [0, 1]. */
export function fraction(text: string): number {
  const v = Number(text);
  if (!(v >= 0 && v <= 1)) throw new InvalidArgumentError(`expected a number from 0 to 1, got "${text}"`);
  return v;
}

/** Commander parser for a comma-separated list of whole numbers ≥ 0 (`0,0,1,1`). */
export function numberList(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim());
  if (!parts.every((p) => /^\d+$/.test(p))) throw new InvalidArgumentError(`expected numbers separated by commas, got "${text}"`);
  return parts.map(Number);
}
