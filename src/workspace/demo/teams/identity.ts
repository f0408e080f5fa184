import { CTO, VP_ENGINEERING } from "../people";
import { steady } from "./mix";
import { jiraBoard } from "./trackers";

/**
 * Identity has two of its five people on a long investment epic, each piece weeks in progress and
 * small in points: judged on spent effort (SPEC §6a) it is on target, while its delivered points
 * alone would flag it below target sprint after sprint.
 */
export const IDENTITY = jiraBoard({
  id: "IDN",
  name: "Identity",
  timezone: "Europe/Berlin",
  cadence: { anchor: { year: 2023, month: 1, day: 2 }, firstNumber: 15 },
  firstKey: 540,
  velocity: [12, 16],
  unclassifiedShare: 0.04,
  epicShare: 0.3,
  debtType: "Tech Debt",
  largestInvestment: 2,
  mix: steady(0.08, 0.03),
  targets: [
    {
      from: 0,
      investmentShare: 0.4,
      tolerance: 0.1,
      setBy: CTO,
      confirmedBy: VP_ENGINEERING,
    },
  ],
  actual: "spent",
  longWork: {
    people: { roadmap: 3, investment: 2 },
    days: [40, 60],
    estimate: { roadmap: 2, investment: 5 },
  },
  vocabulary: {
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
});
