import * as fs from 'node:fs';

/** Kernel clock ticks per second for /proc times (USER_HZ: 100 on Linux, whatever the kernel's HZ). */
const TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far; NaN once it is gone or off Linux. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** CPU seconds every core of the machine spent busy so far (/proc/stat: all but idle and iowait); NaN off Linux. */
export function machineCpuSeconds(): number {
  try {
    const [, ...ticks] = (fs.readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '').trim().split(/\s+/);
    const n = ticks.map(Number);
    const idle = (n[3] ?? 0) + (n[4] ?? 0);
    // guest time is counted in user already
    return (n.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

/** CPU seconds each named process used between {@link startCpuMeter} and `read()`. */
export interface CpuMeter {
  read(): Map<string, number>;
}

/**
 * `self` counts this process (e.g. the in-process baseline) through process.cpuUsage(); `machine`, every process
 * on the machine (whether the cores were saturated).
 */
export function startCpuMeter(processes: Readonly<Record<string, number | 'self' | 'machine'>>): CpuMeter {
  const now = (p: number | 'self' | 'machine'): number => {
    if (p === 'machine') return machineCpuSeconds();
    if (p !== 'self') return cpuSecondsOf(p);
    const u = process.cpuUsage();
    return (u.user + u.system) / 1e6;
  };
  const start = new Map(Object.entries(processes).map(([name, p]) => [name, now(p)]));
  return {
    read: () => new Map(Object.entries(processes).map(([name, p]) => [name, now(p) - (start.get(name) ?? NaN)])),
  };
}

/** "worker 310 s, Temporal 120 s, …" in the order given. */
export function formatCpu(used: ReadonlyMap<string, number>): string {
  return [...used].map(([name, s]) => `${name} ${Number.isFinite(s) ? s.toFixed(0) : 'n/a'}`).join(', ');
}
