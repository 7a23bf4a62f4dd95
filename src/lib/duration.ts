/**
 * The one parser for durations people type: 90s, 30m, 2h, 7d (as docker logs and
 * kubectl logs take them), in milliseconds.
 */
const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export type DurationUnit = keyof typeof UNIT_MS;

export interface DurationOptions {
  /** The units accepted (all by default). */
  units?: readonly DurationUnit[];
  /** A bare number counts in this unit; without it a unit is required. */
  bareUnit?: DurationUnit;
}

const DURATION = /^(\d+)([a-z]?)$/;

export function parseDuration(text: string, { units = Object.keys(UNIT_MS) as DurationUnit[], bareUnit }: DurationOptions = {}): number | undefined {
  const found = DURATION.exec(text.trim());
  if (!found) return undefined;
  const unit = (found[2] || bareUnit) as DurationUnit | undefined;
  if (unit === undefined || !units.includes(unit)) return undefined;
  return Number(found[1]) * UNIT_MS[unit];
}
