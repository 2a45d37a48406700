import { readFileSync } from 'node:fs';

/** Samples a process's resident memory (VmRSS in /proc/<pid>/status) on an interval and keeps the largest. */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private maxKiB = 0;

  constructor(private readonly pid: number) {}

  /** The process's resident memory now, in MiB. */
  currentMiB(): number {
    return this.readKiB('VmRSS') / 1024;
  }

  /** The kernel's own high-water mark of the process's resident memory (VmHWM), in MiB. */
  peakMiB(): number {
    return this.readKiB('VmHWM') / 1024;
  }

  get maxSampledMiB(): number {
    return this.maxKiB / 1024;
  }

  start(intervalMs: number): void {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  stop(): void {
    clearInterval(this.timer);
    this.sample();
  }

  private sample(): void {
    this.maxKiB = Math.max(this.maxKiB, this.readKiB('VmRSS'));
  }

  private readKiB(field: string): number {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(readFileSync(`/proc/${this.pid}/status`, 'utf8'));
    if (!match) throw new Error(`no ${field} in /proc/${this.pid}/status`);
    return Number(match[1]);
  }
}
