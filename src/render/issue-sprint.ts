/** The sprint an issue is in, in words, the same on the triage list and the issue panel. */
import { formatPercent } from "../domain/index";
import type { ActualMeasure, SprintReport, SprintState } from "../domain/index";

/** The sprint an issue is in: its active one, else its next planned one, else its last closed one. */
export interface IssueSprint {
  readonly id: string;
  readonly name: string;
  readonly state: SprintState;
  /**
   * True when every sprint of the issue closed before it was finished: it sits in the backlog,
   * and this is the last sprint it was in (carried over).
   */
  readonly backlog?: boolean;
}

/** "PAY Sprint 75", "Backlog, last in PAY Sprint 75", or "Backlog" for an issue never in a sprint. */
export function describeIssueSprint(sprint: IssueSprint | null): string {
  if (sprint === null) return "Backlog";
  return sprint.backlog ? `Backlog, last in ${sprint.name}` : sprint.name;
}

/**
 * An active sprint's shares so far as the project page's chart words them ("PAY Sprint 76 now:
 * committed 28.6% investment, delivered so far 0%"), or a closed one's final shares ("PAY Sprint
 * 75 closed: committed 29.4% investment, delivered 0%"), the measure the team is judged on first
 * and the other beside it.
 */
export function describeActiveSprint(sprint: SprintReport, actual: ActualMeasure): string {
  const other: ActualMeasure = actual === "spent" ? "delivered" : "spent";
  const word = (measure: ActualMeasure): string => (measure === "spent" ? "spent" : "delivered");
  const otherShare = sprint.investmentShare[other];
  // A closed sprint's shares are final; an active one's grow until it closes.
  const closed = sprint.state === "closed";
  const soFar = closed ? "" : " so far";
  const besides =
    other === "spent" && sprint.spent === undefined
      ? ""
      : `; ${word(other)}${soFar} ${formatPercent(otherShare)}`;
  return `${sprint.name} ${closed ? "closed" : "now"}: committed ${formatPercent(sprint.investmentShare.committed)} investment, ${word(actual)}${soFar} ${formatPercent(sprint.investmentShare[actual])}${besides}. This team is judged on ${actual === "spent" ? "time spent" : "work delivered"}.`;
}
