/** Runs `work` repeatedly until at least `minMs` have passed; returns units per second. */
export function measureRate(work: () => number, minMs: number): { units: number; seconds: number; perSecond: number } {
  let units = 0;
  const start = process.hrtime.bigint();
  let elapsed = 0;
  do {
    units += work();
    elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  } while (elapsed * 1000 < minMs);
  return { units, seconds: elapsed, perSecond: units / elapsed };
}

export function formatRate(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(1);
}
