import { CTO, VP_ENGINEERING } from "../people";
import { jiraBoard } from "./trackers";

/**
 * Platform had its target lowered from 50 % to 35 % last quarter and kept delivering about 60 %
 * investment: the roadmap is starved.
 */
export const PLATFORM = jiraBoard({
  id: "PLAT",
  name: "Platform",
  timezone: "Europe/Zurich",
  cadence: { anchor: { year: 2023, month: 1, day: 9 }, firstNumber: 63 },
  firstKey: 3388,
  velocity: [15, 20],
  unclassifiedShare: 0.08,
  epicShare: 0.5,
  debtType: "Tech Debt",
  mix: (sprint, calendar, rng) => {
    const deliver =
      sprint.startAt >= calendar.previous.start
        ? 0.6 + rng.range(-0.04, 0.04)
        : 0.52 + rng.range(-0.03, 0.03);
    return { deliver, commit: deliver, squeeze: false };
  },
  targets: [
    {
      from: 0,
      investmentShare: 0.5,
      tolerance: 0.05,
      setBy: CTO,
      reason: "Platform stability push",
      confirmedBy: VP_ENGINEERING,
    },
    {
      from: 4,
      investmentShare: 0.35,
      tolerance: 0.05,
      setBy: CTO,
      reason: (quarter) =>
        `${quarter.planning}: stability push done, Platform staffs the payments launch`,
      confirmedBy: VP_ENGINEERING,
    },
  ],
  vocabulary: {
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
});
