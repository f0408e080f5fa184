/**
 * The resolver contract: every resolver the pages call, by key, with the zod schema its payload is
 * parsed with and the type it answers with. The backend's resolver table must implement exactly
 * these (`ResolverHandlers` in `resolvers.ts`), and the pages' `callResolver` takes its payload and
 * answer types from here, so a change to either side that the other does not follow fails the
 * typecheck.
 *
 * To add a resolver:
 * 1. Add an entry below: `"area/verb": { payload: z.strictObject({ … }), answer: answer<Result>() }`.
 *    The payload schema is what the resolver trusts: it is parsed before the resolver runs, and a
 *    payload that does not parse is answered with BAD_REQUEST naming every problem.
 * 2. Implement it in `RESOLVERS` (`resolvers.ts`; the admin page's Linear ones in `LINEAR_RESOLVERS`,
 *    `linear-admin.ts`): it receives the parsed payload and must resolve with `Result`. Until it
 *    exists, or if it answers something else, the typecheck fails.
 * 3. Call it from a page with `callResolver("area/verb", payload)` (`static/shared/client.ts`); the
 *    payload is checked against the schema's input type and the answer is typed `Result`. The
 *    Forge manifest needs nothing: one function serves every key.
 *
 * Only types leave this module for the pages (`import type`), so their bundles carry no zod.
 */
import { z } from "zod";
import type { Report } from "../domain/index";
import type { AppErrorCode } from "./app-error";
import { BULK_MAX, type BulkFailure, type BulkJob } from "./bulk-classify";
import type { BoardSummary, BoardSyncing, ClassifyChange, ItemAnswer } from "./board-source";
import type { Withheld } from "./board-visibility";
import { DRILL_REASONS, type DrillDown } from "./drill-down";
import type { LastLinearSync } from "./last-linear-sync";
import {
  linearSettingsSchema,
  linearTeamKeySchema,
  type LinearConnectionView,
  type OAuthStartAnswer,
  type SyncNowAnswer,
} from "./linear-admin";
import type { OrgOverview } from "./org-overview";
import type { RulesPreview } from "./rules-preview";
import type { RejudgedPeriod } from "./target-impact";
import { TRIAGE_SORT_KEYS, type TriagePage, type TriageRow } from "./triage";
import { targetInputSchema, type OrgTargetEntry, type TargetEntry } from "./targets";
import {
  rulesInputSchema,
  settingsInputSchema,
  type TeamSettings,
  type TeamSettingsAnswer,
} from "./team-settings";

/** What a resolver answers with: a type only; nothing of it exists at run time. */
export interface Answer<T> {
  /** Never set: it carries `T` for the types below. */
  readonly answer?: T;
}

/** Marks an entry's answer type. */
function answer<T>(): Answer<T> {
  return {};
}

/** The report a page shows: the board's report, when it was computed, and from where. */
export type ReportAnswer = Report & {
  readonly computedAt: string;
  /** True when it was read from the store rather than computed for this request. */
  readonly cached: boolean;
  /** Settings or targets changed and the report is being computed again. */
  readonly recomputing?: boolean;
  /** Issues left out of `teams[].items` (the caller may not see them in Jira), and why. */
  readonly withheld?: Withheld;
};

/** A bulk change as the pages see it, with its result in words. */
export type BulkJobAnswer = BulkJob & { readonly message: string };

/** An unclassified issue as triage lists it, with its columns; `hidden` when the caller may not browse it. */
export type TriageItem = TriageRow;
/** A page of the triage list with its counts. */
export type TriageListAnswer = TriagePage;

/** Rows on one page of the triage list at most: one browse check covers them many times over. */
export const TRIAGE_PAGE_MAX = 100;

const boardId = z.number().int().positive();
const bulkJobId = z.string().min(1).max(120);
/** A bulk change's category: one of the two, or null to clear it. */
const bulkCategory = z.enum(["roadmap", "investment"]).nullable();
const boardPayload = z.strictObject({ boardId });
const noPayload = z.strictObject({});
const issueKey = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]+-\d+$/, { error: "expected an issue key such as PAY-12" });

