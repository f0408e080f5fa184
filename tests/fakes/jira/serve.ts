/**
 * `npm run fake:jira`: the fake Jira seeded with the demo workspace, on loopback, until Ctrl-C, so
 * `capacity-split pull jira` and `report --jira` can be tried without a real site.
 */
import { generateDemoWorkspace } from "../../../src/workspace/demo";
import { startFakeJira } from "./server";

const port = Number(process.env.PORT ?? 4100);
const fake = await startFakeJira({ workspace: generateDemoWorkspace(Date.now()), port });
const boards = [...fake.site.boards.values()].map((board) => `${board.id} (${board.name})`);
process.stdout.write(
  [
    `Fake Jira at ${fake.url}`,
    `Boards: ${boards.join(", ")}`,
    "",
    "Try, in another terminal:",
    `  export JIRA_EMAIL=${fake.email} JIRA_API_TOKEN=${fake.token}`,
    `  npx capacity-split report --jira ${fake.url} --board ${[...fake.site.boards.keys()][0] ?? 12}`,
    "",
    "Ctrl-C stops it.",
    "",
  ].join("\n"),
);
const stop = () => void fake.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
