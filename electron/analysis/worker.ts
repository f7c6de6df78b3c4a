// piscina worker entry: one task in, one plain result out. Nothing here touches the store.
import { ArchiveCache } from '../intake/archive-cache.js';
import { analyse, type AnalysisResult, type AnalysisTask } from './task.js';
import { DigestBatch } from './digest-batch.js';

// Per worker thread: entries of one archive arrive in runs, and a nested archive is inflated
// once rather than once per entry. Bounded so that RSS stays flat across a large ingest.
const cache = new ArchiveCache({ maxBytes: 128 * 1024 * 1024 });

// The files this worker is reading at once (the pool runs several tasks per worker) share one
// digest batch, so their MD5s advance side by side.
const batch = new DigestBatch();

export default function analyseInWorker(task: AnalysisTask): Promise<AnalysisResult> {
  return analyse(task, cache, batch);
}
