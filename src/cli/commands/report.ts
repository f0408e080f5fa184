import { buildReport } from "../../app/build-report.js";
import { renderCsv, renderHtml, renderMarkdown, renderTable } from "../../app/render/index.js";
import type { Report } from "../../domain/types.js";
import {
  choiceOption,
  flagOption,
  formatOptions,
  listOption,
  nowOption,
  parseCommandArgs,
  stringOption,
  type OptionSpecs,
} from "../args.js";
import { loadWorkspace, wantsColor, writeFileAtomically, type CliIo } from "../io.js";

const FORMATS = ["table", "json", "md", "csv", "html"] as const;
type Format = (typeof FORMATS)[number];

const OPTIONS: OptionSpecs = {
  input: { type: "string", value: "FILE", description: "workspace file to read (SPEC §11)" },
  demo: { type: "boolean", description: "use the embedded demo workspace instead" },
  now: { type: "string", value: "ISO", description: "the moment to report on (default: now)" },
  team: { type: "string", multiple: true, value: "ID", description: "only this team (repeatable)" },
  quarter: {
    type: "string",
    value: "ID",
    description: "only this quarter, e.g. 2026-Q3 or FY2027-Q1",
  },
  format: {
    type: "string",
    value: FORMATS.join("|"),
    description: "output format (default: table)",
  },
  out: { type: "string", value: "FILE", description: "write to FILE instead of stdout" },
  help: { type: "boolean", description: "show this help" },
};

export const REPORT_HELP = `Usage: capacity-split report [--input FILE | --demo] [options]

The roadmap / investment split of every team per sprint and per quarter against its declared
target, with the flags that need attention.

Options:
${formatOptions(OPTIONS)}

Examples:
  capacity-split report --demo
  capacity-split report --input ws.json --now 2026-11-24T00:00:00Z --format json
  capacity-split report --demo --format html --out report.html
`;

export function runReport(argv: readonly string[], io: CliIo): number {
  const args = parseCommandArgs("report", argv, OPTIONS);
  if (flagOption(args, "help")) {
    io.stdout.write(REPORT_HELP);
    return 0;
  }
  const format = choiceOption(args, "format", FORMATS, "table");
  const now = nowOption(args, io.now ?? Date.now);
  const workspace = loadWorkspace(stringOption(args, "input"), flagOption(args, "demo"), now);
  const report = buildReport(workspace, {
    now,
    teamIds: listOption(args, "team"),
    quarterId: stringOption(args, "quarter"),
  });
  const out = stringOption(args, "out");
  const text = renderReport(report, format, out === undefined && wantsColor(io));
  if (out === undefined) {
    io.stdout.write(text);
  } else {
    writeFileAtomically(out, text);
    io.stderr.write(`Wrote the ${format} report of ${report.teams.length} team(s) to ${out}\n`);
  }
  return 0;
}

export function renderReport(report: Report, format: Format, color: boolean): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(report, null, 2)}\n`;
    case "table":
      return renderTable(report, { color });
    case "md":
      return renderMarkdown(report);
    case "csv":
      return renderCsv(report);
    case "html":
      return renderHtml(report);
  }
}
