import { CHECKOUT, CHECKOUT_VOCABULARY } from "./checkout";
import { DATA, DATA_VOCABULARY } from "./data";
import { GROWTH, GROWTH_VOCABULARY } from "./growth";
import { IDENTITY, IDENTITY_VOCABULARY } from "./identity";
import { MOBILE, MOBILE_VOCABULARY } from "./mobile";
import { PAYMENTS, PAYMENTS_VOCABULARY } from "./payments";
import { PLATFORM, PLATFORM_VOCABULARY } from "./platform";
import type { TeamProfile, Vocabulary } from "../types";

export const PROFILES: readonly TeamProfile[] = [
  PAYMENTS,
  CHECKOUT,
  PLATFORM,
  MOBILE,
  GROWTH,
  DATA,
  IDENTITY,
];

export const VOCABULARY: Readonly<Record<string, Vocabulary>> = {
  PAY: PAYMENTS_VOCABULARY,
  CHK: CHECKOUT_VOCABULARY,
  PLAT: PLATFORM_VOCABULARY,
  MOB: MOBILE_VOCABULARY,
  GRO: GROWTH_VOCABULARY,
  DATA: DATA_VOCABULARY,
  IDN: IDENTITY_VOCABULARY,
};
