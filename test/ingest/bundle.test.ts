import { describe, expect, it } from 'vitest';
import { bundleCpuSocket, parseBundle } from '../../src/ingest/bundle.js';

describe('bundleCpuSocket', () => {
  it('is bundle.json\'s explicit cpu_socket when given', () => {
    const b = parseBundle({ topology: { sockets: 2, cores_per_socket: 2, threads_per_core: 1, cpu_socket: [0, 1, 0, 1] } });
    expect(bundleCpuSocket(b)).toEqual([0, 1, 0, 1]);
  });

  it('numbers socket-major without it: cores × threads CPUs per socket', () => {
    const b = parseBundle({ topology: { sockets: 2, cores_per_socket: 2, threads_per_core: 2 } });
    expect(bundleCpuSocket(b)).toEqual([0, 0, 0, 0, 1, 1, 1, 1]);
  });

  it('is undefined without a topology or a bundle.json', () => {
    expect(bundleCpuSocket(parseBundle({ host: 'h' }))).toBeUndefined();
    expect(bundleCpuSocket(undefined)).toBeUndefined();
  });
});
