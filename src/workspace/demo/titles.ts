import type { TeamRun } from "./plan";

export const STORY_TITLES = ["{screen}: {improvement}"];
export const DEBT_TITLES = [
  "Upgrade {lib} to the latest minor",
  "Fix flaky test {test}",
  "Remove feature flag {flag}",
  "Add alerting for {service}",
  "Reduce p99 latency of {endpoint}",
  "Replace hand-rolled retries in {service} with the shared client",
  "Delete dead code in {service}",
  "Add contract tests for {endpoint}",
  "Move {service} secrets to Vault",
  "Write the runbook for {service}",
];
export const BUG_TITLES = [
  "{screen}: {symptom}",
  "{endpoint} returns 500 when {condition}",
  "{screen} crashes when {condition}",
  "{symptom} on {screen}",
];
export const CHORE_TITLES = [
  "Investigate {symptom} reported by support",
  "Prepare the {partner} review",
  "Answer {partner} questions about {endpoint}",
  "Update the on-call handbook for {service}",
  "Clean up the {screen} copy",
];
export const SPIKE_TITLES = ["Spike: {question}"];
export const DATA_REQUEST_TITLES = [
  "Data request: {request}",
  "Ad hoc: {request} for {partner}",
  "Pull {request} for the {meeting}",
];

const FOLLOW_UPS = ["follow-up", "part 2", "second pass", "edge cases", "cleanup", "v2"];

/** A title not used before in the team: a few draws, then a follow-up of the last one drawn. */
export function distinctTitle(run: TeamRun, draw: () => string): string {
  let title = draw();
  for (let attempt = 0; attempt < 4 && run.titles.has(title); attempt++) title = draw();
  for (let attempt = 0; attempt < 6 && run.titles.has(title); attempt++) {
    title = `${title.replace(/ \(.*\)$/, "")} (${run.rng.pick(FOLLOW_UPS)})`;
  }
  run.titles.add(title);
  return title;
}

export function fillTitle(run: TeamRun, templates: readonly string[]): string {
  const words = run.profile.vocabulary.words;
  return distinctTitle(run, () =>
    run.rng
      .pick(templates)
      .replace(/\{(\w+)\}/g, (_match, key: string) => run.rng.pick(words[key] ?? [key]))
      .replace(/^./, (first) => first.toUpperCase()),
  );
}

export function pickTitle(run: TeamRun, titles: readonly string[]): string {
  return distinctTitle(run, () => run.rng.pick(titles));
}
