/**
 * Calendar arithmetic in a team's timezone (SPEC §7, §8), on Intl's time zone data: local dates of
 * instants, the instant of a local midnight, and (fiscal) quarters.
 */

export interface QuarterBounds {
  /** `2026-Q3` for calendar quarters, `FY2027-Q1` when the fiscal year starts in another month. */
  readonly id: string;
  /** Local midnight of the quarter's first day, epoch ms. */
  readonly start: number;
  /** Local midnight of the next quarter's first day (exclusive). */
  readonly end: number;
  /** `YYYY-MM-DD` of the first and last local day. */
  readonly firstDay: string;
  readonly lastDay: string;
}

interface LocalParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local wall-clock time of an instant, read as if it were UTC (epoch ms, whole seconds). */
function wallClock(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(instant)) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const year = fields.year ?? 1970;
  return Date.UTC(
    year,
    (fields.month ?? 1) - 1,
    fields.day ?? 1,
    fields.hour ?? 0,
    fields.minute ?? 0,
    fields.second ?? 0,
  );
}

/** Local minus UTC at an instant, in ms. */
function offsetAt(instant: number, timeZone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClock(whole, timeZone) - whole;
}

function localParts(instant: number, timeZone: string): LocalParts {
  const wall = new Date(wallClock(instant, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** The local calendar date of an instant in a timezone, `YYYY-MM-DD`. */
export function localDate(instant: number, timeZone: string): string {
  const { year, month, day } = localParts(instant, timeZone);
  return `${String(year).padStart(4, "0")}-${pad2(month)}-${pad2(day)}`;
}

/**
 * The instant of local midnight at the start of a date. Where a DST change skips midnight, the
 * first instant of that day (the end of the gap).
 */
export function startOfLocalDay(
  year: number,
  month: number,
  day: number,
  timeZone: string,
): number {
  return instantOfLocalTime(year, month, day, 0, timeZone);
}

/**
 * The instant at which the wall clock in a timezone shows `hour`:00 on a date; inside a DST gap,
 * the end of the gap.
 */
export function instantOfLocalTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  timeZone: string,
): number {
  const wall = Date.UTC(year, month - 1, day, hour);
  const first = wall - offsetAt(wall, timeZone);
  const firstOffset = offsetAt(first, timeZone);
  if (first + firstOffset === wall) return first;
  const second = wall - firstOffset;
  if (second + offsetAt(second, timeZone) === wall) return second;
  // That wall-clock time does not exist: it falls in the gap, which ends at the later candidate.
  return Math.max(first, second);
}

/** The quarter holding an instant, for a fiscal year starting in `fiscalYearStartMonth` (1–12). */
export function quarterOf(
  instant: number,
  timeZone: string,
  fiscalYearStartMonth: number,
): QuarterBounds {
  const { year, month } = localParts(instant, timeZone);
  const monthsIntoYear = (month - fiscalYearStartMonth + 12) % 12;
  const startMonthIndex = month - 1 - (monthsIntoYear % 3); // may be negative: Date.UTC wraps it
  return quarterStartingAt(year, startMonthIndex, timeZone, fiscalYearStartMonth);
}

/** The quarter after the given one. */
export function nextQuarter(
  quarter: QuarterBounds,
  timeZone: string,
  fiscalYearStartMonth: number,
): QuarterBounds {
  return quarterOf(quarter.end, timeZone, fiscalYearStartMonth);
}

function quarterStartingAt(
  year: number,
  monthIndex: number,
  timeZone: string,
  fiscalYearStartMonth: number,
): QuarterBounds {
  const first = new Date(Date.UTC(year, monthIndex, 1));
  const after = new Date(Date.UTC(year, monthIndex + 3, 1));
  const last = new Date(Date.UTC(year, monthIndex + 3, 0));
  const startYear = first.getUTCFullYear();
  const startMonth = first.getUTCMonth() + 1;
  const start = startOfLocalDay(startYear, startMonth, 1, timeZone);
  const end = startOfLocalDay(after.getUTCFullYear(), after.getUTCMonth() + 1, 1, timeZone);
  const quarterNumber = Math.floor(((startMonth - fiscalYearStartMonth + 12) % 12) / 3) + 1;
  let id: string;
  if (fiscalYearStartMonth === 1) {
    id = `${startYear}-Q${quarterNumber}`;
  } else {
    // A fiscal year is named by the calendar year in which it ends.
    const fiscalYear = startMonth >= fiscalYearStartMonth ? startYear + 1 : startYear;
    id = `FY${fiscalYear}-Q${quarterNumber}`;
  }
  return {
    id,
    start,
    end,
    firstDay: `${startYear}-${pad2(startMonth)}-01`,
    lastDay: `${last.getUTCFullYear()}-${pad2(last.getUTCMonth() + 1)}-${pad2(last.getUTCDate())}`,
  };
}

function pad2(n: number): string {
  return String(n).padStart(2, "0");
}
