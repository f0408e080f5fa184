import { steady } from "./mix";
import { jiraBoard } from "./trackers";

/** Mobile never declared a target. */
export const MOBILE = jiraBoard({
  id: "MOB",
  name: "Mobile",
  timezone: "America/Los_Angeles",
  cadence: { anchor: { year: 2023, month: 1, day: 4 }, firstNumber: 27 },
  firstKey: 1250,
  velocity: [16, 22],
  unclassifiedShare: 0.14,
  epicShare: 0.4,
  debtType: "Chore",
  mix: steady(0.17, 0.06),
  targets: [],
  vocabulary: {
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
});
