import type { Category as Classified, ItemCategory as Category, Status } from "../../domain/index";
import type { WorkspaceFile } from "../schema";
import type { CalendarDate, DemoZone, Quarter, TeamCalendar } from "./calendar";
import type { Rng } from "./random";

export type TeamFile = WorkspaceFile["teams"][number];
export type TargetFile = NonNullable<WorkspaceFile["targets"]>[number];
export type SprintFile = NonNullable<WorkspaceFile["sprints"]>[number];
export type ItemFile = NonNullable<WorkspaceFile["items"]>[number];
export type HistoryFile = NonNullable<ItemFile["history"]>[number];
type RuleFile = NonNullable<TeamFile["rules"]>[number];

/** The demo speaks of an item's category (unclassified too) and of the two it can be classified as. */
export type { Category, Classified, Status };
type Style = "jira-default" | "jira-rules" | "linear";

export const CATEGORIES: readonly Category[] = ["roadmap", "investment", "unclassified"];

export interface SprintSlot {
  readonly id: string;
  readonly name: string;
  readonly state: "closed" | "active" | "future";
  readonly startAt: number;
  readonly endAt: number;
  readonly completeAt: number | null;
  /** When the team closes it: `completeAt`, or the projected close of the active sprint. */
  readonly closeAt: number;
}

/** How a sprint's work splits: shares of investment among classified weight. */
interface SprintMix {
  readonly deliver: number;
  readonly commit: number;
  /** Investment committed to this sprint is moved out or carried over, never delivered. */
  readonly squeeze: boolean;
}

export interface Declaration {
  readonly investmentShare: number;
  readonly tolerance: number;
  readonly setBy: string;
  readonly reason: string;
}

/**
 * One declared target of a team: set at the start of quarter `from` (0 = the oldest of the six)
 * and, until the next one, confirmed at the start of every later quarter by `confirmedBy` (by
 * nobody when null).
 */
export interface TargetStep {
  readonly from: number;
  readonly investmentShare: number;
  readonly tolerance: number;
  readonly setBy: string;
  /** Why it was set; the quarter's planning round (`Q2 planning`) when absent. */
  readonly reason?: string | ((quarter: Quarter) => string);
  readonly confirmedBy: string | null;
}

/** The words a team's titles are made of. */
export interface Vocabulary {
  readonly epics: Readonly<Record<Classified, readonly string[]>>;
  readonly steps: Readonly<Record<Classified, readonly string[]>>;
  /** Roadmap work that stands on its own. */
  readonly stories: readonly string[];
  /** Filler words for the shared title templates. */
  readonly words: Readonly<Record<string, readonly string[]>>;
  readonly components: readonly string[];
  /** Linear projects of standalone issues. */
  readonly projects: readonly string[];
}

export interface TeamProfile {
  readonly id: string;
  readonly name: string;
  readonly source: "jira" | "linear";
  readonly style: Style;
  readonly timezone: DemoZone;
  readonly unit: "points" | "issues";
  readonly rules?: readonly RuleFile[];
  readonly cadence: {
    /** A day the cadence started on; sprints follow every `days` days from there. */
    readonly anchor: CalendarDate;
    readonly days: 7 | 14;
    /** Local hour at which a sprint starts (Linear cycles start at midnight). */
    readonly hour: number;
    readonly firstNumber: number;
  };
  readonly firstKey: number;
  /** Delivered weight per sprint, inclusive range. */
  readonly velocity: readonly [number, number];
  readonly unclassifiedShare: number;
  /** Share of roadmap and investment work that hangs under an epic (parent issue in Linear). */
  readonly epicShare: number;
  /** A custom Jira issue type the default rules count as investment. */
  readonly debtType: string | null;
  /** The largest investment item the team plans, in points. */
  readonly largestInvestment: number;
  readonly mix: (sprint: SprintSlot, calendar: TeamCalendar, rng: Rng) => SprintMix;
  /** The targets the team declares, oldest first; none for a team that never declared one. */
  readonly targets: readonly TargetStep[];
  /** The measure the team's flags judge (SPEC §2); delivered when absent. */
  readonly actual?: "spent";
  /**
   * Long work: the team's first `people.roadmap` and last `people.investment` people each always
   * have one piece of an epic of that category in progress, `days` long and `estimate` points,
   * carried from sprint to sprint until done. Sprint work goes to everyone but the investment
   * people, so they spend all their time on investment.
   */
  readonly longWork?: {
    readonly people: Readonly<Record<Classified, number>>;
    readonly days: readonly [number, number];
    readonly estimate: Readonly<Record<Classified, number>>;
  };
  readonly vocabulary: Vocabulary;
}
