/**
 * The embedded demo workspace: five Jira boards and two Linear teams over six calendar quarters
 * ending at the quarter holding `now`, each team with a story a first-time user should find in the
 * report (its profile under `teams/` tells it). Work is assigned when it is started, to one of the
 * team's five people, so spent effort (SPEC §6a) reads where each team's time went.
 *
 * Everything is derived from `now` and {@link DEMO_SEED}, so the same `now` always gives the same
 * file; the stories are built into the plan of each sprint rather than left to chance.
 */

export { DEMO_SEED, generateDemoWorkspace } from "./generate";
