/** A 0..1 rate as "87.5%", or "—" when there was nothing to divide by. */
export function percent(rate: number | null): string {
  return rate == null ? '—' : `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}
