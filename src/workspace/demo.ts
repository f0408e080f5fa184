import { instantOfLocalTime, localDate as localDateText } from "../domain/index";
import type { WorkspaceFile } from "./schema";

/**
 * The embedded demo workspace: five Jira boards and two Linear teams over six calendar quarters
 * ending at the quarter holding `now`, with the stories a first-time user should find in the report:
 *
 * - Payments (PAY) squeezes investment ahead of a launch: the previous quarter slides well below its
 *   30 % target, the last sprints before the current quarter and every sprint since deliver none
 *   although they still commit near target, so the current quarter is at risk.
 * - Platform (PLAT) had its target lowered from 50 % to 35 % last quarter and kept delivering about
 *   60 % investment: the roadmap is starved.
 * - Checkout (CHK) delivers steadily a little above its 25 % target.
 * - Mobile (MOB) never declared a target.
 * - Data (DATA) leaves about 40 % of its work unlabelled, so its numbers are low-confidence.
 * - Growth (GRO) runs one-week cycles counted in issues and has not confirmed its target lately.
 * - Identity (IDN) has two of its five people on a long investment epic, each piece weeks in
 *   progress and small in points: judged on spent effort (SPEC §6a) it is on target, while its
 *   delivered points alone would flag it below target sprint after sprint.
 *
 * Work is assigned when it is started, to one of the team's five people, so spent effort (SPEC
 * §6a) reads where each team's time went.
 *
 * Everything is derived from `now` and {@link DEMO_SEED}, so the same `now` always gives the same
 * file; the stories are built into the plan of each sprint rather than left to chance.
 */

/** The seed of the demo's random choices (titles, sizes, timings). */
export const DEMO_SEED = 20_260_701;

type TeamFile = WorkspaceFile["teams"][number];
type TargetFile = NonNullable<WorkspaceFile["targets"]>[number];
type SprintFile = NonNullable<WorkspaceFile["sprints"]>[number];
type ItemFile = NonNullable<WorkspaceFile["items"]>[number];
type HistoryFile = NonNullable<ItemFile["history"]>[number];
type RuleFile = NonNullable<TeamFile["rules"]>[number];

type Category = "roadmap" | "investment" | "unclassified";
type Classified = Exclude<Category, "unclassified">;
type Status = "todo" | "inProgress" | "done" | "canceled";
type Style = "jira-default" | "jira-rules" | "linear";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CATEGORIES: readonly Category[] = ["roadmap", "investment", "unclassified"];
const DEFAULT_RULE_LABELS = [
  "tech-debt",
  "refactor",
  "security",
  "performance",
  "reliability",
  "infra",
];

// ---------------------------------------------------------------------------------------------
// Randomness

/** mulberry32: tiny, fast and good enough to vary a demo; the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = mulberry32(seed);
  }

  float(): number {
    return this.next();
  }

  range(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Inclusive at both ends. */
  int(min: number, max: number): number {
    return min + Math.floor((max - min + 1) * this.next());
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(list: readonly T[]): T {
    const value = list[Math.floor(this.next() * list.length)];
    if (value === undefined) throw new Error("Cannot pick from an empty list.");
    return value;
  }

  /** A whole minute in [from, to]; `from` itself when the window is shorter than a minute. */
  time(from: number, to: number): number {
    const lo = Math.ceil(from / MINUTE);
    const hi = Math.floor(to / MINUTE);
    return hi < lo ? from : this.int(lo, hi) * MINUTE;
  }
}

function hashText(text: string): number {
  // FNV-1a: each team gets its own stream, so changing one team's plan leaves the others alone.
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

// ---------------------------------------------------------------------------------------------
// Calendar

interface CalendarDate {
  readonly year: number;
  /** 1 = January. */
  readonly month: number;
  readonly day: number;
}

/** The zones the demo's teams sit in. */
type DemoZone = "America/New_York" | "America/Los_Angeles" | "Europe/Berlin" | "Europe/Zurich";

function localDate(instant: number, zone: DemoZone): CalendarDate {
  const [year, month, day] = localDateText(instant, zone).split("-").map(Number);
  return { year: year ?? 1970, month: month ?? 1, day: day ?? 1 };
}

/** The instant at which the wall clock in `zone` shows `date` at `hour`:00. */
function zonedInstant(date: CalendarDate, hour: number, zone: DemoZone): number {
  return instantOfLocalTime(date.year, date.month, date.day, hour, zone);
}

function fromUtcDate(ms: number): CalendarDate {
  const date = new Date(ms);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() };
}

function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtcDate(Date.UTC(date.year, date.month - 1, date.day + days));
}

function addMonths(date: CalendarDate, months: number): CalendarDate {
  return fromUtcDate(Date.UTC(date.year, date.month - 1 + months, date.day));
}

function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round(
    (Date.UTC(to.year, to.month - 1, to.day) - Date.UTC(from.year, from.month - 1, from.day)) / DAY,
  );
}

