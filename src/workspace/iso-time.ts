/**
 * Dates and times as the workspace file and `--now` take them (SPEC §11): ISO 8601 / RFC 3339,
 * days that exist, years 1970–9999, and a time always with `Z` or an offset, so nothing is ever
 * read in the timezone of the machine that happens to run the report.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})?$/;

export const DATE_EXAMPLE = "2026-07-01";
export const TIME_EXAMPLE = "2026-07-01T00:00:00Z";

/** `text` quoted as a message shows it: JSON's escapes, cut short past a line's worth. */
function quote(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

const MONTH_NAME = new Intl.DateTimeFormat("en", { month: "long", timeZone: "UTC" });

/** Why `text` is not a date such as `2026-07-01`, in words; null when it is one. */
export function findDateProblem(text: string): string | null {
  const match = DATE.exec(text);
  if (!match) return `expected a date such as "${DATE_EXAMPLE}", got ${quote(text)}`;
  return findDayProblem(text, match[1], match[2], match[3]);
}

/**
 * Why `text` is not a time such as `2026-07-01T00:00:00Z` (seconds and fractions optional, `Z` or
 * an offset such as `+02:00` required), in words; null when it is one.
 */
export function findTimeProblem(text: string): string | null {
  const match = TIME.exec(text);
  if (!match) {
    return `expected an ISO 8601 time such as "${TIME_EXAMPLE}", got ${quote(text)}`;
  }
  const [, year, month, day, hour, minute, second, offset] = match;
  const quoted = quote(text);
  const dayProblem = findDayProblem(text, year, month, day);
  if (dayProblem !== null) return dayProblem;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59) {
    return `${quoted} is not a time of day (00:00:00 to 23:59:59)`;
  }
  if (offset === undefined) {
    return `${quoted} has no offset: add "Z" for UTC or an offset such as "+02:00" (a time is never read in the timezone of the machine)`;
  }
  if (offset !== "Z" && (Number(offset.slice(1, 3)) > 23 || Number(offset.slice(4)) > 59)) {
    return `${quoted} has an offset that does not exist (${offset}); offsets run from -23:59 to +23:59`;
  }
  return null;
}

/**
 * Why `text` is neither a time (as `findTimeProblem` takes it) nor a date, which stands for its
 * midnight UTC; null when it is one of them. This is what `--now` takes.
 */
export function findMomentProblem(text: string): string | null {
  if (DATE.test(text)) return findDateProblem(text);
  if (TIME.test(text)) return findTimeProblem(text);
  return `expected an ISO 8601 time such as "${TIME_EXAMPLE}" or a date such as "${DATE_EXAMPLE}" (midnight UTC), got ${quote(text)}`;
}

/** Epoch ms of a time or date that `findMomentProblem` accepted; a date is its midnight UTC. */
export function parseIsoTime(text: string): number {
  return DATE.test(text) ? Date.parse(`${text}T00:00:00Z`) : Date.parse(text);
}

function findDayProblem(
  text: string,
  yearText: string | undefined,
  monthText: string | undefined,
  dayText: string | undefined,
): string | null {
  const year = Number(yearText);
  const month = Number(monthText);
  const day = Number(dayText);
  const quoted = quote(text);
  if (year < 1970) return `${quoted} is before 1970: years run from 1970 to 9999`;
  if (month < 1 || month > 12) return `${quoted} has no month ${monthText ?? ""}: months run 01–12`;
  const monthName = MONTH_NAME.format(Date.UTC(2000, month - 1, 1));
  // Day 0 of the next month is the last day of this one.
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > days) {
    return `${quoted} is a day that does not exist: ${monthName} ${year} has ${days} days`;
  }
  return null;
}
