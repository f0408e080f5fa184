import { describe, expect, it } from "vitest";
import { CSV_COLUMNS, renderCsv } from "../../src/render/index";
import { HOSTILE_NAME, makeSprint, makeTeam, report } from "./fixture";

/** A small RFC 4180 reader: quoted fields may hold commas, doubled quotes and line breaks. */
function parseCsv(text: string): { rows: string[][]; quoted: boolean[][] } {
  const rows: string[][] = [];
  const quoted: boolean[][] = [];
  let row: string[] = [];
  let rowQuoted: boolean[] = [];
  let field = "";
  let inQuotes = false;
  let wasQuoted = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inQuotes) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (char === '"') {
        inQuotes = false;
      } else {
        field += char;
      }
    } else if (char === '"') {
      if (field !== "") throw new Error(`Quote inside an unquoted field at ${i}`);
      inQuotes = true;
      wasQuoted = true;
    } else if (char === ",") {
      row.push(field);
      rowQuoted.push(wasQuoted);
      field = "";
      wasQuoted = false;
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rowQuoted.push(wasQuoted);
      rows.push(row);
      quoted.push(rowQuoted);
      row = [];
      rowQuoted = [];
      field = "";
      wasQuoted = false;
      i++;
    } else {
      if (char === "\n" || char === "\r") throw new Error(`Bare line break at ${i}`);
      field += char;
    }
  }
  if (inQuotes) throw new Error("Unterminated quoted field");
  if (field !== "" || row.length > 0) throw new Error("Last record lacks its CRLF");
  return { rows, quoted };
}

function records(text: string): Record<string, string>[] {
  const [header = [], ...rows] = parseCsv(text).rows;
  return rows.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i] ?? ""])));
}

