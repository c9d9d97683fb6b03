/**
 * CPU numbering of the synthetic host, the way Linux enumerates Intel servers: all first
 * hardware threads of every core (socket-major), then all second threads, so the SMT siblings
 * of core k are CPUs k and k + sockets·cores. With one thread per core this is socket-major.
 */
export interface HostTopology {
  sockets: number;
  coresPerSocket: number;
  threadsPerCore: number;
  /** Logical CPUs (= pCPUs). */
  cpus: number;
  /** Physical cores over all sockets. */
  cores: number;
  /** cpu → socket. */
  cpuSocket: Int32Array;
  /** cpu → global core index (socket·coresPerSocket + core). */
  cpuCore: Int32Array;
  /** cpu → hardware thread index within its core. */
  cpuThread: Int32Array;
  /** global core → socket. */
  coreSocket: Int32Array;
  /** socket → its lowest-numbered CPU (where perf shows RAPL events, §1.2.4). */
  socketFirstCpu: Int32Array;
  /** CPUs in turbostat's row order: by socket, core, then sibling (§2.2). */
  turbostatOrder: Int32Array;
}

/** Topology of `sockets` × `coresPerSocket` × `threadsPerCore`. */
export function hostTopology(sockets: number, coresPerSocket: number, threadsPerCore: number): HostTopology {
  const cores = sockets * coresPerSocket;
  const cpus = cores * threadsPerCore;
  const cpuSocket = new Int32Array(cpus);
  const cpuCore = new Int32Array(cpus);
  const cpuThread = new Int32Array(cpus);
  const coreSocket = new Int32Array(cores);
  const socketFirstCpu = new Int32Array(sockets);
  const turbostatOrder = new Int32Array(cpus);
  for (let cpu = 0; cpu < cpus; cpu++) {
    const core = cpu % cores;
    cpuCore[cpu] = core;
    cpuThread[cpu] = Math.floor(cpu / cores);
    cpuSocket[cpu] = Math.floor(core / coresPerSocket);
  }
  for (let core = 0; core < cores; core++) coreSocket[core] = Math.floor(core / coresPerSocket);
  for (let s = 0; s < sockets; s++) socketFirstCpu[s] = s * coresPerSocket;
  let k = 0;
  for (let core = 0; core < cores; core++) {
    for (let t = 0; t < threadsPerCore; t++) turbostatOrder[k++] = core + t * cores;
  }
  return { sockets, coresPerSocket, threadsPerCore, cpus, cores, cpuSocket, cpuCore, cpuThread, coreSocket,
    socketFirstCpu, turbostatOrder };
}
