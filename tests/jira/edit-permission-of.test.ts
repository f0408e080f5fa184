/**
 * `issuesEditableBy`: the bulk permission check asked as the app about another person
 * (`accountId`), over loopback to the fake Jira.
 */
import { describe, expect, it } from "vitest";
import { AuthError, BadRequestError } from "../../src/jira/index";
import { useFakeJira } from "../helpers/fake-trackers";
import { clientFor, paymentsBoard12 } from "./helpers";

const DANA_ID = "5b10ac8d82e05b22cc7d4ef5";
const LEE_ID = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077";
const readOnlyProjects: string[] = [];
const DANA = {
  email: "dana@example.com",
  token: "dana-token",
  accountId: DANA_ID,
  readOnlyIssues: ["PAY-2105"],
  readOnlyProjects,
};
/** Not a Jira administrator: may ask about itself only. */
const LEE = {
  email: "lee@example.com",
  token: "lee-token",
  accountId: LEE_ID,
  permissions: { ADMINISTER: false },
};

describe("which issues another person may edit, asked as the app", () => {
  const fake = useFakeJira(
    paymentsBoard12([{ email: "bot@example.com", token: "bot-token" }, DANA, LEE]),
  );
  const idOf = (key: string): string => fake.site.issuesByKey.get(key)?.id ?? "";

  it("answers for the person named, as they are now, in chunks of the documented 1000", async () => {
    const app = clientFor(fake).client;
    const asked = [idOf("PAY-2104"), idOf("PAY-2105"), idOf("PAY-2106"), "99999999"];
    expect(await app.issuesEditableBy(DANA_ID, asked)).toEqual(
      new Set([idOf("PAY-2104"), idOf("PAY-2106")]),
    );
    // The app itself may edit all three: the answer is Dana's, not the caller's.
    expect(await app.issuesWithPermission(asked, "EDIT_ISSUES")).toEqual(
      new Set(asked.slice(0, 3)),
    );
    readOnlyProjects.push("PAY");
    expect(await app.issuesEditableBy(DANA_ID, asked)).toEqual(new Set());
    readOnlyProjects.length = 0;

    // Every issue of the site and ids Jira does not know, 1500 in all: two requests.
    const known = [...fake.site.issuesById.keys()];
    const unknown = Array.from({ length: 1500 - known.length }, (_, i) => String(90_000_000 + i));
    fake.resetRequests();
    const editable = await app.issuesEditableBy(DANA_ID, [...unknown, ...known]);
    expect(editable).toEqual(new Set(known.filter((id) => id !== idOf("PAY-2105"))));
    expect(fake.requests["POST /rest/api/3/permissions/check"]).toBe(2);
  });

  it("is refused to a caller who may not ask about others, and rejects what is no account id", async () => {
    const lee = clientFor(fake, { email: LEE.email, token: LEE.token }).client;
    await expect(lee.issuesEditableBy(DANA_ID, [idOf("PAY-2104")])).rejects.toBeInstanceOf(
      AuthError,
    );
    expect(await lee.issuesEditableBy(LEE_ID, [idOf("PAY-2104")])).toEqual(
      new Set([idOf("PAY-2104")]),
    );
    const app = clientFor(fake).client;
    await expect(app.issuesEditableBy("nobody-here", [idOf("PAY-2104")])).rejects.toBeInstanceOf(
      BadRequestError,
    );
    await expect(app.issuesEditableBy("a b", [])).rejects.toThrow(/Not an Atlassian account id/);
  });
});
