import { test } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo.js";
import { parseWorkspace } from "../../src/workspace/load-workspace.js";
import { computeReport } from "../../src/domain/report.js";

const nows = (
  process.env.NOWS ?? "2026-04-04T12:00:00Z,2026-05-15T12:00:00Z,2026-06-28T12:00:00Z"
).split(",");
test("explore", () => {
  for (const n of nows) {
    const now = Date.parse(n);
    const t = performance.now();
    const file = generateDemoWorkspace(now);
    const ms = performance.now() - t;
    const parsed = parseWorkspace(JSON.parse(JSON.stringify(file)));
    if (!parsed.ok) {
      console.log(parsed.problems.slice(0, 20));
      continue;
    }
    const report = computeReport(parsed.workspace, { now });
    console.log(
      `=== ${n} items=${file.items?.length} sprints=${file.sprints?.length} gen=${ms.toFixed(1)}ms`,
    );
    for (const team of report.teams) {
      const counts: Record<string, number> = {};
      for (const f of team.flags)
        counts[`${f.code}/${f.severity[0]}`] = (counts[`${f.code}/${f.severity[0]}`] ?? 0) + 1;
      const items = file.items?.filter((i) => i.teamId === team.id).length;
      console.log(
        team.id,
        `items=${items} quarters=${team.quarters.length} sprints=${team.sprints.length}`,
        JSON.stringify(counts),
      );
      if (process.env.DETAIL === team.id) {
        for (const s of team.sprints)
          console.log(
            " ",
            s.name,
            s.state,
            s.startAt.slice(0, 10),
            "c",
            s.investmentShare.committed?.toFixed(2),
            "d",
            s.investmentShare.delivered?.toFixed(2),
            "u",
            s.unclassifiedShare.delivered?.toFixed(2),
            JSON.stringify(s.delivered),
            s.flags.map((f) => f.code).join(","),
          );
        for (const q of team.quarters)
          console.log(
            " ",
            q.id,
            q.state,
            q.investmentShare?.toFixed(3),
            q.unclassifiedShare?.toFixed(2),
            q.requiredShare?.toFixed(3),
            JSON.stringify(q.delivered),
            q.flags.map((f) => f.code).join(","),
          );
      }
    }
  }
});
