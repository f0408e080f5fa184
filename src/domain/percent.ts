/** What a share reads as where there is none (no classified work, no target). */
export const NO_SHARE = "—";

/**
 * A share (0..1) as a percentage with at most one decimal: 0.2777 → "27.8%", 0.3 → "30%", null →
 * "—". One decimal keeps a flag's sentence true to its rule (24.6% is below a 25% floor, "25%"
 * would not be) and quotes a declared 27.5% target as declared. Every report format, page and
 * flag message prints shares through this one function, so they always agree.
 */
export function formatPercent(share: number | null): string {
  if (share === null || !Number.isFinite(share)) return NO_SHARE;
  // `+ 0` turns -0 (a rounded -0.0001) into 0.
  return `${Math.round(share * 1000) / 10 + 0}%`;
}

/**
 * An amount with its unit, singular for exactly one: "1 point", "2.5 points", "1 issue",
 * "1 day", "3 person-days". `amount` is the number already formatted.
 */
export function withUnit(
  value: number,
  amount: string,
  unit: "points" | "issues" | "days" | "person-days",
): string {
  const singular = { points: "point", issues: "issue", days: "day", "person-days": "person-day" };
  return `${amount} ${value === 1 ? singular[unit] : unit}`;
}

/** A count with its noun, singular for exactly one: "1 flag", "12 flags", "3 boards". */
export function counted(count: number, singular: string, plural = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : plural}`;
}

/** A name's possessive: "Payments' page", "Growth's page". */
export function possessive(name: string): string {
  return /s$/i.test(name) ? `${name}'` : `${name}'s`;
}
