/** What the figures were measured on: cores, memory, Node, and the disk's fsync latency. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { quantile } from "./stats.js";
import { BENCH_TMP_ROOT, makeTempDir, removeTempDir } from "./temp-dir.js";

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  /** Median of write(4 KiB) + fsync in the bench's temp dir, in ms. */
  fsyncMedianMs: number;
  fsyncP99Ms: number;
  fsyncSamples: number;
  tempDir: string;
  /** 1-minute load average when the run started (other work on the machine skews every figure). */
  loadAverage: number;
}

/** Times `samples` rounds of a 4 KiB write followed by fsync, in a fresh file under the bench temp dir. */
export function measureFsync(samples = 200): { median: number; p99: number } {
  const dir = makeTempDir("fsync");
  const fd = fs.openSync(path.join(dir, "probe"), "w");
  const block = Buffer.alloc(4096, 7);
  const times: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const start = performance.now();
      fs.writeSync(fd, block, 0, block.length, i * block.length);
      fs.fsyncSync(fd);
      times.push(performance.now() - start);
    }
  } finally {
    fs.closeSync(fd);
    removeTempDir(dir);
  }
  return { median: quantile(times, 0.5), p99: quantile(times, 0.99) };
}

/** Describes this machine, measuring fsync latency. */
export function describeMachine(fsyncSamples = 200): MachineInfo {
  const fsync = measureFsync(fsyncSamples);
  return {
    cpus: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    fsyncMedianMs: fsync.median,
    fsyncP99Ms: fsync.p99,
    fsyncSamples,
    tempDir: BENCH_TMP_ROOT,
    loadAverage: os.loadavg()[0] ?? 0,
  };
}
