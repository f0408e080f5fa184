/**
 * The neutral model of SPEC §2 and the report of SPEC §10. Times inside the domain are epoch
 * milliseconds; the report turns them back into ISO strings.
 */

export type Category = "roadmap" | "investment";
export type ItemCategory = Category | "unclassified";
export type Status = "todo" | "inProgress" | "done" | "canceled";
export type Unit = "points" | "issues";
export type Source = "jira" | "linear" | "file";

export interface RuleCondition {
  readonly type?: readonly string[];
  readonly labels?: readonly string[];
  readonly components?: readonly string[];
  readonly project?: readonly string[];
  readonly titleMatches?: string;
}

export interface Rule {
  readonly if: RuleCondition;
  readonly then: Category;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly source: Source;
  readonly unit: Unit;
  readonly unestimatedWeight: number;
  readonly timezone: string;
  readonly labels: { readonly roadmap: string; readonly investment: string };
  /** Empty means the default rules of SPEC §3. */
  readonly rules: readonly Rule[];
}

export interface Sprint {
  readonly id: string;
  readonly teamId: string;
  readonly name: string;
  readonly startAt: number;
  readonly endAt: number;
  readonly completeAt: number | null;
}

export type HistoryEvent =
  | {
      readonly at: number;
      readonly field: "sprint";
      readonly from: readonly string[];
      readonly to: readonly string[];
    }
  | {
      readonly at: number;
      readonly field: "estimate";
      readonly from: number | null;
      readonly to: number | null;
    }
  | { readonly at: number; readonly field: "status"; readonly from: Status; readonly to: Status }
  | {
      readonly at: number;
      readonly field: "assignee";
      readonly from: string | null;
      readonly to: string | null;
    };

export interface Item {
  readonly id: string;
  readonly teamId: string;
  readonly title: string;
  readonly type: string;
  readonly labels: readonly string[];
  readonly components: readonly string[];
  readonly project: string | null;
  readonly parentId: string | null;
  readonly estimate: number | null;
  readonly status: Status;
  /** An opaque person id, or null (SPEC §2); absent reads as null. */
  readonly assignee?: string | null;
  readonly createdAt: number;
  readonly completedAt: number | null;
  readonly sprintIds: readonly string[];
  readonly history: readonly HistoryEvent[];
}

export interface Target {
  readonly teamId: string;
  readonly investmentShare: number;
  readonly tolerance: number;
  /** A calendar date, `YYYY-MM-DD`, compared in the team's timezone. */
  readonly effectiveFrom: string;
  readonly setBy: string;
  readonly reason: string;
}

export interface Settings {
  /** 1 = January: calendar quarters. */
  readonly fiscalYearStartMonth: number;
}

export interface Workspace {
  readonly version: 1;
  readonly settings: Settings;
  readonly teams: readonly Team[];
  /** In the order they were declared: later entries win ties (SPEC §8). */
  readonly targets: readonly Target[];
  readonly sprints: readonly Sprint[];
  readonly items: readonly Item[];
}

export interface Split {
  readonly roadmap: number;
  readonly investment: number;
  readonly unclassified: number;
}

export type ProvenanceSource = "explicit" | "conflict" | "inherited" | "rule" | "none";

export interface Classification {
  readonly category: ItemCategory;
  readonly source: ProvenanceSource;
  /** The ancestor's id for `inherited`, `rule:N` for `rule`, else null. */
  readonly via: string | null;
}

export type Severity = "info" | "warning" | "critical";

export type FlagCode =
  | "NO_TARGET"
  | "TARGET_REVIEW_DUE"
  | "SPRINT_COMMITTED_BELOW_TARGET"
  | "SPRINT_DELIVERED_BELOW_TARGET"
  | "SPRINT_SQUEEZED"
  | "INVESTMENT_ZEROED"
  | "SUSTAINED_EROSION"
  | "ROADMAP_STARVED"
  | "QUARTER_BELOW_TARGET"
  | "QUARTER_AT_RISK"
  | "LOW_CONFIDENCE";

export interface FlagRef {
  readonly code: FlagCode;
  readonly severity: Severity;
}

export interface Period {
  readonly kind: "sprint" | "quarter" | "team";
  readonly id: string;
}

export type EvidenceValue = number | string | null | readonly (number | string)[];

export interface Flag extends FlagRef {
  readonly period: Period;
  readonly message: string;
  readonly evidence: Readonly<Record<string, EvidenceValue>>;
}

export interface TargetRef {
  readonly investmentShare: number;
  readonly tolerance: number;
}

export type SprintState = "future" | "active" | "closed";
export type QuarterState = "closed" | "current";

export interface SprintReport {
  readonly id: string;
  readonly name: string;
  readonly state: SprintState;
  readonly startAt: string;
  readonly endAt: string;
  readonly completeAt: string | null;
  readonly target: TargetRef | null;
  readonly committed: Split;
  readonly added: Split;
  readonly removed: Split;
  readonly delivered: Split;
  /** Closed sprints only. */
  readonly carriedOver?: Split;
  readonly investmentShare: {
    readonly committed: number | null;
    readonly delivered: number | null;
  };
  readonly unclassifiedShare: {
    readonly committed: number | null;
    readonly delivered: number | null;
  };
  readonly unestimated: number;
  readonly flags: readonly FlagRef[];
}

export interface QuarterReport {
  readonly id: string;
  readonly start: string;
  readonly end: string;
  readonly state: QuarterState;
  readonly target: TargetRef | null;
  readonly delivered: Split;
  readonly investmentShare: number | null;
  readonly unclassifiedShare: number | null;
  readonly requiredShare: number | null;
  readonly flags: readonly FlagRef[];
}

export interface ItemReport {
  readonly id: string;
  readonly category: ItemCategory;
  readonly source: ProvenanceSource;
  readonly via: string | null;
}

export interface TeamReport {
  readonly id: string;
  readonly name: string;
  readonly unit: Unit;
  readonly sprints: readonly SprintReport[];
  readonly quarters: readonly QuarterReport[];
  readonly flags: readonly Flag[];
  readonly items: readonly ItemReport[];
}

export interface Report {
  readonly version: 1;
  readonly now: string;
  readonly teams: readonly TeamReport[];
}