describe("renderCsv", () => {
  it("writes the header and one row per team-period", () => {
    const { rows } = parseCsv(renderCsv(report));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows[0]?.join(",")).toBe(
      "team_id,team_name,unit,period_kind,period_id,period_name,state,start,end,target_share,target_tolerance,committed_roadmap,committed_investment,committed_unclassified,delivered_roadmap,delivered_investment,delivered_unclassified,investment_share_committed,investment_share_delivered,unclassified_share_delivered,required_share,flags,actual,spent_roadmap,spent_investment,spent_unclassified,investment_share_spent,unclassified_share_spent",
    );
    // PAY: 5 sprints + 2 quarters; PLT: 2 sprints + 1 quarter; the org: 2 quarters.
    expect(rows).toHaveLength(1 + 7 + 3 + 2);
    for (const row of rows) expect(row).toHaveLength(CSV_COLUMNS.length);
  });

  it("shows spent beside delivered, and the org quarters with an empty team_id", () => {
    const all = records(renderCsv(report));
    const q3 = all.find((row) => row.team_id === "PAY" && row.period_id === "2026-Q3");
    expect(q3).toMatchObject({
      actual: "delivered",
      investment_share_delivered: "0.2777777777777778",
      investment_share_spent: "0.3",
      spent_roadmap: "50",
      spent_investment: "22.5",
      spent_unclassified: "2.5",
    });
    expect(all.find((row) => row.team_id === "PLT")?.actual).toBe("spent");
    const org = all.filter((row) => row.period_kind === "org-quarter");
    expect(org.map((row) => [row.team_id, row.team_name, row.period_id])).toEqual([
      ["", "org", "2026-Q3"],
      ["", "org", "2026-Q4"],
    ]);
    expect(org[1]).toMatchObject({
      investment_share_spent: "0.13333333333333333",
      investment_share_delivered: "",
      required_share: "0.52",
      flags: "QUARTER_AT_RISK:critical",
    });
  });

  it("quotes the fields that need it and reads back the same text", () => {
    const { rows, quoted } = parseCsv(renderCsv(report));
    const nameColumn = CSV_COLUMNS.indexOf("team_name");
    expect(rows[1]?.[nameColumn]).toBe(HOSTILE_NAME);
    expect(quoted[1]?.[nameColumn]).toBe(true);
    expect(renderCsv(report)).toContain('"Payments | <script>alert(""x"")</script>, EU"');
    expect(quoted[1]?.[0]).toBe(false);
  });

  it("puts a name on one line and neutralises control characters, so a row stays one line", () => {
    const text = renderCsv({
      version: 2,
      org: { quarters: [], flags: [] },
      now: report.now,
      teams: [
        makeTeam({
          name: "Pay\u001b[31m\u202eEU",
          sprints: [makeSprint({ name: "two\r\nlines\tand\u0085more" })],
        }),
      ],
    });
    const [row] = records(text);
    expect(row?.period_name).toBe("two lines and more");
    expect(row?.team_name).toBe("Pay\uFFFD[31m\uFFFDEU");
    expect(text.split("\r\n")).toHaveLength(3);
    for (const raw of ["\u001b", "\u0085", "\u202e"]) expect(text).not.toContain(raw);
    expect(text.replace(/\r\n/g, "")).not.toContain("\r");
  });

  it.each([
    ["=1+1", "'=1+1"],
    [" =1+1", "' =1+1"],
    ["\t=1+1", "' =1+1"],
    ["\r\n+1", "' +1"],
    ["\n-1", "' -1"],
    ["  @SUM(A1)", "'  @SUM(A1)"],
    ["\tplain", "' plain"],
    ["\rplain", "' plain"],
    ["plain =1", "plain =1"],
    ["a-b", "a-b"],
  ])("guards %j against formulas as %j", (name, written) => {
    const text = renderCsv({
      version: 2,
      org: { quarters: [], flags: [] },
      now: report.now,
      teams: [makeTeam({ sprints: [makeSprint({ name })] })],
    });
    expect(records(text)[0]?.period_name).toBe(written);
  });

  it("prints numbers as in the JSON, nulls as empty fields and flags as CODE:severity", () => {
    const [s1, , s3, , s5, q3, q4] = records(renderCsv(report));
    expect(s1?.investment_share_committed).toBe("0.2777777777777778");
    expect(s1?.required_share).toBe("");
    expect(s1?.flags).toBe("");
    expect(s3?.flags).toBe("INVESTMENT_ZEROED:critical;SPRINT_BELOW_TARGET:critical");
    expect(s5?.investment_share_delivered).toBe("");
    expect(q3?.period_kind).toBe("quarter");
    expect(q3?.committed_roadmap).toBe("");
    expect(q3?.investment_share_committed).toBe("");
    expect(q3?.delivered_roadmap).toBe("26");
    expect(q4?.required_share).toBe("0.4142857142857143");
    expect(q4?.flags).toBe("QUARTER_AT_RISK:warning");
    const plt = records(renderCsv(report)).filter((r) => r.team_id === "PLT");
    expect(plt.map((r) => [r.target_share, r.target_tolerance])).toEqual([
      ["", ""],
      ["", ""],
      ["", ""],
    ]);
  });

  it("defuses names a spreadsheet would run as formulas, but not negative numbers", () => {
    const text = renderCsv({
      version: 2,
      org: { quarters: [], flags: [] },
      now: report.now,
      teams: [
        makeTeam({
          name: '=HYPERLINK("http://evil.example","x")',
          sprints: [makeSprint({ name: "@SUM(A1)" })],
          quarters: [
            {
              id: "2026-Q4",
              start: "2026-10-01T00:00:00.000Z",
              end: "2027-01-01T00:00:00.000Z",
              state: "current",
              target: { investmentShare: 0.3, tolerance: 0.05 },
              delivered: { roadmap: 10, investment: 9, unclassified: 0 },
              spent: { roadmap: 0, investment: 0, unclassified: 0 },
              investmentShare: { delivered: 0.47, spent: null },
              unclassifiedShare: { delivered: 0, spent: null },
              requiredShare: -0.2,
              requiredToBand: null,
              flags: [],
            },
          ],
        }),
      ],
    });
    const [sprint, quarter] = records(text);
    expect(sprint?.team_name).toBe('\'=HYPERLINK("http://evil.example","x")');
    expect(sprint?.period_name).toBe("'@SUM(A1)");
    expect(quarter?.required_share).toBe("-0.2");
  });
});
