import type { TeamRun } from "./plan";
import {
  BUG_TITLES,
  CHORE_TITLES,
  DATA_REQUEST_TITLES,
  DEBT_TITLES,
  fillTitle,
  pickTitle,
  SPIKE_TITLES,
  STORY_TITLES,
} from "./titles";
import type { Category, Classified } from "./types";

const DEFAULT_RULE_LABELS = [
  "tech-debt",
  "refactor",
  "security",
  "performance",
  "reliability",
  "infra",
];

interface Shape {
  readonly type: string;
  readonly labels: readonly string[];
  readonly underEpic: boolean;
  readonly title: (run: TeamRun) => string;
}

/**
 * How an item of `category` looks in this team's tracker, so that SPEC §3 classifies it as
 * intended: explicit label, inheritance from an epic, a default or team rule, or nothing at all.
 */
export function chooseShape(run: TeamRun, category: Category, added: boolean): Shape {
  const { rng, profile } = run;
  const story = (r: TeamRun) => {
    const unused = r.profile.vocabulary.stories.filter((title) => !r.titles.has(title));
    return unused.length > 0 && r.rng.chance(0.5)
      ? pickTitle(r, unused)
      : fillTitle(r, STORY_TITLES);
  };
  const debt = (r: TeamRun) => fillTitle(r, DEBT_TITLES);
  const bug = (r: TeamRun) => fillTitle(r, BUG_TITLES);
  const chore = (r: TeamRun) => fillTitle(r, CHORE_TITLES);
  const underEpic = !added && category !== "unclassified" && rng.chance(profile.epicShare);

  if (profile.style === "linear") {
    if (category === "roadmap") {
      if (underEpic)
        return { type: "Issue", labels: rng.pick([[], ["Feature"]]), underEpic, title: story };
      return {
        type: "Issue",
        labels: rng.pick([["Roadmap"], ["Roadmap", "Feature"]]),
        underEpic,
        title: story,
      };
    }
    if (category === "investment") {
      if (underEpic)
        return { type: "Issue", labels: rng.pick([[], ["tech-debt"]]), underEpic, title: debt };
      const labels = rng.pick([
        ["Investment"],
        ["Investment"],
        ["tech-debt"],
        ["Investment", "performance"],
      ]);
      return { type: "Issue", labels, underEpic, title: debt };
    }
    if (run.profile.vocabulary.words.request !== undefined && rng.chance(0.6)) {
      const title = (r: TeamRun) => fillTitle(r, DATA_REQUEST_TITLES);
      return { type: "Issue", labels: rng.pick([[], ["Data request"]]), underEpic, title };
    }
    if (rng.chance(0.6)) return { type: "Issue", labels: ["Bug"], underEpic, title: bug };
    return { type: "Issue", labels: rng.pick([[], ["Improvement"]]), underEpic, title: chore };
  }

  if (profile.style === "jira-rules") {
    // Checkout's rules: production bugs are investment unless a customer reported them.
    if (category === "roadmap") {
      if (underEpic) return { type: "Story", labels: [], underEpic, title: story };
      if (added || rng.chance(0.2)) {
        return { type: "Bug", labels: ["customer-reported"], underEpic, title: bug };
      }
      return { type: "Story", labels: [], underEpic, title: story };
    }
    if (category === "investment") {
      if (underEpic) return { type: "Task", labels: [], underEpic, title: debt };
      if (added || rng.chance(0.35))
        return { type: "Bug", labels: rng.pick([[], ["regression"]]), underEpic, title: bug };
      if (rng.chance(0.2)) {
        return { type: "Task", labels: [], underEpic, title: (r) => fillTitle(r, SPIKE_TITLES) };
      }
      const labels = [rng.pick(["tech-debt", "refactor", "performance", "accessibility"])];
      return { type: "Task", labels, underEpic, title: debt };
    }
    return { type: "Task", labels: [], underEpic, title: chore };
  }

  // Jira with the default rules of SPEC §3.
  if (category === "roadmap") {
    if (underEpic)
      return { type: rng.pick(["Story", "Story", "Task"]), labels: [], underEpic, title: story };
    if (rng.chance(0.12))
      return { type: "Task", labels: ["capacity-roadmap"], underEpic, title: story };
    return {
      type: "Story",
      labels: rng.pick([[], [], ["customer-request"]]),
      underEpic,
      title: story,
    };
  }
  if (category === "investment") {
    if (underEpic)
      return { type: "Task", labels: rng.pick([[], [], ["tech-debt"]]), underEpic, title: debt };
    const roll = rng.float();
    if (roll < 0.55)
      return { type: "Task", labels: [rng.pick(DEFAULT_RULE_LABELS)], underEpic, title: debt };
    if (roll < 0.85 || profile.debtType === null) {
      return { type: "Task", labels: ["capacity-investment"], underEpic, title: debt };
    }
    return { type: profile.debtType, labels: [], underEpic, title: debt };
  }
  if (rng.chance(0.03)) {
    // Someone tagged both; SPEC §3 calls it a conflict and leaves it unclassified.
    return {
      type: "Task",
      labels: ["capacity-roadmap", "capacity-investment"],
      underEpic,
      title: chore,
    };
  }
  if (added || rng.chance(0.7)) {
    const labels = rng.pick([[], [], ["customer-reported"], ["regression"], ["sev-3"]]);
    return { type: "Bug", labels, underEpic, title: bug };
  }
  return { type: "Task", labels: [], underEpic, title: chore };
}

export function explicitLabel(run: TeamRun, category: Classified): string {
  if (run.profile.source === "linear") return category === "roadmap" ? "Roadmap" : "Investment";
  return category === "roadmap" ? "capacity-roadmap" : "capacity-investment";
}
