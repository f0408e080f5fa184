import { CHECKOUT } from "./checkout";
import { DATA } from "./data";
import { GROWTH } from "./growth";
import { IDENTITY } from "./identity";
import { MOBILE } from "./mobile";
import { PAYMENTS } from "./payments";
import { PLATFORM } from "./platform";
import type { TeamProfile } from "../types";

/** The demo's teams, in the order the workspace lists them. */
export const PROFILES: readonly TeamProfile[] = [
  PAYMENTS,
  CHECKOUT,
  PLATFORM,
  MOBILE,
  GROWTH,
  DATA,
  IDENTITY,
];
