import { HEAD_OF_PRODUCT } from "../people";
import { steady } from "./mix";
import { linearTeam } from "./trackers";

/** Growth runs one-week cycles counted in issues and has not confirmed its target lately. */
export const GROWTH = linearTeam({
  id: "GRO",
  name: "Growth",
  timezone: "America/New_York",
  unit: "issues",
  cadence: { anchor: { year: 2023, month: 1, day: 2 }, days: 7, firstNumber: 88 },
  firstKey: 412,
  velocity: [4, 6],
  unclassifiedShare: 0.06,
  epicShare: 0.55,
  mix: steady(0.22, 0.06),
  targets: [
    {
      from: 0,
      investmentShare: 0.2,
      // A wide band: a team this small moves its share by a third with a single issue.
      tolerance: 0.1,
      setBy: HEAD_OF_PRODUCT,
      confirmedBy: null,
    },
  ],
  vocabulary: {
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
});
