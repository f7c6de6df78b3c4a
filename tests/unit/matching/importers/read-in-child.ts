// Reads a whole hash set in a process of its own and prints what it cost, as one JSON line:
// the streaming test runs it so that the peak RSS measured is the reader's, not the test
// runner's. Usage: node --import tsx read-in-child.ts FILE FORMAT
import { openHashSet, type HashSetFormat } from '../../../../electron/matching/importers/index.js';

const [path, format] = process.argv.slice(2);
if (path === undefined || format === undefined) throw new Error('usage: read-in-child.ts FILE FORMAT');
const started = performance.now();
const cpuBefore = process.cpuUsage();
const reader = await openHashSet(path, format as HashSetFormat | 'auto');
let entries = 0;
let sampledRss = 0;
for await (const batch of reader.entries()) {
  entries += batch.length;
  sampledRss = Math.max(sampledRss, process.memoryUsage.rss());
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
// CPU time as well as wall time: on a busy machine the wall clock measures the neighbours.
const cpuMs = (cpu.user + cpu.system) / 1000;
await reader.close();
console.log(
  JSON.stringify({
    entries,
    ms: Math.round(ms),
    perSecond: Math.round(entries / (ms / 1000)),
    cpuMs: Math.round(cpuMs),
    perCpuSecond: Math.round(entries / (cpuMs / 1000)),
    bytes: reader.totalBytes,
    // resourceUsage().maxRSS is the kernel's peak for the whole process, in KiB.
    maxRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    sampledRssMiB: Math.round(sampledRss / (1024 * 1024)),
    malformed: reader.malformed().count,
    version: reader.version,
  }),
);
