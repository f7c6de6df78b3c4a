// A fixed number of slots shared by the tasks a worker runs side by side (decodes, images held
// whole). Waiters are served in the order they came, and a slot is handed straight to the next.
export class Slots {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(count: number) {
    if (!Number.isSafeInteger(count) || count < 1) throw new RangeError('a positive number of slots is needed');
    this.#free = count;
  }

  /** Resolves when a slot is taken, with the function that gives it back (once; later calls do nothing). */
  async take(): Promise<() => void> {
    if (this.#free > 0) this.#free -= 1;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    };
  }
}
