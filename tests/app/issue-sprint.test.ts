/**
 * The sprint an issue is in, in Jira's terms: active, else next planned, else its last closed one
 * (a finished issue stays in it; an unfinished one is in the backlog, last in it), and the active
 * sprint's shares worded as the project page words them.
 */
import { describe, expect, it } from "vitest";
import { currentSprintOf } from "../../src/app/index";
import type { Sprint } from "../../src/domain/types";
import { describeActiveSprint, describeIssueSprint } from "../../src/render/index";
import { makeSprint } from "../render/fixture";

const day = 86_400_000;
const NOW = Date.parse("2026-11-24T00:00:00Z");
const sprint = (id: string, start: number, end: number, closed: boolean): Sprint => ({
  id,
  teamId: "PAY",
  name: `PAY Sprint ${id}`,
  startAt: NOW + start * day,
  endAt: NOW + end * day,
  completeAt: closed ? NOW + end * day : null,
});
const s74 = sprint("74", -42, -28, true);
const s75 = sprint("75", -28, -14, true);
const s76 = sprint("76", -14, 0.5, false);
const s77 = sprint("77", 1, 14, false);

describe("currentSprintOf", () => {
  it.each([
    {
      name: "the active sprint first",
      sprints: [s75, s77, s76],
      status: "todo",
      words: "PAY Sprint 76",
    },
    {
      name: "else the next planned one",
      sprints: [s74, s77],
      status: "todo",
      words: "PAY Sprint 77",
    },
    {
      name: "a done issue whose sprints all closed stays in the last of them",
      sprints: [s75, s74],
      status: "done",
      words: "PAY Sprint 75",
    },
    {
      name: "an unfinished issue whose sprints all closed is in the backlog, last in the latest",
      sprints: [s75, s74],
      status: "inProgress",
      words: "Backlog, last in PAY Sprint 75",
    },
    { name: "never in a sprint: the backlog", sprints: [], status: "todo", words: "Backlog" },
  ] as const)("$name", ({ sprints, status, words }) => {
    expect(describeIssueSprint(currentSprintOf(sprints, NOW, status))).toBe(words);
  });

  it("a done issue's closed sprint says closed, not backlog", () => {
    expect(currentSprintOf([s75], NOW, "done")).toEqual({
      id: "75",
      name: "PAY Sprint 75",
      state: "closed",
    });
  });
});

describe("describeActiveSprint", () => {
  const active = makeSprint({
    name: "IDN Sprint 50",
    state: "active",
    investmentShare: { committed: 0.343, delivered: 0.091, spent: 0.479 },
    spent: { roadmap: 5, investment: 4.6, unclassified: 0 },
  });
  it("leads with the measure the team is judged on and gives the other beside it", () => {
    expect(describeActiveSprint(active, "spent")).toBe(
      "IDN Sprint 50 now: committed 34.3% investment, spent so far 47.9%; delivered so far 9.1%. This team is judged on time spent.",
    );
    expect(describeActiveSprint(active, "delivered")).toBe(
      "IDN Sprint 50 now: committed 34.3% investment, delivered so far 9.1%; spent so far 47.9%. This team is judged on work delivered.",
    );
  });
});
