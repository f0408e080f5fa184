import { HEAD_OF_DATA } from "../people";
import { confirm, steady } from "./story";
import type { TeamProfile, Vocabulary } from "../types";

export const DATA: TeamProfile = {
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
};

export const DATA_VOCABULARY: Vocabulary = {
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
};
