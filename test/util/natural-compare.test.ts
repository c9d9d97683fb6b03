import { describe, expect, it } from 'vitest';
import { naturalCompare } from '../../src/util/natural-compare.js';

describe('naturalCompare', () => {
  it('orders digit runs by value and everything else by code unit', () => {
    expect(['S0-C10', 'S0-C2', 'S1-C0', 'S0-C1', 'b', 'a10', 'a9'].sort(naturalCompare))
      .toEqual(['S0-C1', 'S0-C2', 'S0-C10', 'S1-C0', 'a9', 'a10', 'b']);
    expect(['vm10/vcpu0', 'vm2/vcpu10', 'vm2/vcpu2'].sort(naturalCompare)).toEqual(['vm2/vcpu2', 'vm2/vcpu10', 'vm10/vcpu0']);
  });

  it('does not follow the locale: upper case before lower case, equal values of digits by their text', () => {
    // localeCompare puts 'db' before 'Web' (and 'a10' before 'a9'); code units put 'W' (0x57) before 'd' (0x64)
    expect(['db', 'Web'].sort(naturalCompare)).toEqual(['Web', 'db']);
    expect(['a1', 'a01', 'a'].sort(naturalCompare)).toEqual(['a', 'a01', 'a1']);
    expect(naturalCompare('x', 'x')).toBe(0);
  });
});
