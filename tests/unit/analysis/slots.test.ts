import { describe, expect, it } from 'vitest';
import { Slots } from '../../../electron/analysis/slots.js';

const settled = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('Slots', () => {
  it('gives out as many slots as it has, then makes takers wait in the order they came', async () => {
    const slots = new Slots(2);
    const order: number[] = [];
    const releases: (() => void)[] = [];
    for (let i = 0; i < 5; i += 1)
      void slots.take().then((release) => {
        order.push(i);
        releases.push(release);
      });
    await settled();
    expect(order).toEqual([0, 1]);
    releases[0]?.();
    await settled();
    expect(order).toEqual([0, 1, 2]);
    releases[1]?.();
    releases[2]?.();
    await settled();
    expect(order).toEqual([0, 1, 2, 3, 4]);
  });

  it('counts a slot given back twice once', async () => {
    const slots = new Slots(1);
    const first = await slots.take();
    first();
    first();
    const second = await slots.take();
    let third = false;
    void slots.take().then(() => (third = true));
    await settled();
    expect(third).toBe(false);
    second();
    await settled();
    expect(third).toBe(true);
  });

  it('refuses a count that is not a positive integer', () => {
    for (const count of [0, -1, 1.5, Number.NaN]) expect(() => new Slots(count)).toThrow(RangeError);
  });
});
