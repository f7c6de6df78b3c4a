// PDQ's downscaling to 64x64 (the reference's pdq/cpp/downscaling/downscaling.cpp): a box filter
// along rows then columns, twice (Jarosz: two boxes make a tent filter), then sampling at the
// centres of a 64x64 grid. All in float32, as in the reference.

const f32 = Math.fround;

// One running sum per column (a row's worth of floats), kept for the worker's lifetime.
let columnSums = new Float32Array(0);

// Half of 1/64 of the dimension, rounded up: two passes of a box this wide cover one 64th.
export function jaroszWindowSize(dimension: number): number {
  return Math.floor((dimension + 2 * 64 - 1) / (2 * 64));
}

// The reference's box1DFloat is a running float sum with shrunken windows at both ends, in four
// phases: accumulate without writing, write while the window grows, slide, write while it
// shrinks. The phases are reproduced literally because the rounding of the running sum depends
// on the exact sequence of additions and subtractions.
type BoxPhases = { readonly grow: number; readonly growWrite: number; readonly slide: number; readonly shrink: number };

function boxPhases(length: number, window: number): BoxPhases {
  const half = Math.floor((window + 2) / 2);
  return { grow: half - 1, growWrite: window - half + 1, slide: length - window, shrink: half - 1 };
}

// Each row's running sum is a serial chain of float roundings, so a single row is bound by
// latency; four rows side by side give the CPU independent chains to overlap (3x faster).
export function boxAlongRows(input: Float32Array, output: Float32Array, rows: number, cols: number, window: number): void {
  const phases = boxPhases(cols, window);
  let r = 0;
  for (; r + 4 <= rows; r += 4) boxFourRows(input, output, r * cols, cols, phases);
  for (; r < rows; r++) boxOneRow(input, output, r * cols, phases);
}

function boxOneRow(input: Float32Array, output: Float32Array, base: number, phases: BoxPhases): void {
  let li = base;
  let ri = base;
  let oi = base;
  let sum = 0;
  let count = 0;
  for (let i = 0; i < phases.grow; i++) {
    sum = f32(sum + (input[ri++] ?? 0));
    count++;
  }
  for (let i = 0; i < phases.growWrite; i++) {
    sum = f32(sum + (input[ri++] ?? 0));
    count++;
    output[oi++] = sum / count;
  }
  for (let i = 0; i < phases.slide; i++) {
    sum = f32(f32(sum + (input[ri++] ?? 0)) - (input[li++] ?? 0));
    output[oi++] = sum / count;
  }
  for (let i = 0; i < phases.shrink; i++) {
    sum = f32(sum - (input[li++] ?? 0));
    count--;
    output[oi++] = sum / count;
  }
}

function boxFourRows(input: Float32Array, output: Float32Array, base: number, cols: number, phases: BoxPhases): void {
  const b0 = base;
  const b1 = b0 + cols;
  const b2 = b1 + cols;
  const b3 = b2 + cols;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let li = 0;
  let ri = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < phases.grow; i++, ri++) {
    count++;
    s0 = f32(s0 + (input[b0 + ri] ?? 0));
    s1 = f32(s1 + (input[b1 + ri] ?? 0));
    s2 = f32(s2 + (input[b2 + ri] ?? 0));
    s3 = f32(s3 + (input[b3 + ri] ?? 0));
  }
  for (let i = 0; i < phases.growWrite; i++, ri++, oi++) {
    count++;
    s0 = f32(s0 + (input[b0 + ri] ?? 0));
    s1 = f32(s1 + (input[b1 + ri] ?? 0));
    s2 = f32(s2 + (input[b2 + ri] ?? 0));
    s3 = f32(s3 + (input[b3 + ri] ?? 0));
    output[b0 + oi] = s0 / count;
    output[b1 + oi] = s1 / count;
    output[b2 + oi] = s2 / count;
    output[b3 + oi] = s3 / count;
  }
  for (let i = 0; i < phases.slide; i++, ri++, li++, oi++) {
    s0 = f32(f32(s0 + (input[b0 + ri] ?? 0)) - (input[b0 + li] ?? 0));
    s1 = f32(f32(s1 + (input[b1 + ri] ?? 0)) - (input[b1 + li] ?? 0));
    s2 = f32(f32(s2 + (input[b2 + ri] ?? 0)) - (input[b2 + li] ?? 0));
    s3 = f32(f32(s3 + (input[b3 + ri] ?? 0)) - (input[b3 + li] ?? 0));
    output[b0 + oi] = s0 / count;
    output[b1 + oi] = s1 / count;
    output[b2 + oi] = s2 / count;
    output[b3 + oi] = s3 / count;
  }
  for (let i = 0; i < phases.shrink; i++, li++, oi++) {
    count--;
    s0 = f32(s0 - (input[b0 + li] ?? 0));
    s1 = f32(s1 - (input[b1 + li] ?? 0));
    s2 = f32(s2 - (input[b2 + li] ?? 0));
    s3 = f32(s3 - (input[b3 + li] ?? 0));
    output[b0 + oi] = s0 / count;
    output[b1 + oi] = s1 / count;
    output[b2 + oi] = s2 / count;
    output[b3 + oi] = s3 / count;
  }
}

// Same filter down the columns, run over whole rows at a time (one running sum per column) so
// memory is read in order and the columns' chains overlap; each column still sees exactly the
// reference's sequence of operations.
export function boxAlongCols(input: Float32Array, output: Float32Array, rows: number, cols: number, window: number): void {
  const phases = boxPhases(rows, window);
  if (columnSums.length < cols) columnSums = new Float32Array(cols);
  const sums = columnSums;
  sums.fill(0, 0, cols);
  let li = 0;
  let ri = 0;
  let oi = 0;
  let count = 0;
  for (let i = 0; i < phases.grow; i++, ri += cols) {
    count++;
    for (let j = 0; j < cols; j++) sums[j] = (sums[j] ?? 0) + (input[ri + j] ?? 0);
  }
  for (let i = 0; i < phases.growWrite; i++, ri += cols, oi += cols) {
    count++;
    for (let j = 0; j < cols; j++) {
      const s = f32((sums[j] ?? 0) + (input[ri + j] ?? 0));
      sums[j] = s;
      output[oi + j] = s / count;
    }
  }
  for (let i = 0; i < phases.slide; i++, ri += cols, li += cols, oi += cols) {
    for (let j = 0; j < cols; j++) {
      const s = f32(f32((sums[j] ?? 0) + (input[ri + j] ?? 0)) - (input[li + j] ?? 0));
      sums[j] = s;
      output[oi + j] = s / count;
    }
  }
  for (let i = 0; i < phases.shrink; i++, li += cols, oi += cols) {
    count--;
    for (let j = 0; j < cols; j++) {
      const s = f32((sums[j] ?? 0) - (input[li + j] ?? 0));
      sums[j] = s;
      output[oi + j] = s / count;
    }
  }
}

// Centres of a 64-cell grid, not corners; computed in double as in the reference.
export function decimationIndex(cell: number, length: number): number {
  return Math.floor(((cell + 0.5) * length) / 64);
}

export function decimate(input: Float32Array, rows: number, cols: number, output: Float32Array): void {
  for (let i = 0; i < 64; i++) {
    const row = decimationIndex(i, rows) * cols;
    for (let j = 0; j < 64; j++) output[i * 64 + j] = input[row + decimationIndex(j, cols)] ?? 0;
  }
}
