import { describe, expect, it } from "vitest";
import { localDate, quarterOf, startOfLocalDay } from "../../src/domain/quarter-calendar";
import { at } from "../helpers/factories";

describe("quarters in a team's timezone (SPEC §7)", () => {
  it.each([
    ["UTC", "2026-06-30T23:59:59.999Z", 1, "2026-Q2"],
    ["UTC", "2026-07-01T00:00:00Z", 1, "2026-Q3"],
    // New York is UTC−4 in summer: Q3 starts at 04:00Z.
    ["America/New_York", "2026-07-01T03:59:59Z", 1, "2026-Q2"],
    ["America/New_York", "2026-07-01T04:00:00Z", 1, "2026-Q3"],
    // Zurich is UTC+2 in summer: Q4 starts on 30 September at 22:00Z.
    ["Europe/Zurich", "2026-09-30T21:59:59Z", 1, "2026-Q3"],
    ["Europe/Zurich", "2026-09-30T22:00:00Z", 1, "2026-Q4"],
    // Zurich is UTC+1 in winter: the new year starts at 23:00Z.
    ["Europe/Zurich", "2026-12-31T23:00:00Z", 1, "2027-Q1"],
    // Fiscal year from October, named by the calendar year in which it ends.
    ["UTC", "2026-10-01T00:00:00Z", 10, "FY2027-Q1"],
    ["UTC", "2026-09-30T23:59:59Z", 10, "FY2026-Q4"],
    ["UTC", "2027-01-15T00:00:00Z", 10, "FY2027-Q2"],
    ["UTC", "2027-01-31T00:00:00Z", 2, "FY2027-Q4"],
    ["UTC", "2027-02-01T00:00:00Z", 2, "FY2028-Q1"],
    ["America/New_York", "2026-04-01T03:00:00Z", 4, "FY2026-Q4"],
    ["America/New_York", "2026-04-01T04:00:00Z", 4, "FY2027-Q1"],
  ])("%s %s with fiscal start %i is %s", (zone, instant, start, id) => {
    expect(quarterOf(at(instant), zone, start).id).toBe(id);
  });

  it("gives quarters across a DST change their true length", () => {
    // Q1 starts in EST (UTC−5), Q2 in EDT (UTC−4): a quarter is 90 days less one hour.
    const q1 = quarterOf(at("2026-02-10T12:00:00Z"), "America/New_York", 1);
    expect(new Date(q1.start).toISOString()).toBe("2026-01-01T05:00:00.000Z");
    expect(new Date(q1.end).toISOString()).toBe("2026-04-01T04:00:00.000Z");
    expect(q1.end - q1.start).toBe(90 * 86_400_000 - 3_600_000);
    expect([q1.firstDay, q1.lastDay]).toEqual(["2026-01-01", "2026-03-31"]);
    const q4 = quarterOf(at("2026-11-01T12:00:00Z"), "Europe/Zurich", 1);
    expect(new Date(q4.start).toISOString()).toBe("2026-09-30T22:00:00.000Z");
    expect(new Date(q4.end).toISOString()).toBe("2026-12-31T23:00:00.000Z");
  });

  it("reads local dates on either side of midnight", () => {
    expect(localDate(at("2026-07-01T03:30:00Z"), "America/New_York")).toBe("2026-06-30");
    expect(localDate(at("2026-06-30T22:30:00Z"), "Europe/Zurich")).toBe("2026-07-01");
    expect(localDate(at("2026-03-08T07:30:00Z"), "America/New_York")).toBe("2026-03-08");
  });

  it("finds the first instant of a day whose midnight a DST change skips", () => {
    // Santiago moved clocks from 24:00 to 01:00 on 2026-09-06.
    const start = startOfLocalDay(2026, 9, 6, "America/Santiago");
    expect(localDate(start, "America/Santiago")).toBe("2026-09-06");
    expect(localDate(start - 1, "America/Santiago")).toBe("2026-09-05");
  });
});
