// Starts the hash-set reader thread on FILE and terminates it at a random moment after its first
// chunk, CYCLES times, in a process of its own: a native call cut short by the termination must
// not take the process down. Prints "survived N". Usage: node --import tsx reader-stop-in-child.ts FILE CYCLES
import { ReaderThread } from '../../electron/matching/reader-thread/thread.js';

const [file, cycles] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: reader-stop-in-child.ts FILE CYCLES');
for (let k = 0; k < Number(cycles ?? 20); k++) {
  const thread = new ReaderThread({ path: file, format: 'vics' });
  await thread.chunks().next();
  await new Promise((resolve) => setTimeout(resolve, Math.random() * 25));
  await thread.close();
}
console.log(`survived ${cycles}`);
