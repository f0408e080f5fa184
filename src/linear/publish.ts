import type { LinearSyncClient } from "./client";
import type { LinearTeam } from "./schemas";

/** A closed cycle's project update: its markdown body and the health its flags give it. */
export interface CycleUpdate {
  readonly cycleId: string;
  readonly body: string;
  readonly health: "onTrack" | "atRisk" | "offTrack";
}

export interface PublishResult {
  readonly projectId: string | null;
  /** What was created or changed (or, in a dry run, would be), one phrase each. */
  readonly changes: readonly string[];
  /** The entities written, so their webhooks can be recognised as the sync's own. */
  readonly written: readonly {
    readonly type: "Project" | "Document" | "ProjectUpdate";
    readonly id: string;
  }[];
}

/** The project's name; found by it on every run, so the sync never creates a second one. */
export function reportProjectName(team: Pick<LinearTeam, "name">): string {
  return `Capacity split · ${team.name}`;
}

/**
 * The marker a cycle's update ends with, on a line of its own. Linear keeps an update's markdown
 * as written, so the marker finds the update again on later runs and there is exactly one per
 * cycle.
 */
export function cycleMarker(cycleId: string): string {
  return `capacity-split cycle ${cycleId}`;
}

/**
 * Whether a project update is the sync's own for this cycle: its last line is the marker alone
 * (in the emphasis it was written with, or `*` should Linear write it back that way). Only the
 * last line counts, and tracker text never stands alone on a line of an update (names and
 * messages are escaped inside lines of the update's own wording), so a title or a flag message
 * that quotes a marker cannot pass for one, and an update a person wrote that mentions it does
 * not stop the sync's.
 */
export function isCycleUpdateOf(body: string, cycleId: string): boolean {
  const marker = cycleMarker(cycleId);
  const last = body.trimEnd().split("\n").at(-1)?.trim();
  return last === marker || last === `_${marker}_` || last === `*${marker}*`;
}

/**
 * Publishes one team's report inside Linear: the project `Capacity split · <Team>` (found by
 * name, created once), one living document updated in place when its content changed, and one
 * project update per given closed cycle that has none yet. Running it twice changes nothing.
 */
export async function publishTeamReport(
  client: LinearSyncClient,
  input: {
    readonly team: LinearTeam;
    readonly document: string;
    readonly cycleUpdates: readonly CycleUpdate[];
    readonly dryRun: boolean;
    /** Called after each write, before the next one, so a run killed midway has recorded it. */
    readonly onWrite?: (write: PublishResult["written"][number]) => Promise<void>;
  },
): Promise<PublishResult> {
  const name = reportProjectName(input.team);
  const changes: string[] = [];
  const written: PublishResult["written"][number][] = [];
  const wrote = async (write: PublishResult["written"][number]) => {
    written.push(write);
    await input.onWrite?.(write);
  };
  const [existing] = await client.findProjects(name);
  let projectId = existing?.id ?? null;
  if (projectId === null) {
    changes.push(`project "${name}"`);
    if (input.dryRun) {
      changes.push(`document "${name}"`);
      for (const update of input.cycleUpdates) changes.push(`update for cycle ${update.cycleId}`);
      return { projectId: null, changes, written };
    }
    projectId = (
      await client.createProject({
        name,
        teamIds: [input.team.id],
        description: "Roadmap and investment split, kept by Capacity Split.",
      })
    ).id;
    await wrote({ type: "Project", id: projectId });
  }
  const document = existing?.documents.nodes.find((candidate) => candidate.title === name);
  if (document === undefined) {
    changes.push(`document "${name}"`);
    if (!input.dryRun) {
      const id = await client.createDocument({ title: name, content: input.document, projectId });
      await wrote({ type: "Document", id });
    }
  } else if ((document.content ?? "").trim() !== input.document.trim()) {
    changes.push(`document "${name}" (updated)`);
    if (!input.dryRun) {
      await client.updateDocument(document.id, input.document);
      await wrote({ type: "Document", id: document.id });
    }
  }
  const posted = existing?.projectUpdates.nodes ?? [];
  for (const update of input.cycleUpdates) {
    if (posted.some((candidate) => isCycleUpdateOf(candidate.body, update.cycleId))) continue;
    changes.push(`update for cycle ${update.cycleId} (${update.health})`);
    if (!input.dryRun) {
      const id = await client.createProjectUpdate({
        projectId,
        body: `${update.body.trimEnd()}\n\n_${cycleMarker(update.cycleId)}_\n`,
        health: update.health,
      });
      await wrote({ type: "ProjectUpdate", id });
    }
  }
  return { projectId, changes, written };
}
