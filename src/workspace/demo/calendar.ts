import { instantOfLocalTime, localDate as localDateText } from "../../domain/index";

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface CalendarDate {
  readonly year: number;
  /** 1 = January. */
  readonly month: number;
  readonly day: number;
}

/** The zones the demo's teams sit in. */
export type DemoZone =
  "America/New_York" | "America/Los_Angeles" | "Europe/Berlin" | "Europe/Zurich";

export function localDate(instant: number, zone: DemoZone): CalendarDate {
  const [year, month, day] = localDateText(instant, zone).split("-").map(Number);
  return { year: year ?? 1970, month: month ?? 1, day: day ?? 1 };
}

/** The instant at which the wall clock in `zone` shows `date` at `hour`:00. */
export function zonedInstant(date: CalendarDate, hour: number, zone: DemoZone): number {
  return instantOfLocalTime(date.year, date.month, date.day, hour, zone);
}

function fromUtcDate(ms: number): CalendarDate {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtcDate(Date.UTC(date.year, date.month - 1, date.day + days));
}

function addMonths(date: CalendarDate, months: number): CalendarDate {
  return fromUtcDate(Date.UTC(date.year, date.month - 1 + months, date.day));
}

export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round(
    (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / DAY,
  );
}

export function formatDate(date: CalendarDate): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

export function iso(instant: number): string {
  return new Date(instant).toISOString();
}

/** The demo declares `fiscalYearStartMonth: 1`, so quarters are calendar quarters. */
function quarterStartOf(date: CalendarDate): CalendarDate {
  return { year: date.year, month: Math.floor((date.month - 1) / 3) * 3 + 1, day: 1 };
}

export interface Quarter {
  readonly firstDay: CalendarDate;
  readonly start: number;
  /** `H1 planning` for January, `Q2 planning` for April… */
  readonly planning: string;
}

export interface TeamCalendar {
  /** Six quarters, oldest first; the last one holds `now`. */
  readonly quarters: readonly Quarter[];
  readonly first: Quarter;
  readonly previous: Quarter;
  readonly current: Quarter;
}

export function buildCalendar(zone: DemoZone, now: number): TeamCalendar {
  const currentDay = quarterStartOf(localDate(now, zone));
  const quarters: Quarter[] = [];
  for (let back = 5; back >= 0; back--) {
    const firstDay = addMonths(currentDay, -3 * back);
    const number = (firstDay.month - 1) / 3 + 1;
    quarters.push({
      firstDay,
      start: zonedInstant(firstDay, 0, zone),
      planning: number === 1 ? "H1 planning" : number === 3 ? "H2 planning" : `Q${number} planning`,
    });
  }
  const [first, previous, current] = [quarters[0], quarters[4], quarters[5]];
  if (!first || !previous || !current) throw new Error("A demo calendar needs six quarters.");
  return { quarters, first, previous, current };
}
