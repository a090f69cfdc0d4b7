// A latency histogram in microseconds: exact below 2,048 µs, then 1,024 buckets per power of two
// (under 0.1 % error) up to about 35 minutes. Fixed memory, O(1) record, mergeable.

const LINEAR = 2048;
const SUB = 1024;
const POWERS = 21; // 2^11 .. 2^31 µs

function indexOf(micros: number): number {
  const v = Math.max(0, Math.min(Math.floor(micros), 2 ** 31 - 1));
  if (v < LINEAR) return v;
  const exponent = 31 - Math.clz32(v); // >= 11
  const shift = exponent - 10;
  return LINEAR + (exponent - 11) * SUB + ((v >>> shift) - SUB);
}

/** The upper edge of a bucket (so percentiles never flatter). */
function valueAt(index: number): number {
  if (index < LINEAR) return index;
  const rel = index - LINEAR;
  const exponent = Math.floor(rel / SUB) + 11;
  const shift = exponent - 10;
  return ((rel % SUB) + SUB + 1) * 2 ** shift - 1;
}

export class Histogram {
  readonly counts = new Float64Array(LINEAR + POWERS * SUB);
  count = 0;
  max = 0;
  sum = 0;

  record(micros: number): void {
    this.counts[indexOf(micros)]!++;
    this.count++;
    this.sum += micros;
    if (micros > this.max) this.max = micros;
  }

  merge(other: Histogram): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += other.counts[i]!;
    this.count += other.count;
    this.sum += other.sum;
    this.max = Math.max(this.max, other.max);
  }

  /** The value at quantile q (0..1) in microseconds; 0 when empty. */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    let seen = 0;
    for (let i = 0; i < this.counts.length; i++) {
      seen += this.counts[i]!;
      if (seen >= rank) return Math.min(valueAt(i), this.max);
    }
    return this.max;
  }

  /** Summary in milliseconds, rounded to 10 µs. */
  summary(): LatencySummary {
    const ms = (micros: number) => Math.round(micros / 10) / 100;
    return {
      count: this.count,
      p50: ms(this.quantile(0.5)),
      p99: ms(this.quantile(0.99)),
      p999: ms(this.quantile(0.999)),
      max: ms(this.max),
      mean: ms(this.count ? this.sum / this.count : 0),
    };
  }
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}
