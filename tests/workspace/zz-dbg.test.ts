import { test } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo.js";
import { parseWorkspace } from "../../src/workspace/load-workspace.js";
import { computeReport } from "../../src/domain/report.js";
test("dbg", () => {
  const now = Date.parse(process.env.NOW ?? "2026-04-04T12:00:00Z");
  const file = generateDemoWorkspace(now);
  const parsed = parseWorkspace(JSON.parse(JSON.stringify(file)));
  if (!parsed.ok) throw new Error("bad");
  const sid = process.env.DEBUGS ?? "";
  const sprint = parsed.workspace.sprints.find((s) => s.id === sid)!;
  const report = computeReport(parsed.workspace, { now });
  const team = report.teams.find((t) => t.id === sprint.teamId)!;
  const cat = new Map(team.items.map((i) => [i.id, i.category]));
  for (const item of parsed.workspace.items) {
    if (
      !item.sprintIds.includes(sid) &&
      !item.history.some(
        (e) => e.field === "sprint" && (e.to.includes(sid) || e.from.includes(sid)),
      )
    )
      continue;
    console.log(
      item.id,
      cat.get(item.id),
      item.estimate,
      item.status,
      item.title,
      new Date(item.createdAt).toISOString(),
      JSON.stringify(
        item.history.map((e) => [new Date(e.at).toISOString().slice(5, 16), e.field, e.from, e.to]),
      ),
    );
  }
  console.log(new Date(sprint.startAt).toISOString());
});
