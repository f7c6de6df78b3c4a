// Ingest progress on stderr: a bar redrawn in place on a terminal, a plain line every few
// seconds otherwise (logs). stdout stays for the result.
import type { IngestProgress } from '../api/contract.js';

const WIDTH = 28;

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u += 1;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(r).padStart(2, '0')}s` : `${r}s`;
}

export function progressLine(p: IngestProgress): string {
  const fraction = p.bytesTotal > 0 ? p.bytesDone / p.bytesTotal : p.filesTotal > 0 ? p.filesDone / p.filesTotal : 0;
  const filled = Math.round(Math.min(1, fraction) * WIDTH);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}]`;
  const eta = p.etaSeconds === null ? '' : `  ETA ${formatDuration(p.etaSeconds)}`;
  return (
    `${p.phase.padEnd(9)} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}%  ${p.filesDone}/${p.filesTotal} files  ` +
    `${formatBytes(p.bytesDone)}/${formatBytes(p.bytesTotal)}  ${p.filesPerSecond.toFixed(0)} files/s  ` +
    `${formatBytes(p.bytesPerSecond)}/s${eta}  errors ${p.errors}`
  );
}

export class ProgressBar {
  #lastPlain = 0;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(p: IngestProgress): void {
    if (this.stream.isTTY) {
      this.stream.write(`\r${progressLine(p).slice(0, Math.max(20, (this.stream.columns || 120) - 1))}\u001b[K`);
      return;
    }
    const now = Date.now();
    if (now - this.#lastPlain < 2000 && p.phase !== 'done' && p.phase !== 'stopped') return;
    this.#lastPlain = now;
    this.stream.write(`${progressLine(p)}\n`);
  }

  end(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
