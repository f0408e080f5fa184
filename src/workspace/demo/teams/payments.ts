import { DAY } from "../calendar";
import { CTO, VP_ENGINEERING } from "../people";
import { jiraBoard } from "./trackers";

/**
 * Payments squeezes investment ahead of a launch: the previous quarter slides well below its 30 %
 * target, the last sprints before the current quarter and every sprint since deliver none although
 * they still commit near target, so the current quarter is at risk.
 */
export const PAYMENTS = jiraBoard({
  id: "PAY",
  name: "Payments",
  timezone: "America/New_York",
  cadence: { anchor: { year: 2023, month: 1, day: 2 }, firstNumber: 41 },
  firstKey: 2104,
  velocity: [18, 23],
  unclassifiedShare: 0.1,
  epicShare: 0.45,
  debtType: "Tech Debt",
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
  targets: [
    {
      from: 0,
      investmentShare: 0.3,
      tolerance: 0.05,
      setBy: CTO,
      confirmedBy: VP_ENGINEERING,
    },
  ],
  vocabulary: {
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
});