function formatDate(date: CalendarDate): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.year}-${pad(date.month)}-${pad(date.day)}`;
}

function iso(instant: number): string {
  return new Date(instant).toISOString();
}

/** The demo declares `fiscalYearStartMonth: 1`, so quarters are calendar quarters. */
function quarterStartOf(date: CalendarDate): CalendarDate {
  return { year: date.year, month: Math.floor((date.month - 1) / 3) * 3 + 1, day: 1 };
}

interface Quarter {
  readonly firstDay: CalendarDate;
  readonly start: number;
  /** `H1 planning` for January, `Q2 planning` for April… */
  readonly planning: string;
}

interface TeamCalendar {
  /** Six quarters, oldest first; the last one holds `now`. */
  readonly quarters: readonly Quarter[];
  readonly first: Quarter;
  readonly previous: Quarter;
  readonly current: Quarter;
}

function buildCalendar(zone: DemoZone, now: number): TeamCalendar {
  const currentDay = quarterStartOf(localDate(now, zone));
  const quarters: Quarter[] = [];
  for (let back = 5; back >= 0; back--) {
    const firstDay = addMonths(currentDay, -3 * back);
    const number = (firstDay.month - 1) / 3 + 1;
    quarters.push({
      firstDay,
      start: zonedInstant(firstDay, 0, zone),
      planning: number === 1 ? "H1 planning" : number === 3 ? "H2 planning" : `Q${number} planning`,
    });
  }
  const [first, previous, current] = [quarters[0], quarters[4], quarters[5]];
  if (!first || !previous || !current) throw new Error("A demo calendar needs six quarters.");
  return { quarters, first, previous, current };
}

// ---------------------------------------------------------------------------------------------
// Team profiles

interface SprintSlot {
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

interface Declaration {
  readonly investmentShare: number;
  readonly tolerance: number;
  readonly setBy: string;
  readonly reason: string;
}

interface Vocabulary {
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

interface TeamProfile {
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
  /** The declaration made at the start of quarter `index` (0 = oldest of the six), if any. */
  readonly declare: (index: number, quarter: Quarter) => Declaration | null;
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
}

const CTO = "maria.keller@example.com";
const VP_ENGINEERING = "dan.okafor@example.com";
const HEAD_OF_PRODUCT = "priya.raman@example.com";
const HEAD_OF_DATA = "lena.fischer@example.com";

const steady = (share: number, spread: number) => (_s: SprintSlot, _c: TeamCalendar, rng: Rng) => {
  const deliver = share + rng.range(-spread, spread);
  return { deliver, commit: deliver, squeeze: false };
};

const confirm = (investmentShare: number, tolerance: number, setBy: string): Declaration => ({
  investmentShare,
  tolerance,
  setBy,
  reason: "Quarterly confirmation",
});

const PROFILES: readonly TeamProfile[] = [
  {
    id: "PAY",
    name: "Payments",
    source: "jira",
    style: "jira-default",
    timezone: "America/New_York",
    unit: "points",
    cadence: { anchor: { year: 2023, month: 1, day: 2 }, days: 14, hour: 10, firstNumber: 41 },
    firstKey: 2104,
    velocity: [18, 23],
    unclassifiedShare: 0.1,
    epicShare: 0.45,
    debtType: "Tech Debt",
    largestInvestment: 8,
    mix: (sprint, calendar, rng) => {
      // The launch crunch starts four weeks before the current quarter so that, wherever `now`
      // falls, at least two closed sprints have delivered no investment at all and nothing
      // investment-labelled is completed in the current quarter.
      const crunch = calendar.current.start - 28 * DAY;
      if (sprint.endAt > crunch) return { deliver: 0, commit: 0.28, squeeze: true };
      const slide = calendar.previous.start - 7 * DAY;
      if (sprint.startAt >= slide) {
        const progress = (sprint.startAt - slide) / Math.max(DAY, crunch - slide);
        return { deliver: 0.16 - 0.1 * progress, commit: 0.3, squeeze: true };
      }
      const deliver = 0.3 + rng.range(-0.03, 0.03);
      return { deliver, commit: deliver, squeeze: false };
    },
    declare: (index, quarter) =>
      index === 0
        ? { investmentShare: 0.3, tolerance: 0.05, setBy: CTO, reason: quarter.planning }
        : confirm(0.3, 0.05, VP_ENGINEERING),
  },
  {
    id: "CHK",
    name: "Checkout",
    source: "jira",
    style: "jira-rules",
    timezone: "Europe/Berlin",
    unit: "points",
    rules: [
      {
        if: { labels: ["tech-debt", "refactor", "performance", "security", "accessibility"] },
        then: "investment",
      },
      { if: { type: ["Bug"], labels: ["customer-reported"] }, then: "roadmap" },
      { if: { type: ["Bug"] }, then: "investment" },
      { if: { titleMatches: "^Spike:" }, then: "investment" },
      { if: { type: ["Story"] }, then: "roadmap" },
    ],
    cadence: { anchor: { year: 2023, month: 1, day: 2 }, days: 14, hour: 10, firstNumber: 112 },
    firstKey: 871,
    velocity: [19, 25],
    unclassifiedShare: 0.03,
    epicShare: 0.4,
    debtType: null,
    // Investment sliced small, so it is spread through every sprint and never the thing left over.
    largestInvestment: 3,
    // A touch above 25 %: SPEC §7's requiredShare magnifies any shortfall late in a quarter, and
    // the healthy team should stay quiet wherever `now` falls.
    mix: steady(0.285, 0.01),
    declare: (index, quarter) =>
      index === 0
        ? {
            investmentShare: 0.25,
            tolerance: 0.05,
            setBy: HEAD_OF_PRODUCT,
            reason: quarter.planning,
          }
        : confirm(0.25, 0.05, HEAD_OF_PRODUCT),
  },
  {
    id: "PLAT",
    name: "Platform",
    source: "jira",
    style: "jira-default",
    timezone: "Europe/Zurich",
    unit: "points",
    cadence: { anchor: { year: 2023, month: 1, day: 9 }, days: 14, hour: 10, firstNumber: 63 },
    firstKey: 3388,
    velocity: [15, 20],
    unclassifiedShare: 0.08,
    epicShare: 0.5,
    debtType: "Tech Debt",
    largestInvestment: 8,
    mix: (sprint, calendar, rng) => {
      const deliver =
        sprint.startAt >= calendar.previous.start
          ? 0.6 + rng.range(-0.04, 0.04)
          : 0.52 + rng.range(-0.03, 0.03);
      return { deliver, commit: deliver, squeeze: false };
    },
    declare: (index, quarter) => {
      if (index === 0) {
        return {
          investmentShare: 0.5,
          tolerance: 0.05,
          setBy: CTO,
          reason: "Platform stability push",
        };
      }
      if (index === 4) {
        return {
          investmentShare: 0.35,
          tolerance: 0.05,
          setBy: CTO,
          reason: `${quarter.planning}: stability push done, Platform staffs the payments launch`,
        };
      }
      return confirm(index < 4 ? 0.5 : 0.35, 0.05, VP_ENGINEERING);
    },
  },
  {
    id: "MOB",
    name: "Mobile",
    source: "jira",
    style: "jira-default",
    timezone: "America/Los_Angeles",
    unit: "points",
    cadence: { anchor: { year: 2023, month: 1, day: 4 }, days: 14, hour: 10, firstNumber: 27 },
    firstKey: 1250,
    velocity: [16, 22],
    unclassifiedShare: 0.14,
    epicShare: 0.4,
    debtType: "Chore",
    largestInvestment: 8,
    mix: steady(0.17, 0.06),
    declare: () => null,
  },
  {
    id: "GRO",
    name: "Growth",
    source: "linear",
    style: "linear",
    timezone: "America/New_York",
    unit: "issues",
    cadence: { anchor: { year: 2023, month: 1, day: 2 }, days: 7, hour: 0, firstNumber: 88 },
    firstKey: 412,
    velocity: [4, 6],
    unclassifiedShare: 0.06,
    epicShare: 0.55,
    debtType: null,
    largestInvestment: 8,
    mix: steady(0.22, 0.06),
    declare: (index, quarter) =>
      index === 0
        ? {
            investmentShare: 0.2,
            // A wide band: a team this small moves its share by a third with a single issue.
            tolerance: 0.1,
            setBy: HEAD_OF_PRODUCT,
            reason: quarter.planning,
          }
        : null,
  },
  {
    id: "DATA",
    name: "Data",
    source: "linear",
    style: "linear",
    timezone: "Europe/Zurich",
    unit: "points",
    cadence: { anchor: { year: 2023, month: 1, day: 9 }, days: 14, hour: 0, firstNumber: 21 },
    firstKey: 118,
    velocity: [14, 18],
    unclassifiedShare: 0.42,
    epicShare: 0.45,
    debtType: null,
    largestInvestment: 8,
    mix: steady(0.36, 0.04),
    declare: (index) => {
      if (index < 2) return null;
      if (index === 2) {
        return {
          investmentShare: 0.35,
          tolerance: 0.05,
          setBy: HEAD_OF_DATA,
          reason: "Data team adopts capacity targets",
        };
      }
      return confirm(0.35, 0.05, HEAD_OF_DATA);
    },
  },
  {
    id: "IDN",
    name: "Identity",
    source: "jira",
    style: "jira-default",
    timezone: "Europe/Berlin",
    unit: "points",
    cadence: { anchor: { year: 2023, month: 1, day: 2 }, days: 14, hour: 10, firstNumber: 15 },
    firstKey: 540,
    velocity: [12, 16],
    unclassifiedShare: 0.04,
    epicShare: 0.3,
    debtType: "Tech Debt",
    largestInvestment: 2,
    mix: steady(0.08, 0.03),
    declare: (index, quarter) =>
      index === 0
        ? { investmentShare: 0.4, tolerance: 0.1, setBy: CTO, reason: quarter.planning }
        : confirm(0.4, 0.1, VP_ENGINEERING),
    actual: "spent",
    longWork: {
      people: { roadmap: 3, investment: 2 },
      days: [40, 60],
      estimate: { roadmap: 2, investment: 5 },
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Titles

const STORY_TITLES = ["{screen}: {improvement}"];
const DEBT_TITLES = [
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
const BUG_TITLES = [
  "{screen}: {symptom}",
  "{endpoint} returns 500 when {condition}",
  "{screen} crashes when {condition}",
  "{symptom} on {screen}",
];
const CHORE_TITLES = [
  "Investigate {symptom} reported by support",
  "Prepare the {partner} review",
  "Answer {partner} questions about {endpoint}",
  "Update the on-call handbook for {service}",
  "Clean up the {screen} copy",
];
const SPIKE_TITLES = ["Spike: {question}"];
const DATA_REQUEST_TITLES = [
  "Data request: {request}",
  "Ad hoc: {request} for {partner}",
  "Pull {request} for the {meeting}",
];

const VOCABULARY: Readonly<Record<string, Vocabulary>> = {
  PAY: {
    epics: {
      roadmap: [
        "SEPA Direct Debit",
        "Apple Pay on the web",
        "Partial refunds",
        "Multi-currency payouts",
        "Saved cards vault",
        "3-D Secure 2.2 challenge flow",
        "Payout scheduling",
        "Dispute evidence upload",
        "Pay by bank",
        "Instant payouts",
        "Invoice payments",
      ],
      investment: [
        "Retire the legacy ledger service",
        "PCI DSS 4.0 controls",
        "Idempotency keys on every write",
        "Gateway observability",
        "Move payouts to the event bus",
        "Upgrade to Java 21",
      ],
    },
    steps: {
      roadmap: [
        "API endpoint",
        "merchant dashboard screen",
        "webhook events",
        "sandbox support",
        "docs and changelog",
        "staged rollout behind a flag",
        "analytics events",
        "error states and retries",
        "support admin tooling",
        "email receipts",
        "reconciliation report",
        "localised copy (DE, FR, NL)",
        "QA sign-off",
      ],
      investment: [
        "migrate reads",
        "migrate writes",
        "backfill historical rows",
        "remove the old code path",
        "alerts and SLOs",
        "runbook",
        "dashboards",
        "contract tests",
        "failover drill",
        "load test",
      ],
    },
    stories: [
      "Show the fee breakdown on payout details",
      "Let merchants download monthly statements",
      "CSV export for the transactions list",
      "Support Swiss QR-bill references",
      "Merchant-defined refund reasons",
      "Show card brand logos on receipts",
      "Filter disputes by status",
      "Explain failed payouts to merchants",
      "Partial capture from the dashboard",
      "Payment links with a custom expiry",
      "Settle in Mexican pesos",
    ],
    words: {
      lib: ["stripe-java", "jackson-databind", "spring-boot", "kafka-clients", "HikariCP"],
      test: ["CaptureFlowSpec", "RefundWebhookIT", "PayoutSchedulerTest", "LedgerReconciliationIT"],
      flag: ["new-refund-flow", "payouts-v2-ui", "3ds-frictionless", "sepa-beta"],
      service: ["payment-gateway", "payout-worker", "ledger-api", "risk-scorer"],
      endpoint: ["POST /v1/charges", "GET /v1/payouts", "POST /v1/refunds", "POST /v1/disputes"],
      screen: [
        "Payout details",
        "Refund dialog",
        "Balance widget",
        "Dispute list",
        "Transactions list",
        "Merchant settings",
      ],
      improvement: [
        "show the fee breakdown",
        "add a CSV export",
        "filter by currency",
        "bulk actions",
        "search by payment reference",
        "date range picker",
        "show times in the merchant's timezone",
        "copy IDs with one click",
        "explain each status",
      ],
      symptom: [
        "totals off by one cent",
        "stale balance after refresh",
        "duplicate webhook delivery",
        "wrong rounding for JPY",
        "payout date one day early",
      ],
      condition: [
        "the card has expired",
        "the amount has three decimals",
        "the merchant has no payout account",
        "an idempotency key is reused",
      ],
      partner: ["Adyen", "acquiring bank", "PCI auditor"],
    },
    components: ["Gateway", "Refunds", "Payouts", "Ledger", "Risk"],
    projects: [],
  },
  CHK: {
    epics: {
      roadmap: [
        "One-page checkout",
        "Guest checkout",
        "Gift cards",
        "Address autocomplete",
        "Express shipping options",
        "Cart recovery emails",
        "Tax calculation for Canada",
        "Promo code stacking",
        "Order notes",
      ],
      investment: [
        "Checkout accessibility audit",
        "Cart service performance",
        "Remove the jQuery checkout",
        "Checkout end-to-end test suite",
      ],
    },
    steps: {
      roadmap: [
        "design review",
        "frontend",
        "backend API",
        "tracking events",
        "A/B test setup",
        "copy and translations",
        "edge cases",
        "rollout",
      ],
      investment: [
        "measure the baseline",
        "fix the worst offenders",
        "screen reader pass",
        "remove the old component",
        "add tests",
        "document",
      ],
    },
    stories: [
      "Show delivery estimates in the cart",
      "Remember the last used shipping address",
      "Let customers edit the cart from the summary step",
      "Show savings on the order summary",
      "Offer PayPal on the payment step",
      "Pre-fill the billing address",
      "Show stock warnings in the cart",
      "Split shipments in the confirmation email",
    ],
    words: {
      lib: ["React", "Next.js", "zod", "Playwright"],
      test: ["checkout.spec.ts", "cart-merge.test.ts", "promo-code.spec.ts"],
      flag: ["one-page-checkout", "new-address-form", "gift-cards-beta"],
      service: ["cart-service", "checkout-bff", "tax-service"],
      endpoint: ["POST /cart/items", "POST /checkout/submit", "GET /shipping/options"],
      screen: ["Cart", "Shipping step", "Payment step", "Order confirmation", "Mini cart"],
      improvement: [
        "show delivery estimates",
        "remember the last choice",
        "inline validation",
        "clearer error copy",
        "sticky order summary",
        "show savings",
        "postcode lookup",
        "upsell recommendations",
      ],
      symptom: [
        "promo code applied twice",
        "tax missing for Quebec",
        "spinner never stops",
        "focus jumps to the top",
        "wrong currency symbol",
      ],
      condition: ["the cart is empty", "the address has no postcode", "the session expires"],
      partner: ["Shopify app", "PayPal", "tax advisor"],
      question: [
        "can we drop the legacy cart cookie?",
        "cost of moving tax rules to the tax service",
        "does server-side rendering help the payment step?",
      ],
    },
    components: ["Cart", "Checkout UI", "Tax", "Shipping"],
    projects: [],
  },
  PLAT: {
    epics: {
      roadmap: [
        "Self-serve sandbox environments",
        "Payments launch: regional deployment",
        "Feature flag service for product teams",
        "Public API rate limits per plan",
      ],
      investment: [
        "Kubernetes 1.30 upgrade",
        "Postgres 16 migration",
        "Observability: OpenTelemetry rollout",
        "Zero-downtime deploys",
        "CI pipeline under ten minutes",
        "Secrets rotation automation",
        "Disaster recovery drill",
        "Service mesh mTLS",
      ],
    },
    steps: {
      roadmap: ["design doc", "terraform module", "API", "docs", "pilot with one team", "rollout"],
      investment: [
        "staging",
        "production (EU)",
        "production (US)",
        "runbook",
        "dashboards",
        "alerts",
        "cleanup",
        "postmortem actions",
        "load test",
      ],
    },
    stories: [
      "Preview environments for pull requests",
      "Slack notifications for deploys",
      "Per-team cost dashboard",
      "Service catalogue pages",
      "Self-serve database credentials",
    ],
    words: {
      lib: ["Terraform AWS provider", "Helm charts", "Argo CD", "Prometheus operator"],
      test: ["deploy-smoke", "terraform-plan-check", "chaos-weekly"],
      flag: ["legacy-ingress", "old-log-shipper"],
      service: ["ingress", "build runners", "log pipeline", "service mesh"],
      endpoint: ["the internal API gateway", "the artifact registry"],
      screen: ["Deploy dashboard", "Grafana home", "Backstage catalogue", "Developer portal"],
      improvement: [
        "self-serve access requests",
        "cost breakdown per team",
        "deploy history",
        "Slack alerts",
        "ownership metadata",
        "one-click rollback",
        "search",
        "usage quotas",
      ],
      symptom: [
        "builds stuck in queue",
        "missing logs for cron jobs",
        "certificate expiry warning",
        "pods evicted at night",
      ],
      condition: ["a node is drained", "two deploys run at once", "the cache is cold"],
      partner: ["AWS account team", "SOC 2 auditor"],
    },
    components: ["CI", "Kubernetes", "Observability", "Data stores", "Security"],
    projects: [],
  },
  MOB: {
    epics: {
      roadmap: [
        "Wallet tab",
        "Push notification preferences",
        "Biometric login",
        "Order tracking live activity",
        "Dark mode",
        "In-app returns",
        "Home screen widgets",
      ],
      investment: ["Migrate to SwiftUI navigation", "Kotlin 2.0 upgrade", "App size diet"],
    },
    steps: {
      roadmap: ["iOS", "Android", "API contract", "analytics", "design QA", "release notes"],
      investment: [
        "measure",
        "migrate the first screens",
        "migrate the rest",
        "CI",
        "remove the old dependency",
        "cleanup",
      ],
    },
    stories: [
      "Share order details from the app",
      "Reorder from order history",
      "Show loyalty points on the home screen",
      "Add a support chat entry point",
      "Save payment methods in the app",
      "Offline mode for order history",
    ],
    words: {
      lib: ["Alamofire", "Retrofit", "Firebase SDK", "React Native bridge"],
      test: ["CheckoutUITests", "LoginFlowTest", "SnapshotTests"],
      flag: ["new-home", "wallet-beta"],
      service: ["mobile BFF", "push service", "image CDN"],
      endpoint: ["GET /mobile/home", "POST /mobile/session"],
      screen: ["Home", "Order detail", "Settings", "Login", "Search", "Wishlist"],
      improvement: [
        "pull to refresh",
        "skeleton loading",
        "deep links",
        "share sheet",
        "larger tap targets",
        "offline banner",
        "haptic feedback",
        "empty state",
      ],
      symptom: [
        "crash on iOS 17.2",
        "blank screen after resume",
        "push opens the wrong tab",
        "keyboard hides the button",
        "slow start on Android 10",
      ],
      condition: ["the device is offline", "the user rotates the phone", "the token expires"],
      partner: ["App Store review", "Google Play"],
    },
    components: ["iOS", "Android", "Shared"],
    projects: [],
  },
  GRO: {
    epics: {
      roadmap: [
        "Onboarding checklist",
        "Referral program",
        "Pricing page experiments",
        "Trial extension flow",
        "Team invites",
        "Lifecycle emails",
        "Usage-based upsell",
        "Self-serve checkout",
        "Affiliate program",
        "Win-back campaign",
      ],
      investment: [
        "Experiment framework cleanup",
        "Event tracking plan v2",
        "Landing page performance",
      ],
    },
    steps: {
      roadmap: [
        "design",
        "copy",
        "build",
        "tracking",
        "experiment setup",
        "QA",
        "holdout analysis",
        "ship to 100 %",
        "rollout to EU",
      ],
      investment: ["audit", "migrate events", "remove old SDK", "docs"],
    },
    stories: [
      "Social proof on the signup page",
      "Annual plan discount banner",
      "Personalised welcome email",
      "Empty-state templates",
      "Upgrade prompt at the seat limit",
    ],
    words: {
      lib: ["Segment SDK", "Statsig SDK", "Next.js"],
      test: ["signup.e2e", "pricing.e2e"],
      flag: ["exp-pricing-v3", "exp-checklist"],
      service: ["experiment service", "email worker"],
      endpoint: ["POST /signup", "POST /invites"],
      screen: [
        "Signup page",
        "Pricing page",
        "Invite modal",
        "Billing settings",
        "Onboarding checklist",
        "Welcome email",
      ],
      improvement: [
        "test a new headline",
        "add testimonials",
        "shorter form",
        "Google sign-in",
        "annual toggle",
        "trust badges",
        "progress indicator",
        "personalised copy",
        "referral link",
      ],
      symptom: [
        "UTM parameters dropped",
        "double-counted signups",
        "invite email in spam",
        "plan price flickers",
      ],
      condition: ["the email has a plus sign", "the coupon is expired"],
      partner: ["marketing"],
    },
    components: [],
    projects: ["Activation", "Monetisation"],
  },
  DATA: {
    epics: {
      roadmap: [
        "Merchant analytics dashboard",
        "Revenue forecasting model",
        "Self-serve metrics in the product",
        "Churn prediction",
        "Merchant benchmarks",
        "Executive KPI dashboard",
        "Attribution model",
      ],
      investment: [
        "Warehouse migration to Snowflake",
        "Metrics layer",
        "Data quality checks",
        "Airflow 2 upgrade",
      ],
    },
    steps: {
      roadmap: [
        "requirements with stakeholders",
        "data model",
        "dbt models",
        "dashboard",
        "backfill",
        "tests",
        "validation with finance",
        "documentation",
        "launch",
      ],
      investment: ["inventory", "migrate models", "tests", "cut over", "decommission"],
    },
    stories: [
      "Weekly revenue email for leadership",
      "Cohort view for activation",
      "Export merchant metrics via API",
    ],
    words: {
      lib: ["dbt-core", "Airflow", "great_expectations", "pandas"],
      test: ["test_revenue_model", "test_orders_freshness"],
      flag: ["legacy-exports"],
      service: ["dbt nightly run", "events ingestion", "reverse ETL sync"],
      endpoint: ["the metrics API", "the export endpoint"],
      screen: [
        "Revenue dashboard",
        "Churn report",
        "Orders explore",
        "Activation funnel",
        "Merchant health score",
      ],
      improvement: [
        "add a cohort filter",
        "break down by plan",
        "week-over-week deltas",
        "scheduled weekly export",
        "merchant segment filter",
        "document the metric definitions",
        "drill-down to orders",
      ],
      symptom: [
        "numbers differ from finance",
        "late data on Mondays",
        "duplicate rows for refunds",
        "timezone shift in daily totals",
      ],
      condition: ["a merchant changes currency", "the upstream job is late"],
      partner: ["finance", "sales ops", "marketing", "customer success", "the CEO"],
      meeting: ["board deck", "QBR", "pricing review", "all-hands", "investor update"],
      request: [
        "conversion by acquisition channel",
        "refund rate by merchant segment",
        "board deck numbers",
        "pricing test readout",
        "top merchants by volume",
        "support tickets per order",
        "activation funnel for the new onboarding",
        "NPS by plan",
        "chargebacks by card network",
        "payout delays by country",
        "trial-to-paid by cohort",
        "average order value by channel",
      ],
    },
    components: [],
    projects: ["Warehouse", "Insights"],
  },
  IDN: {
    epics: {
      roadmap: ["Passkeys for customers", "SSO for enterprise accounts", "Login with Apple"],
      investment: ["Move sessions off the legacy auth service", "Token signing key rotation"],
    },
    steps: {
      roadmap: ["API", "login screen", "admin settings", "docs", "rollout"],
      investment: [
        "dual-write sessions",
        "migrate the mobile clients",
        "migrate the web clients",
        "migrate partner integrations",
        "shadow reads",
        "cut over",
        "decommission the old service",
      ],
    },
    stories: ["Show active sessions in account settings", "Remember this device for 30 days"],
    words: {
      lib: ["jose", "spring-security", "bcrypt"],
      test: ["LoginFlowIT", "TokenRefreshTest"],
      flag: ["passkeys-beta", "new-login-page"],
      service: ["auth-service", "session-store", "user-directory"],
      endpoint: ["POST /oauth/token", "POST /login", "GET /userinfo"],
      screen: ["Login page", "Account settings", "Password reset", "Admin console"],
      improvement: ["clearer error copy", "remember the last email", "show the login history"],
      symptom: ["logout on refresh", "reset email arrives twice", "MFA prompt loops"],
      condition: ["the session expires", "the email has a plus sign"],
      partner: ["security auditor", "enterprise customer"],
    },
    components: ["Auth", "Sessions", "Directory"],
    projects: [],
  },
};

// ---------------------------------------------------------------------------------------------
// The plan: items with their events, before `now` cuts them

type PlanEvent =
  | { readonly at: number; readonly field: "sprint"; readonly to: readonly string[] }
  | { readonly at: number; readonly field: "estimate"; readonly to: number | null }
  | { readonly at: number; readonly field: "status"; readonly to: Status };

interface PlanItem {
  readonly seq: number;
  readonly category: Category;
  readonly epic: boolean;
  readonly title: string;
  readonly type: string;
  readonly labels: readonly string[];
  readonly components: readonly string[];
  readonly project: string | null;
  readonly parent: PlanItem | null;
  readonly children: PlanItem[];
  readonly createdAt: number;
  readonly initialSprints: readonly string[];
  readonly initialEstimate: number | null;
  readonly events: PlanEvent[];
  /** How often it rolled over into the next sprint. */
  carries: number;
}

interface OpenEpic {
  readonly item: PlanItem;
  readonly topic: string;
  slots: number;
}

interface TeamRun {
  readonly profile: TeamProfile;
  readonly vocabulary: Vocabulary;
  readonly rng: Rng;
  readonly calendar: TeamCalendar;
  readonly items: PlanItem[];
  /** Work moved out of a sprint that may be planned again. */
  readonly backlog: PlanItem[];
  readonly openEpics: Partial<Record<Classified, OpenEpic>>;
  readonly epicCount: Record<Classified, number>;
  readonly titles: Set<string>;
  /** Items with a fixed assignee: the slot of its person in the team. */
  readonly owners: Map<PlanItem, number>;
}

function isField<F extends PlanEvent["field"]>(
  event: PlanEvent,
  field: F,
): event is Extract<PlanEvent, { field: F }> {
  return event.field === field;
}

function lastEvent<F extends PlanEvent["field"]>(
  item: PlanItem,
  field: F,
): Extract<PlanEvent, { field: F }> | undefined {
  for (let i = item.events.length - 1; i >= 0; i--) {
    const event = item.events[i];
    if (event !== undefined && isField(event, field)) return event;
  }
  return undefined;
}

function sprintsOf(item: PlanItem): readonly string[] {
  return lastEvent(item, "sprint")?.to ?? item.initialSprints;
}

function statusOf(item: PlanItem): Status {
  return lastEvent(item, "status")?.to ?? "todo";
}

function estimateOf(item: PlanItem): number | null {
  const event = lastEvent(item, "estimate");
  return event === undefined ? item.initialEstimate : event.to;
}

/** SPEC §5: the estimate after every event at or before `at`. */
function estimateAt(item: PlanItem, at: number): number | null {
  let value = item.initialEstimate;
  for (const event of item.events) {
    if (event.field === "estimate" && event.at <= at) value = event.to;
  }
  return value;
}

function lastEventAt(item: PlanItem): number {
  let at = item.createdAt;
  for (const event of item.events) at = Math.max(at, event.at);
  return at;
}

function weightOf(run: TeamRun, estimate: number | null): number {
  if (run.profile.unit === "issues") return 1;
  // unestimatedWeight is left at its default of 1 for every demo team.
  return estimate ?? 1;
}

function moveInto(run: TeamRun, item: PlanItem, at: number, sprintId: string): void {
  // Jira's sprint field keeps every sprint the issue was in; a Linear issue has one cycle.
  const to = run.profile.source === "jira" ? [...sprintsOf(item), sprintId] : [sprintId];
  item.events.push({ at, field: "sprint", to });
}

function moveOut(item: PlanItem, at: number, sprintId: string): void {
  item.events.push({ at, field: "sprint", to: sprintsOf(item).filter((id) => id !== sprintId) });
}

function setStatus(item: PlanItem, at: number, to: Status): void {
  if (statusOf(item) !== to) item.events.push({ at, field: "status", to });
}

const FOLLOW_UPS = ["follow-up", "part 2", "second pass", "edge cases", "cleanup", "v2"];

/** A title not used before in the team: a few draws, then a follow-up of the last one drawn. */
function distinctTitle(run: TeamRun, draw: () => string): string {
  let title = draw();
  for (let attempt = 0; attempt < 4 && run.titles.has(title); attempt++) title = draw();
  for (let attempt = 0; attempt < 6 && run.titles.has(title); attempt++) {
    title = `${title.replace(/ \(.*\)$/, "")} (${run.rng.pick(FOLLOW_UPS)})`;
  }
  run.titles.add(title);
  return title;
}

function fillTitle(run: TeamRun, templates: readonly string[]): string {
  const words = run.vocabulary.words;
  return distinctTitle(run, () =>
    run.rng
      .pick(templates)
      .replace(/\{(\w+)\}/g, (_match, key: string) => run.rng.pick(words[key] ?? [key]))
      .replace(/^./, (first) => first.toUpperCase()),
  );
}

function pickTitle(run: TeamRun, titles: readonly string[]): string {
  return distinctTitle(run, () => run.rng.pick(titles));
}

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
function chooseShape(run: TeamRun, category: Category, added: boolean): Shape {
  const { rng, profile } = run;
  const story = (r: TeamRun) => {
    const unused = r.vocabulary.stories.filter((title) => !r.titles.has(title));
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
    if (run.vocabulary.words.request !== undefined && rng.chance(0.6)) {
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

function explicitLabel(run: TeamRun, category: Classified): string {
  if (run.profile.source === "linear") return category === "roadmap" ? "Roadmap" : "Investment";
  return category === "roadmap" ? "capacity-roadmap" : "capacity-investment";
}

function newPlanItem(
  run: TeamRun,
  fields: Omit<PlanItem, "seq" | "children" | "events" | "carries">,
): PlanItem {
  // Spelled out rather than spread: object spread here was the single slowest line of the demo.
  const item: PlanItem = {
    seq: run.items.length,
    category: fields.category,
    epic: fields.epic,
    title: fields.title,
    type: fields.type,
    labels: fields.labels,
    components: fields.components,
    project: fields.project,
    parent: fields.parent,
    children: [],
    createdAt: fields.createdAt,
    initialSprints: fields.initialSprints,
    initialEstimate: fields.initialEstimate,
    events: [],
    carries: 0,
  };
  run.items.push(item);
  return item;
}

function epicFor(run: TeamRun, category: Classified, childCreatedAt: number): OpenEpic {
  const open = run.openEpics[category];
  // A child never predates its epic, so cutting the plan at `now` cannot orphan it.
  const age = open === undefined ? -1 : childCreatedAt - open.item.createdAt;
  if (open !== undefined && open.slots > 0 && age > HOUR && age < 90 * DAY) {
    return open;
  }
  const topics = run.vocabulary.epics[category];
  const count = run.epicCount[category]++;
  const topic = topics[count % topics.length] ?? "Follow-up";
  const round = Math.floor(count / topics.length);
  const project = run.profile.source === "linear" ? run.rng.pick(run.vocabulary.projects) : null;
  const item = newPlanItem(run, {
    category,
    epic: true,
    title: round === 0 ? topic : `${topic} (phase ${round + 1})`,
    type: run.profile.source === "jira" ? "Epic" : "Issue",
    labels: [explicitLabel(run, category)],
    components: [],
    project: project ?? (run.profile.source === "jira" ? run.profile.id : null),
    parent: null,
    createdAt: run.rng.time(childCreatedAt - 14 * DAY, childCreatedAt - HOUR),
    initialSprints: [],
    initialEstimate: null,
  });
  const epic = { item, topic, slots: run.rng.int(6, 12) };
  run.openEpics[category] = epic;
  return epic;
}

interface NewWork {
  readonly category: Category;
  readonly createdAt: number;
  readonly sprints: readonly string[];
  readonly estimate: number | null;
  readonly added: boolean;
}

function createWork(run: TeamRun, work: NewWork): PlanItem {
  const { rng, profile, vocabulary } = run;
  const shape = chooseShape(run, work.category, work.added);
  let parent: PlanItem | null = null;
  let title: string;
  if (shape.underEpic && work.category !== "unclassified") {
    const epic = epicFor(run, work.category, work.createdAt);
    epic.slots--;
    parent = epic.item;
    const steps = vocabulary.steps[work.category];
    title = distinctTitle(run, () => `${epic.topic}: ${rng.pick(steps)}`);
  } else {
    title = shape.title(run);
  }
  const components =
    vocabulary.components.length > 0 && rng.chance(0.75) ? [rng.pick(vocabulary.components)] : [];
  const project =
    profile.source === "jira"
      ? profile.id
      : (parent?.project ?? (rng.chance(0.5) ? rng.pick(vocabulary.projects) : null));
  const item = newPlanItem(run, {
    category: work.category,
    epic: false,
    title,
    type: shape.type,
    labels: shape.labels,
    components,
    project,
    parent,
    createdAt: work.createdAt,
    initialSprints: work.sprints,
    initialEstimate: work.estimate,
  });
  parent?.children.push(item);
  return item;
}

const POINTS = [1, 2, 3, 3, 5, 5, 5, 8, 8];
const BUG_POINTS = [1, 2, 2, 3];

/** A Fibonacci-ish estimate no larger than `room`; small unestimated bugs weigh 1. */
function pickEstimate(run: TeamRun, category: Category, room: number): number | null {
  if (run.profile.unit === "issues") return null;
  const bugLike = category === "unclassified";
  if (bugLike && run.rng.chance(0.35)) return null;
  const cap = category === "investment" ? Math.min(room, run.profile.largestInvestment) : room;
  const fitting = (bugLike ? BUG_POINTS : POINTS).filter((points) => points <= cap);
  return fitting.length === 0 ? 1 : run.rng.pick(fitting);
}

function neighbourEstimate(estimate: number): number {
  const scale = [1, 2, 3, 5, 8, 13];
  const index = scale.indexOf(estimate);
  return scale[index <= 0 ? 1 : index - 1] ?? estimate;
}

/** Pulls a piece of earlier dropped work back from the backlog, if one fits. */
function takeFromBacklog(
  run: TeamRun,
  category: Category,
  before: number,
  fits: (weight: number) => boolean,
): PlanItem | undefined {
  const index = run.backlog.findIndex(
    (item) =>
      item.category === category &&
      lastEventAt(item) < before &&
      statusOf(item) === "todo" &&
      fits(weightOf(run, estimateOf(item))),
  );
  if (index < 0) return undefined;
  const [item] = run.backlog.splice(index, 1);
  return item;
}

/** An item committed to `sprint` at planning: new or from the backlog, moved in before the start. */
function planInto(
  run: TeamRun,
  sprint: SprintSlot,
  category: Category,
  estimate: number | null,
  reuse: "none" | "sameSize" | "anySize",
): PlanItem {
  const { rng } = run;
  const t0 = sprint.startAt;
  const size = weightOf(run, estimate);
  const reused =
    reuse === "none"
      ? undefined
      : takeFromBacklog(run, category, t0 - 3 * DAY, (w) => reuse === "anySize" || w === size);
  if (reused !== undefined) {
    moveInto(run, reused, rng.time(t0 - 3 * DAY, t0 - 10 * MINUTE), sprint.id);
    return reused;
  }
  if (rng.chance(0.25)) {
    // Created straight into the sprint during planning: no sprint history at all.
    const createdAt = rng.time(t0 - 3 * DAY, t0 - 10 * MINUTE);
    return createWork(run, { category, createdAt, sprints: [sprint.id], estimate, added: false });
  }
  const createdAt = rng.time(t0 - 45 * DAY, t0 - 3 * DAY);
  const refined = estimate !== null && rng.chance(0.25);
  const item = createWork(run, {
    category,
    createdAt,
    sprints: [],
    estimate: refined ? null : estimate,
    added: false,
  });
  const plannedAt = rng.time(t0 - 3 * DAY, t0 - 10 * MINUTE);
  if (refined) {
    // Estimated in backlog refinement, between creation and planning.
    item.events.push({
      at: rng.time(createdAt + HOUR, plannedAt - HOUR),
      field: "estimate",
      to: estimate,
    });
  }
  moveInto(run, item, plannedAt, sprint.id);
  return item;
}

/** Unplanned work pulled into the running sprint at `at`. */
function addMidSprint(
  run: TeamRun,
  sprint: SprintSlot,
  category: Category,
  estimate: number | null,
  at: number,
): PlanItem {
  const { rng } = run;
  if (rng.chance(0.6)) {
    return createWork(run, {
      category,
      createdAt: at,
      sprints: [sprint.id],
      estimate,
      added: true,
    });
  }
  const createdAt = rng.time(at - 30 * DAY, at - HOUR);
  const item = createWork(run, { category, createdAt, sprints: [], estimate, added: true });
  moveInto(run, item, at, sprint.id);
  return item;
}

function scheduleDelivery(
  run: TeamRun,
  item: PlanItem,
  sprint: SprintSlot,
  earliest: number,
  doneAt: number,
  reestimateTo: number | null,
): void {
  const { rng } = run;
  if (statusOf(item) === "todo") {
    const from = Math.max(earliest, sprint.startAt, doneAt - 5 * DAY) + 10 * MINUTE;
    setStatus(item, rng.time(from, doneAt - HOUR), "inProgress");
  }
  if (reestimateTo !== null) {
    item.events.push({
      at: rng.time(sprint.startAt + HOUR, doneAt - 10 * MINUTE),
      field: "estimate",
      to: reestimateTo,
    });
  }
  // Reopening stays inside this sprint, so the item is not done at its start.
  const startedAt = Math.max(lastEvent(item, "status")?.at ?? earliest, sprint.startAt);
  if (doneAt - startedAt > 12 * HOUR && rng.chance(0.05)) {
    // Reopened after review, done again later in the same sprint.
    const firstDone = startedAt + Math.round((doneAt - startedAt) * 0.4);
    setStatus(item, firstDone, "done");
    setStatus(item, firstDone + Math.round((doneAt - startedAt) * 0.2), "inProgress");
  }
  setStatus(item, doneAt, "done");
}

interface Delivery {
  readonly category: Category;
  readonly weight: number;
  /** Null for work added mid-sprint, created once its completion time is known. */
  readonly item: PlanItem | null;
  readonly estimate: number | null;
  readonly reestimateTo: number | null;
}

/**
 * Completion times for a sprint's deliveries: each category's items spread evenly over the
 * sprint by cumulative weight, so that any stretch of it (the elapsed part of the active sprint,
 * the days of a sprint inside a quarter) shows about the planned mix rather than a lucky or
 * unlucky draw.
 */
function spreadDeliveries(
  run: TeamRun,
  sprint: SprintSlot,
  deliveries: readonly Delivery[],
): { delivery: Delivery; doneAt: number }[] {
  const { rng } = run;
  const placed: { delivery: Delivery; position: number }[] = [];
  for (const category of CATEGORIES) {
    const own = deliveries.filter((delivery) => delivery.category === category);
    const total = own.reduce((sum, delivery) => sum + delivery.weight, 0);
    // Fisher-Yates, so that stories, bugs and carried work mix within a category.
    for (let i = own.length - 1; i > 0; i--) {
      const j = rng.int(0, i);
      const [a, b] = [own[i], own[j]];
      if (a !== undefined && b !== undefined) [own[i], own[j]] = [b, a];
    }
    let cumulative = 0;
    for (const delivery of own) {
      const share = delivery.weight / Math.max(1, total);
      const middle = cumulative / Math.max(1, total) + share / 2;
      cumulative += delivery.weight;
      const position = Math.min(0.97, Math.max(0.03, middle + rng.range(-0.2, 0.2) * share));
      placed.push({ delivery, position });
    }
  }
  const from = sprint.startAt + 2 * HOUR;
  const to = sprint.closeAt - 30 * MINUTE;
  return placed
    .sort((a, b) => a.position - b.position)
    .map(({ delivery, position }) => ({
      delivery,
      doneAt: Math.round((from + (to - from) * position) / MINUTE) * MINUTE,
    }));
}

function shareOf(split: Record<Classified, number>): number {
  const total = split.roadmap + split.investment;
  return total === 0 ? 0 : split.investment / total;
}

/**
 * Plans one sprint so that it delivers the mix the team's story asks for: carried-in work first,
 * then new work filling each category's quota exactly, then committed work that will not be
 * delivered (carried over or moved out), steered so that the committed share lands on the plan.
 * Returns the items that roll over into `next`.
 */
function planSprint(
  run: TeamRun,
  sprint: SprintSlot,
  carryIns: readonly PlanItem[],
  next: SprintSlot | undefined,
): PlanItem[] {
  const { rng, profile } = run;
  const t0 = sprint.startAt;
  const t1 = sprint.closeAt;
  const closes = sprint.state === "closed" && next !== undefined;
  const mix = profile.mix(sprint, run.calendar, rng);

  const velocity = rng.int(profile.velocity[0], profile.velocity[1]);
  const unclassified = Math.round(velocity * profile.unclassifiedShare * rng.range(0.7, 1.3));
  const classified = velocity - unclassified;
  const investment = Math.round(classified * mix.deliver);
  const quota: Record<Category, number> = {
    roadmap: classified - investment,
    investment,
    unclassified,
  };

  const leftovers: PlanItem[] = [];
  const carried: Record<Category, number> = { roadmap: 0, investment: 0, unclassified: 0 };
  const carriedDelivered: PlanItem[] = [];
  for (const item of carryIns) {
    if (mix.squeeze && item.category === "investment") {
      leftovers.push(item);
    } else {
      carriedDelivered.push(item);
      carried[item.category] += weightOf(run, estimateOf(item));
    }
  }
  // Carried-in work is delivered whole, so the quotas grow to keep the planned share.
  if (carried.investment > quota.investment) {
    quota.investment = carried.investment;
    if (mix.deliver > 0) {
      const roadmap = Math.round((quota.investment * (1 - mix.deliver)) / mix.deliver);
      quota.roadmap = Math.max(quota.roadmap, roadmap);
    }
  }
  if (carried.roadmap > quota.roadmap) {
    quota.roadmap = carried.roadmap;
    if (mix.deliver < 1 && !mix.squeeze) {
      const investmentQuota = Math.round((quota.roadmap * mix.deliver) / (1 - mix.deliver));
      quota.investment = Math.max(quota.investment, investmentQuota);
    }
  }
  quota.unclassified = Math.max(quota.unclassified, carried.unclassified);

  const deliveries: Delivery[] = carriedDelivered.map((item) => ({
    category: item.category,
    weight: weightOf(run, estimateOf(item)),
    item,
    estimate: estimateOf(item),
    reestimateTo: null,
  }));

  const committed: Record<Classified, number> = { roadmap: 0, investment: 0 };
  const countCommitted = (item: PlanItem) => {
    if (item.category !== "unclassified") {
      committed[item.category] += weightOf(run, estimateAt(item, t0));
    }
  };
  carryIns.forEach(countCommitted);

  for (const category of CATEGORIES) {
    let remaining = quota[category] - carried[category];
    while (remaining > 0) {
      const reused = rng.chance(0.2)
        ? takeFromBacklog(run, category, t0 - 3 * DAY, (weight) => weight <= remaining)
        : undefined;
      if (reused !== undefined) {
        // Dropped earlier, picked up again: its own size counts against the quota.
        const weight = weightOf(run, estimateOf(reused));
        remaining -= weight;
        moveInto(run, reused, rng.time(t0 - 3 * DAY, t0 - 10 * MINUTE), sprint.id);
        countCommitted(reused);
        const estimate = estimateOf(reused);
        deliveries.push({ category, weight, item: reused, estimate, reestimateTo: null });
        continue;
      }
      const estimate = pickEstimate(run, category, remaining);
      const weight = weightOf(run, estimate);
      remaining -= weight;
      if (rng.chance(category === "unclassified" ? 0.5 : 0.12)) {
        // Added mid-sprint once its completion time is known.
        deliveries.push({ category, weight, item: null, estimate, reestimateTo: null });
        continue;
      }
      const reestimate = estimate !== null && estimate > 1 && rng.chance(0.12);
      const initial = reestimate && estimate !== null ? neighbourEstimate(estimate) : estimate;
      const item = planInto(run, sprint, category, initial, "none");
      countCommitted(item);
      deliveries.push({
        category,
        weight,
        item,
        estimate,
        reestimateTo: reestimate ? estimate : null,
      });
    }
  }

  for (const { delivery, doneAt } of spreadDeliveries(run, sprint, deliveries)) {
    let item = delivery.item;
    let earliest = t0;
    if (item === null && doneAt - 2 * HOUR >= t0 + DAY) {
      earliest = rng.time(Math.max(t0 + DAY, doneAt - 4 * DAY), doneAt - 2 * HOUR);
      item = addMidSprint(run, sprint, delivery.category, delivery.estimate, earliest);
    } else if (item === null) {
      // Too early in the sprint to have been added during it: planned like the rest.
      item = planInto(run, sprint, delivery.category, delivery.estimate, "none");
      countCommitted(item);
    }
    scheduleDelivery(run, item, sprint, earliest, doneAt, delivery.reestimateTo);
  }

  // Committed work that will not be delivered, each piece chosen to move the committed share
  // towards the plan: a healthy team's commitment looks like its delivery, a squeezed one's does not.
  const addLeftover = (category: Category, estimate: number | null) => {
    // A squeezed team keeps re-planning the same dropped debt; elsewhere a reused item must be
    // the size the steering asked for.
    const squeezed = category === "investment" && mix.squeeze;
    const reuse = rng.chance(squeezed ? 0.5 : 0.2) ? (squeezed ? "anySize" : "sameSize") : "none";
    const item = planInto(run, sprint, category, estimate, reuse);
    countCommitted(item);
    leftovers.push(item);
  };
  const wanted = rng.int(1, 2);
  for (let i = 0; i < 6; i++) {
    const close = Math.abs(shareOf(committed) - mix.commit) < 0.02;
    if (i >= wanted && (close || mix.squeeze)) break;
    let best: { category: Classified; estimate: number | null; miss: number } | undefined;
    for (const category of ["roadmap", "investment"] as const) {
      const drawn = pickEstimate(run, category, 5);
      for (const estimate of drawn === null ? [null] : [drawn, 2, 3]) {
        const trial = { ...committed, [category]: committed[category] + weightOf(run, estimate) };
        const miss = Math.abs(shareOf(trial) - mix.commit);
        if (best === undefined || miss < best.miss - 0.005) best = { category, estimate, miss };
      }
    }
    if (best !== undefined) addLeftover(best.category, best.estimate);
  }
  for (let guard = 0; mix.squeeze && shareOf(committed) < mix.commit - 0.03 && guard < 8; guard++) {
    addLeftover("investment", pickEstimate(run, "investment", 5));
  }
  if (rng.chance(profile.unclassifiedShare * 2)) {
    addLeftover("unclassified", pickEstimate(run, "unclassified", 3));
  }

  if (!closes || next === undefined || sprint.completeAt === null) return [];
  const closedAt = sprint.completeAt;
  const carryOuts: PlanItem[] = [];
  for (const item of leftovers) {
    if (statusOf(item) === "todo" && rng.chance(0.4)) {
      setStatus(item, rng.time(Math.max(t0, lastEventAt(item)) + 4 * HOUR, t1 - DAY), "inProgress");
    }
    if (item.carries < 2 && rng.chance(mix.squeeze ? 0.55 : 0.7)) {
      moveInto(run, item, closedAt, next.id);
      item.carries++;
      carryOuts.push(item);
      continue;
    }
    // Moved out mid-sprint to make room; back to the backlog, now and then dropped for good.
    const at = rng.time(Math.max(t0 + DAY, lastEventAt(item) + MINUTE), t1 - DAY);
    setStatus(item, at, "todo");
    moveOut(item, at, sprint.id);
    run.backlog.push(item);
  }
  if (rng.chance(0.2)) {
    // Closed as won't do mid-sprint. Canceled work is left out of every number (SPEC §4), so it
    // is planned outside the committed share steered above; cancelling counted work would shift it.
    const category = rng.pick(CATEGORIES);
    const item = planInto(run, sprint, category, pickEstimate(run, category, 5), "none");
    setStatus(item, rng.time(t0 + DAY, t1 - DAY), "canceled");
  }
  if (rng.chance(0.25)) {
    // Scope churn: pulled in mid-sprint, then moved out again before the end.
    const category = rng.chance(0.5) ? "unclassified" : "roadmap";
    const at = rng.time(t0 + DAY, t1 - 3 * DAY);
    const item = addMidSprint(run, sprint, category, pickEstimate(run, category, 3), at);
    const removedAt = rng.time(at + 2 * HOUR, t1 - HOUR);
    moveOut(item, removedAt, sprint.id);
    if (rng.chance(0.3)) setStatus(item, removedAt + rng.int(5, 600) * MINUTE, "canceled");
    else run.backlog.push(item);
  }
  return carryOuts;
}

/** The next sprint's plan so far: work moved into it since the active sprint began. */
function planFuture(run: TeamRun, future: SprintSlot, active: SprintSlot, now: number): void {
  const { rng, profile } = run;
  const from = active.startAt + 2 * DAY;
  if (now - from < DAY) return;
  const mix = profile.mix(future, run.calendar, rng);
  const progress = Math.min(1, (now - from) / Math.max(DAY, active.endAt - from));
  let remaining = Math.round(profile.velocity[0] * 0.8 * progress);
  const committed: Record<Classified, number> = { roadmap: 0, investment: 0 };
  while (remaining > 0) {
    const planned = committed.roadmap + committed.investment;
    const category: Category =
      planned > 0 && shareOf(committed) < mix.commit ? "investment" : "roadmap";
    const estimate = pickEstimate(run, category, Math.min(remaining, 5));
    const weight = weightOf(run, estimate);
    remaining -= weight;
    committed[category] += weight;
    const plannedAt = rng.time(from, now);
    const reused = takeFromBacklog(run, category, plannedAt - HOUR, () => true);
    if (reused !== undefined) {
      moveInto(run, reused, plannedAt, future.id);
      continue;
    }
    const createdAt = rng.time(plannedAt - 30 * DAY, plannedAt - HOUR);
    const item = createWork(run, { category, createdAt, sprints: [], estimate, added: false });
    moveInto(run, item, plannedAt, future.id);
  }
}

/** Ideas and bug reports that never made it into a sprint; some are closed as won't do. */
function planBacklogNoise(run: TeamRun, now: number): void {
  const { rng } = run;
  for (const quarter of run.calendar.quarters) {
    const count = rng.int(3, 6);
    for (let i = 0; i < count; i++) {
      const createdAt = rng.time(quarter.start, Math.min(now, quarter.start + 91 * DAY));
      const category = rng.pick<Category>(["roadmap", "roadmap", "investment", "unclassified"]);
      const estimate = rng.chance(0.5) ? pickEstimate(run, category, 8) : null;
      const item = createWork(run, { category, createdAt, sprints: [], estimate, added: false });
      if (rng.chance(0.15)) setStatus(item, createdAt + rng.int(1, 40) * DAY, "canceled");
    }
  }
}

/** An epic starts with its first child and is done a little after its last child is. */
function settleEpics(run: TeamRun): void {
  const { rng } = run;
  for (const epic of run.items) {
    if (!epic.epic || epic.children.length === 0) continue;
    let started = Number.POSITIVE_INFINITY;
    let finished = Number.NEGATIVE_INFINITY;
    let open = false;
    for (const child of epic.children) {
      for (const event of child.events) {
        if (event.field === "status" && event.to === "inProgress")
          started = Math.min(started, event.at);
      }
      const status = statusOf(child);
      if (status === "done") finished = Math.max(finished, lastEvent(child, "status")?.at ?? 0);
      else if (status !== "canceled") open = true;
    }
    if (started === Number.POSITIVE_INFINITY) continue;
    setStatus(epic, started, "inProgress");
    if (!open && finished > started) {
      setStatus(epic, rng.time(finished + HOUR, finished + 2 * DAY), "done");
    }
  }
}

/**
 * The profile's long work: each of its people starts a piece of an epic as the last one is done,
 * in progress for weeks, in the sprint it starts in and carried into every sprint after until
 * done (Jira's sprint field keeps them all).
 */
function planLongWork(run: TeamRun, sprints: readonly SprintSlot[], now: number): void {
  const { rng, profile } = run;
  const long = profile.longWork;
  const first = sprints[0];
  if (long === undefined || first === undefined) return;
  const people = (["roadmap", "investment"] as const).flatMap((category) =>
    Array.from({ length: long.people[category] }, (_, i) => ({
      category,
      slot: category === "roadmap" ? i : TEAM_SIZE - long.people.investment + i,
    })),
  );
  for (const { category, slot } of people) {
    // Under way before the first sprint, so every sprint shows the split the team works at.
    let start = first.startAt - rng.int(5, 40) * DAY;
    while (start < now) {
      const end = start + rng.int(long.days[0], long.days[1]) * DAY;
      const createdAt = start - rng.int(1, 5) * DAY;
      const epic = epicFor(run, category, createdAt);
      epic.slots--;
      const steps = run.vocabulary.steps[category];
      const item = newPlanItem(run, {
        category,
        epic: false,
        title: distinctTitle(run, () => `${epic.topic}: ${rng.pick(steps)}`),
        type: category === "roadmap" ? "Story" : "Task",
        labels: [],
        components: [rng.pick(run.vocabulary.components)],
        project: profile.id,
        parent: epic.item,
        createdAt,
        initialSprints: [],
        initialEstimate: long.estimate[category],
      });
      epic.item.children.push(item);
      run.owners.set(item, slot);
      // An investment epic goes to its people, whose time then stays all investment.
      if (category === "investment") run.owners.set(epic.item, slot);
      for (const sprint of sprints) {
        if (sprint.state === "future" || sprint.closeAt <= start || sprint.startAt >= end) continue;
        moveInto(run, item, Math.max(start, sprint.startAt - HOUR), sprint.id);
      }
      setStatus(item, start, "inProgress");
      setStatus(item, end, "done");
      start = end + rng.int(1, 3) * HOUR;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Sprints

function buildSprints(run: TeamRun, now: number): SprintSlot[] {
  const { profile, calendar, rng } = run;
  const { anchor, days, hour, firstNumber } = profile.cadence;
  const zone = profile.timezone;
  const starts = new Map<number, number>();
  const startOf = (index: number) => {
    let start = starts.get(index);
    if (start === undefined) {
      start = zonedInstant(addDays(anchor, index * days), hour, zone);
      starts.set(index, start);
    }
    return start;
  };

  let first = Math.ceil(daysBetween(anchor, calendar.first.firstDay) / days);
  while (startOf(first) < calendar.first.start) first++;
  let active = Math.floor(daysBetween(anchor, localDate(now, zone)) / days);
  while (startOf(active) > now) active--;
  while (startOf(active + 1) <= now) active++;

  const jira = profile.source === "jira";
  const slots: SprintSlot[] = [];
  for (let index = first; index <= active + 1; index++) {
    const number = firstNumber + index - first;
    const startAt = startOf(index);
    const endAt = startOf(index + 1);
    const state = index < active ? "closed" : index === active ? "active" : "future";
    // Jira sprints are closed by hand at the retro just before the next one starts; Linear
    // closes a cycle automatically at its end.
    const completeAt = state !== "closed" ? null : jira ? endAt - rng.int(10, 50) * MINUTE : endAt;
    slots.push({
      id: jira ? `${profile.id}-S${number}` : `${profile.id}-C${number}`,
      name: jira ? `${profile.id} Sprint ${number}` : `Cycle ${number}`,
      state,
      startAt,
      endAt,
      completeAt,
      closeAt: completeAt ?? endAt - 60 * MINUTE,
    });
  }
  return slots;
}

// ---------------------------------------------------------------------------------------------
// Output

function sameSprints(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}

/** Five people per team, in profile order: the assignees of its started work. */
const PEOPLE = [
  "amara.okoye",
  "ben.hartley",
  "chloe.martin",
  "diego.ramos",
  "elif.demir",
  "felix.braun",
  "grace.liu",
  "hugo.laurent",
  "ines.costa",
  "jonas.weber",
  "kai.nakamura",
  "lea.novak",
  "mateo.silva",
  "nina.petrov",
  "omar.haddad",
  "paula.santos",
  "quinn.obrien",
  "rosa.jimenez",
  "sami.virtanen",
  "tara.singh",
  "uma.krishnan",
  "victor.dubois",
  "wen.zhao",
  "yara.haddad",
  "zoe.fischer",
  "adam.kowalski",
  "bea.moreau",
  "carl.lindqvist",
  "dana.cohen",
  "emil.strand",
  "farah.aziz",
  "gustav.berg",
  "hana.sato",
  "ivo.marek",
  "julia.rossi",
];
const TEAM_SIZE = 5;

/**
 * The person who starts an item: from the item's own number, not the team's random stream, so
 * assigning work changes no other choice the demo makes. Reopened work goes back to them.
 */
function assigneeOf(run: TeamRun, item: PlanItem): string {
  const teamIndex = PROFILES.indexOf(run.profile);
  const others = TEAM_SIZE - (run.profile.longWork?.people.investment ?? 0);
  const slot = run.owners.get(item) ?? hashText(`${run.profile.id}:${item.seq}`) % others;
  return PEOPLE[(teamIndex * TEAM_SIZE + slot) % PEOPLE.length] as string;
}

/** Applies `now`: later events never happened, and every `from` is the `to` before it. */
function toItemFile(
  run: TeamRun,
  item: PlanItem,
  keys: ReadonlyMap<PlanItem, string>,
  now: number,
): ItemFile {
  const id = keys.get(item) ?? "";
  const events = item.events.filter((event) => event.at <= now).sort((a, b) => a.at - b.at);
  let sprints = item.initialSprints;
  let estimate = item.initialEstimate;
  let status: Status = "todo";
  let doneAt: number | null = null;
  let assignee: string | null = null;
  const history: HistoryFile[] = [];
  for (const event of events) {
    const at = iso(event.at);
    if (event.field === "sprint") {
      if (sameSprints(sprints, event.to)) continue;
      history.push({ at, field: "sprint", from: [...sprints], to: [...event.to] });
      sprints = event.to;
    } else if (event.field === "estimate") {
      if (estimate === event.to) continue;
      history.push({ at, field: "estimate", from: estimate, to: event.to });
      estimate = event.to;
    } else {
      if (status === event.to) continue;
      if (event.to === "inProgress" && assignee === null) {
        assignee = assigneeOf(run, item);
        history.push({ at, field: "assignee", from: null, to: assignee });
      }
      history.push({ at, field: "status", from: status, to: event.to });
      status = event.to;
      doneAt = event.to === "done" || event.to === "canceled" ? event.at : null;
    }
  }
  // Jira stamps a resolution date on dropped work too; Linear keeps completedAt for done work.
  const completedAt =
    status === "done" || (status === "canceled" && run.profile.source === "jira") ? doneAt : null;
  return {
    id,
    teamId: run.profile.id,
    title: item.title,
    type: item.type,
    labels: [...item.labels],
    components: [...item.components],
    project: item.project,
    parentId: item.parent === null ? null : (keys.get(item.parent) ?? null),
    estimate,
    status,
    assignee,
    createdAt: iso(item.createdAt),
    completedAt: completedAt === null ? null : iso(completedAt),
    sprintIds: [...sprints],
    history,
  };
}

function toTeamFile(profile: TeamProfile): TeamFile {
  const team: TeamFile = {
    id: profile.id,
    name: profile.name,
    source: profile.source,
    unit: profile.unit,
    unestimatedWeight: 1,
    timezone: profile.timezone,
  };
  if (profile.source === "linear") team.labels = { roadmap: "Roadmap", investment: "Investment" };
  team.rules =
    profile.rules === undefined ? [] : profile.rules.map((rule) => structuredClone(rule));
  if (profile.actual !== undefined) team.actual = profile.actual;
  return team;
}

function runTeam(profile: TeamProfile, now: number): { sprints: SprintFile[]; items: ItemFile[] } {
  const vocabulary = VOCABULARY[profile.id];
  if (vocabulary === undefined) throw new Error(`No demo vocabulary for team ${profile.id}.`);
  const run: TeamRun = {
    profile,
    vocabulary,
    rng: new Rng(DEMO_SEED ^ hashText(profile.id)),
    calendar: buildCalendar(profile.timezone, now),
    items: [],
    backlog: [],
    openEpics: {},
    epicCount: { roadmap: 0, investment: 0 },
    titles: new Set(),
    owners: new Map(),
  };
  const sprints = buildSprints(run, now);
  let carry: PlanItem[] = [];
  sprints.forEach((sprint, index) => {
    const next = sprints[index + 1];
    if (sprint.state === "future") {
      const active = sprints[index - 1];
      if (active !== undefined) planFuture(run, sprint, active, now);
    } else {
      carry = planSprint(run, sprint, carry, next);
    }
  });
  planLongWork(run, sprints, now);
  planBacklogNoise(run, now);
  settleEpics(run);

  // Keys follow creation order, as Jira and Linear number issues.
  const alive = run.items
    .filter((item) => item.createdAt <= now)
    .sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq);
  const keys = new Map<PlanItem, string>();
  alive.forEach((item, index) => keys.set(item, `${profile.id}-${profile.firstKey + index}`));

  return {
    sprints: sprints.map((sprint) => ({
      id: sprint.id,
      teamId: profile.id,
      name: sprint.name,
      startAt: iso(sprint.startAt),
      endAt: iso(sprint.endAt),
      completeAt: sprint.completeAt === null ? null : iso(sprint.completeAt),
    })),
    items: alive.map((item) => toItemFile(run, item, keys, now)),
  };
}

function declareTargets(now: number): TargetFile[] {
  const calendars = PROFILES.map((profile) => buildCalendar(profile.timezone, now));
  const targets: TargetFile[] = [];
  for (let index = 0; index < 6; index++) {
    PROFILES.forEach((profile, teamIndex) => {
      const quarter = calendars[teamIndex]?.quarters[index];
      const declaration = quarter === undefined ? null : profile.declare(index, quarter);
      if (quarter === undefined || declaration === null) return;
      targets.push({
        teamId: profile.id,
        ...declaration,
        effectiveFrom: formatDate(quarter.firstDay),
      });
    });
  }
  // In declaration order, which is date order: teams in zones east of UTC may already be a
  // quarter ahead of the others.
  return targets.sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0,
  );
}

/**
 * The embedded demo workspace at `now` (epoch ms): seven teams over the six calendar quarters
 * ending at the quarter holding `now`, in the workspace file format of SPEC §11. Deterministic:
 * the same `now` gives the same file, byte for byte.
 */
export function generateDemoWorkspace(now: number): WorkspaceFile {
  const sprints: SprintFile[] = [];
  const items: ItemFile[] = [];
  for (const profile of PROFILES) {
    const team = runTeam(profile, now);
    sprints.push(...team.sprints);
    items.push(...team.items);
  }
  return {
    version: 1,
    settings: { fiscalYearStartMonth: 1 },
    teams: PROFILES.map(toTeamFile),
    targets: declareTargets(now),
    sprints,
    items,
  };
}
