import { test } from "vitest";
import { generateDemoWorkspace } from "../../src/workspace/demo.js";
import { parseWorkspace } from "../../src/workspace/load-workspace.js";
import { computeReport } from "../../src/domain/report.js";

test("sweep", () => {
  const base = Date.parse(process.env.BASE ?? "2026-01-01T00:00:00Z");
  const n = Number(process.env.N ?? 40);
  const bad: string[] = [];
  for (let i = 0; i < n; i++) {
    const now = base + i * 9.3 * 86_400_000 + ((i * 7) % 24) * 3_600_000;
    const file = generateDemoWorkspace(now);
    const parsed = parseWorkspace(JSON.parse(JSON.stringify(file)));
    if (!parsed.ok) { bad.push(`${new Date(now).toISOString()} parse ${parsed.problems.slice(0, 3).join(";")}`); continue; }
    const report = computeReport(parsed.workspace, { now });
    const t = (id: string) => report.teams.find((x) => x.id === id)!;
    const codes = (id: string) => new Set(t(id).flags.map((f) => f.code));
    const pay = codes("PAY");
    const cq = t("PAY").quarters.at(-1)!;
    const elapsed = (now - Date.parse(cq.start)) / 86_400_000;
    const need = ["SUSTAINED_EROSION", "INVESTMENT_ZEROED", "SPRINT_SQUEEZED", "QUARTER_BELOW_TARGET"];
    if (elapsed >= 14) need.push("QUARTER_AT_RISK");
    const miss = need.filter((c) => !pay.has(c));
    const iso = new Date(now).toISOString();
    if (miss.length) bad.push(`${iso} PAY missing ${miss} (elapsed ${elapsed.toFixed(1)} req ${cq.requiredShare} share ${cq.investmentShare})`);
    if (!codes("PLAT").has("ROADMAP_STARVED")) bad.push(`${iso} PLAT not starved`);
    const chk = t("CHK").flags.filter((f) => f.severity !== "info");
    if (chk.length) bad.push(`${iso} CHK ${chk.map((f) => `${f.code}@${f.period.id}`).join(",")}`);
    if (!codes("MOB").has("NO_TARGET")) bad.push(`${iso} MOB`);
    if (!codes("DATA").has("LOW_CONFIDENCE")) bad.push(`${iso} DATA`);
    const others = report.teams.filter((x) => x.id !== "MOB" && x.flags.some((f) => f.code === "NO_TARGET"));
    if (others.length) bad.push(`${iso} NO_TARGET on ${others.map((x) => x.id)}`);
    const sizes = report.teams.map((x) => `${x.id}:${x.quarters.length}`).join(" ");
    if (report.teams.some((x) => x.quarters.length !== 6)) bad.push(`${iso} quarters ${sizes}`);
    const gro = t("GRO").flags.filter((f) => f.severity !== "info").length;
    const data = t("DATA").flags.filter((f) => f.severity !== "info").length;
    console.log(iso, "items", file.items?.length, "GRO warn", gro, "DATA warn", data, "elapsed", elapsed.toFixed(1));
  }
  console.log(bad.join("\n") || "ALL GOOD");
});