const drillPayload = z.strictObject({
  boardId,
  period: z.strictObject({
    kind: z.enum(["sprint", "quarter", "org-quarter"]),
    id: z.string().min(1).max(200),
  }),
  reasons: z.array(z.enum(DRILL_REASONS)).min(1).max(DRILL_REASONS.length).optional(),
  category: z.enum(["roadmap", "investment", "unclassified"]).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

/**
 * `org/drill` asks for a board's issues, or (inside Jira) for a Linear team's the app keeps, by
 * the team's key.
 */
const orgDrillPayload = z.union([
  drillPayload,
  drillPayload.omit({ boardId: true }).extend({ linearTeam: linearTeamKeySchema }),
]);

/** The issues behind a number, and how many of them the caller may not browse. */
export type DrillAnswer = DrillDown & {
  readonly withheld: number;
  /** A Linear team's: each row's issue in Linear (`https://linear.app/…`), by row id. */
  readonly issueUrls?: Readonly<Record<string, string>>;
};

export const RESOLVER_CONTRACT = {
  /** The board's report, or how far its first read got. */
  "report/get": { payload: boardPayload, answer: answer<ReportAnswer | BoardSyncing>() },
  /**
   * A page of the board's unclassified issues with their columns, filtered and sorted, with the
   * counts the page shows (and, asked for, every matching key); or how far its first read got.
   */
  "triage/list": {
    payload: z.strictObject({
      boardId,
      page: z.number().int().nonnegative().max(100_000).optional(),
      pageSize: z.number().int().min(1).max(TRIAGE_PAGE_MAX).optional(),
      filter: z.string().max(200).optional(),
      conflictsOnly: z.boolean().optional(),
      sort: z
        .strictObject({
          key: z.enum(TRIAGE_SORT_KEYS),
          direction: z.enum(["ascending", "descending"]),
        })
        .nullable()
        .optional(),
      keys: z.boolean().optional(),
    }),
    answer: answer<TriageListAnswer | BoardSyncing>(),
  },
  /**
   * The issues behind a sprint's or quarter's numbers and why each counts; `withheld` counts those
   * the caller may not browse, which stay in the totals. `at` is the moment of the report the page
   * shows, so the rows add up to its numbers.
   */
  "report/drill": { payload: drillPayload, answer: answer<DrillAnswer>() },
  /** One issue's category, why, and its board's active sprint. */
  "item/get": {
    /** Without `boardId`, the board of the issue's own sprint answers (`ItemAnswer.boardId`). */
    payload: z.strictObject({ boardId: boardId.optional(), issueKey }),
    answer: answer<ItemAnswer>(),
  },
  /** Sets (or clears, with null) the category of up to 50 issues; what changed for each. */
  "item/classify": {
    payload: z.strictObject({
      boardId,
      issueKeys: z.array(issueKey).min(1).max(50),
      category: z.enum(["roadmap", "investment"]).nullable(),
    }),
    answer: answer<ClassifyChange[]>(),
  },
  /**
   * Classifies (or clears, with null) any number of issues as one bulk change, the board's last,
   * which an undo reverts: run here when it is one batch, else queued. `requestId` names it, so a
   * retried request starts nothing new. The job as it stands, with its result in words.
   */
  "bulk/start": {
    payload: z.strictObject({
      boardId,
      issueKeys: z.array(issueKey).min(1).max(BULK_MAX),
      category: bulkCategory,
      requestId: z.string().min(8).max(100),
    }),
    answer: answer<BulkJobAnswer>(),
  },
  /** How far a bulk change got, with its result in words. */
  "bulk/status": {
    payload: z.strictObject({ boardId, jobId: bulkJobId }),
    answer: answer<BulkJobAnswer>(),
  },
  /** The board's last bulk classify, the one an undo reverts; null when there was none. */
  "bulk/last": { payload: boardPayload, answer: answer<BulkJobAnswer | null>() },
  /**
   * Every failed issue of a bulk change with its reason, a page of batches from `fromBatch`;
   * `nextBatch` starts the next page, null after the last batch run so far.
   */
  "bulk/failures": {
    payload: z.strictObject({
      boardId,
      jobId: bulkJobId,
      fromBatch: z.number().int().nonnegative().max(BULK_MAX).optional(),
    }),
    answer: answer<{ failures: BulkFailure[]; nextBatch: number | null }>(),
  },
  /**
   * Undoes the board's last bulk classify, finished or still under way (it stops first); asked
   * twice, it is one undo. The undo as it stands.
   */
  "bulk/undo": {
    payload: z.strictObject({ boardId, jobId: bulkJobId }),
    answer: answer<BulkJobAnswer>(),
  },
  /** The boards the app knows in the caller's project. */
  "board/list": { payload: noPayload, answer: answer<BoardSummary[]>() },
  /** The team's target declarations in the order they were made. */
  "target/list": {
    payload: boardPayload,
    answer: answer<{ entries: TargetEntry[]; unreadable: number }>(),
  },
  /** Declares a team target (project administrators); a retried request adds nothing. */
  "target/append": {
    payload: targetInputSchema.extend({ boardId }),
    answer: answer<TargetEntry>(),
  },
  /** The closed sprints and quarters a target would re-judge if it were declared now. */
  "target/impact": {
    payload: z.strictObject({
      boardId,
      investmentShare: targetInputSchema.shape.investmentShare,
      tolerance: targetInputSchema.shape.tolerance,
      effectiveFrom: targetInputSchema.shape.effectiveFrom,
    }),
    answer: answer<RejudgedPeriod[]>(),
  },
  /**
   * The whole company: every team's current quarter against its target, the org rollup against
   * the company target, and the teams that hold the company off it. No item-level text.
   */
  "org/get": { payload: noPayload, answer: answer<OrgOverview>() },
  /**
   * `report/drill` for the org page and the gadget, which belong to no project: every board whose
   * project the caller may browse in Jira, and inside Jira every Linear team the caller may see
   * there (`linearTeam`), its rows linked to the issues in Linear.
   */
  "org/drill": { payload: orgDrillPayload, answer: answer<DrillAnswer>() },
  /** The company target's declarations in the order they were made. */
  "org-target/list": {
    payload: noPayload,
    answer: answer<{ entries: OrgTargetEntry[]; unreadable: number }>(),
  },
  /** Declares the company target (site administrators); a retried request adds nothing. */
  "org-target/add": { payload: targetInputSchema, answer: answer<OrgTargetEntry>() },
  /** The team's settings, with what the stored ones hold that is not applied. */
  "settings/get": { payload: boardPayload, answer: answer<TeamSettingsAnswer>() },
  /** Replaces the team's settings (project administrators); the settings as saved. */
  "settings/set": {
    payload: z.strictObject({ boardId, settings: settingsInputSchema }),
    answer: answer<TeamSettings>(),
  },
  /** What the given rules (else the rules in force) would decide for the board's issues. */
  "rules/preview": {
    payload: z.strictObject({ boardId, rules: rulesInputSchema.optional() }),
    answer: answer<RulesPreview>(),
  },

  // The admin page: the site's Linear connection, for site administrators only.
  "linear/get": { payload: noPayload, answer: answer<LinearConnectionView>() },
  "linear/connect": {
    payload: z.strictObject({
      apiKey: z.string().trim().min(1, { error: "paste the API key" }).max(200),
    }),
    answer: answer<LinearConnectionView>(),
  },
  /** "Connect Linear": Linear's consent URL, with a state kept for the redirect back. */
  "linear/oauth-start": { payload: noPayload, answer: answer<OAuthStartAnswer>() },
  "linear/disconnect": { payload: noPayload, answer: answer<LinearConnectionView>() },
  "linear/webhook-secret": {
    payload: z.strictObject({
      secret: z
        .string()
        .trim()
        .min(1, { error: "paste the signing secret Linear shows for the webhook" })
        .max(200),
    }),
    answer: answer<LinearConnectionView>(),
  },
  "linear/settings": { payload: linearSettingsSchema, answer: answer<LinearConnectionView>() },
  /**
   * Who sees a synced Linear team on the Jira company page: the people who may browse Jira project
   * `projectKey`, or with null Jira administrators only.
   */
  "linear/team-access": {
    payload: z.strictObject({
      teamKey: linearTeamKeySchema,
      projectKey: z
        .string()
        .trim()
        .max(100)
        .regex(/^[A-Z][A-Z0-9_]+$/, { error: "expected a Jira project key such as PAY" })
        .nullable(),
    }),
    answer: answer<LinearConnectionView>(),
  },
  /** Only the last sync's record: what the page polls while a queued sync runs. */
  "linear/last-sync": { payload: noPayload, answer: answer<LastLinearSync | null>() },
  "linear/sync-now": { payload: noPayload, answer: answer<SyncNowAnswer>() },
} as const;

type Contract = typeof RESOLVER_CONTRACT;

export type ResolverKey = keyof Contract;

/** The admin page's Linear resolvers. */
export type LinearResolverKey = Extract<ResolverKey, `linear/${string}`>;

/** The zod schema resolver `K`'s payload is parsed with. */
export type PayloadSchema<K extends ResolverKey> = Contract[K]["payload"];

/** A value whose arrays and objects the receiver will not change, all the way down. */
type ReadonlyDeep<T> = T extends readonly (infer E)[]
  ? readonly ReadonlyDeep<E>[]
  : T extends object
    ? { readonly [P in keyof T]: ReadonlyDeep<T[P]> }
    : T;

/** What a page sends to resolver `K`: the schema's input, which the page may keep read-only. */
export type ResolverPayload<K extends ResolverKey> = ReadonlyDeep<z.input<PayloadSchema<K>>>;

/** What resolver `K` receives: its payload once parsed. */
export type ParsedPayload<K extends ResolverKey> = z.output<PayloadSchema<K>>;

/** What resolver `K` answers with. */
export type ResolverResult<K extends ResolverKey> =
  Contract[K]["answer"] extends Answer<infer T> ? T : never;

/** Every host's answer to a page: the resolver's data, or an expected failure in words. */
export type Envelope<T = unknown> =
  | { readonly ok: true; readonly data: T }
  | {
      readonly ok: false;
      readonly error: { readonly code: AppErrorCode; readonly message: string };
    };

/** Whether `key` names a resolver of the contract. */
export function isResolverKey(key: string): key is ResolverKey {
  return Object.hasOwn(RESOLVER_CONTRACT, key);
}

/** Every payload schema, typed per key, so a resolver's parsed payload keeps its own type. */
const PAYLOAD_SCHEMAS: {
  readonly [K in ResolverKey]: {
    readonly payload: z.ZodType<ParsedPayload<K>, ResolverPayload<K>>;
  };
} = RESOLVER_CONTRACT;

/** The schema resolver `K`'s payload is parsed with. */
export function payloadSchemaOf<K extends ResolverKey>(
  key: K,
): z.ZodType<ParsedPayload<K>, ResolverPayload<K>> {
  return PAYLOAD_SCHEMAS[key].payload;
}
