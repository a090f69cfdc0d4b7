// A measurement window: CPU time of the server and of this client, read from /proc at its two edges.
import { cpuMicros, runDelayMicros } from "./proc.ts";

export interface Edge {
  atMs: number;
  serverCpu: number;
  clientCpu: number;
  serverWait: number;
  clientWait: number;
}

/** `serverPid` may list several servers (--cluster's nodes): their times add up. */
export function edge(serverPid: number | number[]): Edge {
  const pids = Array.isArray(serverPid) ? serverPid : [serverPid];
  const sum = (read: (pid: number) => number) => pids.reduce((total, pid) => total + read(pid), 0);
  return {
    atMs: performance.now(),
    serverCpu: sum(cpuMicros),
    clientCpu: cpuMicros(process.pid),
    serverWait: sum(runDelayMicros),
    clientWait: runDelayMicros(process.pid),
  };
}

export interface Span {
  seconds: number;
  /** Server CPU time used in the window, µs (all its threads, user + system). */
  serverCpuMicros: number;
  /** Share of one core each process used, in percent. */
  serverCpuPercent: number;
  clientCpuPercent: number;
  /** Milliseconds per second that the process's event loop was ready to run but waited for a CPU. */
  serverWaitMsPerS: number;
  clientWaitMsPerS: number;
}

export function span(from: Edge, to: Edge): Span {
  const seconds = (to.atMs - from.atMs) / 1000;
  const serverCpuMicros = to.serverCpu - from.serverCpu;
  return {
    seconds,
    serverCpuMicros,
    serverCpuPercent: Math.round(serverCpuMicros / seconds / 1e4),
    clientCpuPercent: Math.round((to.clientCpu - from.clientCpu) / seconds / 1e4),
    serverWaitMsPerS: Math.round((to.serverWait - from.serverWait) / seconds / 100) / 10,
    clientWaitMsPerS: Math.round((to.clientWait - from.clientWait) / seconds / 100) / 10,
  };
}
