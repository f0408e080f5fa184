import { LinearClient } from "@linear/sdk";
import type { z } from "zod";
import {
  CYCLES_QUERY,
  DOCUMENT_CREATE_MUTATION,
  DOCUMENT_UPDATE_MUTATION,
  PROJECT_CREATE_MUTATION,
  PROJECT_UPDATE_CREATE_MUTATION,
  PROJECTS_QUERY,
  HISTORY_PER_ISSUE,
  ISSUE_HISTORY_PAGE_QUERY,
  ISSUE_HISTORY_QUERY,
  ISSUE_BATCH_LABELS_MUTATION,
  ISSUE_LABELS_UPDATE_MUTATION,
  ISSUE_IDS_QUERY,
  ISSUES_BY_ID_QUERY,
  ISSUES_QUERY,
  LABEL_CREATE_MUTATION,
  LABELS_QUERY,
  PAGE_SIZE,
  TEAMS_QUERY,
  VIEWER_QUERY,
} from "./documents";
import { LinearSyncError, malformedResponse, toLinearError } from "./errors";
import { withLinearRetry, type LinearRetryOptions } from "./retry";
import {
  cyclesResponse,
  documentCreateResponse,
  documentUpdateResponse,
  projectCreateResponse,
  projectsResponse,
  projectUpdateCreateResponse,
  type LinearProject,
  historyResponse,
  issueBatchLabelsResponse,
  issueLabelsUpdateResponse,
  issueIdsResponse,
  issuesByIdResponse,
  issuesResponse,
  labelCreateResponse,
  labelsResponse,
  teamsResponse,
  viewerResponse,
  type LinearContextIssue,
  type LinearCycle,
  type LinearHistoryEntry,
  type LinearLabel,
  type LinearPagedIssue,
  type LinearTeam,
} from "./schemas";

export interface LinearClientOptions {
  /** A personal API key; or, instead, an OAuth `accessToken` (sent as `Bearer`). */
  readonly apiKey?: string;
  readonly accessToken?: string;
  /** Defaults to Linear's `https://api.linear.app/graphql`; tests point it at the fake. */
  readonly apiUrl?: string;
  readonly retry?: LinearRetryOptions;
  readonly now?: () => number;
}

export interface LabelInput {
  readonly name: string;
  readonly parentId?: string;
  readonly teamId?: string;
  readonly isGroup?: boolean;
  readonly color?: string;
}

/**
 * Capacity Split's reads and writes against Linear's GraphQL API, on `@linear/sdk`'s raw request:
 * one hand-written query per page with everything the model needs, so a page of 250 issues is one
 * request, never the SDK's lazy relation getters per issue. Every response is parsed with zod; every
 * failure becomes a `LinearSyncError` after the retries of `withLinearRetry`.
 */
export class LinearSyncClient {
  private readonly sdk: LinearClient;
  private readonly retry: LinearRetryOptions;
  private readonly now: () => number;

  constructor(options: LinearClientOptions) {
    const auth =
      options.accessToken !== undefined
        ? { accessToken: options.accessToken }
        : { apiKey: options.apiKey ?? "" };
    this.sdk = new LinearClient(
      options.apiUrl === undefined ? auth : { ...auth, apiUrl: options.apiUrl },
    );
    this.retry = options.retry ?? {};
    this.now = options.now ?? Date.now;
  }

  private async request<S extends z.ZodType>(
    operation: string,
    document: string,
    variables: Record<string, unknown>,
    schema: S,
    options: { readonly creates?: boolean } = {},
  ): Promise<z.output<S>> {
    const data = await withLinearRetry(async () => {
      try {
        const response = await this.sdk.client.rawRequest<unknown, Record<string, unknown>>(
          document,
          variables,
        );
        return response.data;
      } catch (error) {
        const failure = toLinearError(error, operation, this.now());
        // A creation whose answer was lost (network, 5xx) may have happened: sent again, it would
        // make a second object. A refused one (rate limit) did not; the next run looks it up first.
        if (
          options.creates === true &&
          failure.retryable &&
          failure.code !== "LINEAR_RATE_LIMITED"
        ) {
          throw new LinearSyncError(
            `${failure.message} Not sent again, since it may have created the object; the next sync finds it by name.`,
            failure.code,
            false,
            null,
            { cause: failure },
          );
        }
        throw failure;
      }
    }, this.retry);
    const parsed = schema.safeParse(data);
    if (!parsed.success) throw malformedResponse(operation, parsed.error.message);
    return parsed.data;
  }

  /**
   * Every team the key can see.
   * @see GraphQL `query CapacityTeams` (`teams`). @throws LinearSyncError
   */
  async listTeams(): Promise<LinearTeam[]> {
    const teams: LinearTeam[] = [];
    let after: string | null = null;
    do {
      const page: z.output<typeof teamsResponse> = await this.request(
        "CapacityTeams",
        TEAMS_QUERY,
        { first: PAGE_SIZE, after },
        teamsResponse,
      );
      teams.push(...page.teams.nodes);
      after = page.teams.pageInfo.hasNextPage ? page.teams.pageInfo.endCursor : null;
    } while (after !== null);
    return teams;
  }

  /**
   * A team's cycles, past, current and upcoming, and its workflow states (id → type), which
   * history entries refer to by id.
   * @see GraphQL `query CapacityCycles` (`team.cycles`, `team.states`). @throws LinearSyncError
   */
  async listCycles(
    teamId: string,
  ): Promise<{ cycles: LinearCycle[]; stateTypes: Map<string, string> }> {
    const cycles: LinearCycle[] = [];
    const stateTypes = new Map<string, string>();
    let after: string | null = null;
    do {
      const page: z.output<typeof cyclesResponse> = await this.request(
        "CapacityCycles",
        CYCLES_QUERY,
        { teamId, first: PAGE_SIZE, after },
        cyclesResponse,
      );
      cycles.push(...page.team.cycles.nodes);
      for (const state of page.team.states.nodes) stateTypes.set(state.id, state.type);
      const info = page.team.cycles.pageInfo;
      after = info.hasNextPage ? info.endCursor : null;
    } while (after !== null);
    return { cycles, stateTypes };
  }

  /**
   * One page of a team's issues, most recently updated first (`orderBy: updatedAt`,
   * linear.app/developers/pagination): up to 250 after the page cursor `after` (the
   * first page when null), archived ones included, with state, cycle, parent, project, assignee
   * and label ids inline and the first `historyFirst` entries of each history; with `since`,
   * only issues updated after it (the incremental cursor). Answers the cursor of the next page,
   * null after the last.
   * @see GraphQL `query CapacityIssues` (`issues`). @throws LinearSyncError
   */
  async listIssuesPage(
    teamId: string,
    options: {
      readonly since: string | null;
      readonly after: string | null;
      readonly historyFirst: number;
      /** Issues per page (default 250): Linear bills a page by it, whatever the page holds. */
      readonly first?: number;
    },
  ): Promise<{ readonly issues: LinearPagedIssue[]; readonly after: string | null }> {
    const filter: Record<string, unknown> = { team: { id: { eq: teamId } } };
    if (options.since !== null) filter.updatedAt = { gt: options.since };
    const page = await this.request(
      "CapacityIssues",
      ISSUES_QUERY,
      {
        filter,
        first: options.first ?? PAGE_SIZE,
        after: options.after,
        historyFirst: options.historyFirst,
      },
      issuesResponse,
    );
    const info = page.issues.pageInfo;
    return { issues: page.issues.nodes, after: info.hasNextPage ? info.endCursor : null };
  }

  /**
   * The Linear id and identifier of every issue the team holds now that is not in the trash,
   * archived ones included: 250 per request, ids only.
   * @see GraphQL `query CapacityIssueIds` (`issues`). @throws LinearSyncError
   */
  async listIssueIds(
    teamId: string,
  ): Promise<{ readonly id: string; readonly identifier: string }[]> {
    const ids: { id: string; identifier: string }[] = [];
    let after: string | null = null;
    do {
      const page: z.output<typeof issueIdsResponse> = await this.request(
        "CapacityIssueIds",
        ISSUE_IDS_QUERY,
        { teamId, first: PAGE_SIZE, after },
        issueIdsResponse,
      );
      for (const node of page.issues.nodes) {
        if (node.trashed !== true) ids.push({ id: node.id, identifier: node.identifier });
      }
      after = page.issues.pageInfo.hasNextPage ? page.issues.pageInfo.endCursor : null;
    } while (after !== null);
    return ids;
  }

  /**
   * Issues by Linear id, archived ones included, with their team: 250 per request. Ids Linear
   * does not answer for (deleted, or in a team the credentials cannot see) are left out.
   * @see GraphQL `query CapacityIssuesById` (`issues`). @throws LinearSyncError
   */
  async listIssuesById(ids: readonly string[]): Promise<LinearContextIssue[]> {
    const issues: LinearContextIssue[] = [];
    for (let start = 0; start < ids.length; start += PAGE_SIZE) {
      const batch = ids.slice(start, start + PAGE_SIZE);
      const page = await this.request(
        "CapacityIssuesById",
        ISSUES_BY_ID_QUERY,
        { ids: batch, first: batch.length },
        issuesByIdResponse,
      );
      issues.push(...page.issues.nodes);
    }
    return issues;
  }

  /**
   * The user the credentials act as: a personal key's owner, or with an OAuth token authorized
   * with `actor=app`, the application's own user, which every write of the sync shows as.
   * @see GraphQL `query CapacityViewer` (`viewer`). @throws LinearSyncError
   */
  async viewer(): Promise<{
    readonly id: string;
    readonly name: string;
    /** The workspace the credentials belong to. */
    readonly organization: { readonly name: string; readonly urlKey: string };
  }> {
    return (await this.request("CapacityViewer", VIEWER_QUERY, {}, viewerResponse)).viewer;
  }

  /**
   * The whole history of up to `HISTORY_BATCH` issues, `HISTORY_PER_ISSUE` entries each in one
   * request; an issue with more is read on, 250 entries per request.
   * @see GraphQL `query CapacityIssueHistory` and `query CapacityIssueHistoryPage`
   * (`issues.history`). @throws LinearSyncError
   */
  async listHistoryBatch(ids: readonly string[]): Promise<Map<string, LinearHistoryEntry[]>> {
    const histories = new Map<string, LinearHistoryEntry[]>();
    const page = await this.request(
      "CapacityIssueHistory",
      ISSUE_HISTORY_QUERY,
      { ids, first: ids.length, historyFirst: HISTORY_PER_ISSUE },
      historyResponse,
    );
    for (const node of page.issues.nodes) {
      const entries = [...node.history.nodes];
      let info = node.history.pageInfo;
      while (info.hasNextPage && info.endCursor !== null) {
        const more = await this.request(
          "CapacityIssueHistoryPage",
          ISSUE_HISTORY_PAGE_QUERY,
          { id: node.id, first: PAGE_SIZE, after: info.endCursor },
          historyResponse,
        );
        const history = more.issues.nodes[0]?.history;
        if (history === undefined) break;
        entries.push(...history.nodes);
        info = history.pageInfo;
      }
      histories.set(node.id, entries);
    }
    return histories;
  }

  /**
   * Labels matching a filter, e.g. `{ name: { eqIgnoreCase: "Capacity" }, isGroup: { eq: true } }`.
   * @see GraphQL `query CapacityLabels` (`issueLabels`). @throws LinearSyncError
   */
  async listLabels(filter: Record<string, unknown>): Promise<LinearLabel[]> {
    const labels: LinearLabel[] = [];
    let after: string | null = null;
    do {
      const page: z.output<typeof labelsResponse> = await this.request(
        "CapacityLabels",
        LABELS_QUERY,
        { filter, first: PAGE_SIZE, after },
        labelsResponse,
      );
      labels.push(...page.issueLabels.nodes);
      const info = page.issueLabels.pageInfo;
      after = info.hasNextPage ? info.endCursor : null;
    } while (after !== null);
    return labels;
  }

  /**
   * Creates a label or label group. Not idempotent by itself: callers look the name up first.
   * @see GraphQL `mutation CapacityLabelCreate` (`issueLabelCreate`). @throws LinearSyncError
   */
  async createLabel(input: LabelInput): Promise<LinearLabel> {
    const result = await this.request(
      "CapacityLabelCreate",
      LABEL_CREATE_MUTATION,
      { input },
      labelCreateResponse,
      { creates: true },
    );
    return result.issueLabelCreate.issueLabel;
  }

  /**
   * Adds and removes labels on one issue and touches no other label: Linear applies
   * `addedLabelIds`/`removedLabelIds` as set operations, so a retried request changes nothing more.
   * @see GraphQL `mutation CapacityIssueLabels` (`issueUpdate`). @throws LinearSyncError
   */
  async updateIssueLabels(
    issueId: string,
    change: { readonly added: readonly string[]; readonly removed: readonly string[] },
  ): Promise<{ readonly id: string; readonly labelIds: readonly string[] }> {
    const result = await this.request(
      "CapacityIssueLabels",
      ISSUE_LABELS_UPDATE_MUTATION,
      { id: issueId, input: { addedLabelIds: change.added, removedLabelIds: change.removed } },
      issueLabelsUpdateResponse,
    );
    const issue = result.issueUpdate.issue;
    if (issue === null) throw malformedResponse("CapacityIssueLabels", "no issue returned");
    return issue;
  }

  /**
   * The same label change on up to 50 issues (by id, not identifier) in one request; no other
   * label is touched, and a repeat changes nothing more.
   * @see GraphQL `mutation CapacityIssueBatchLabels` (`issueBatchUpdate`). @throws LinearSyncError
   */
  async updateIssuesLabels(
    issueIds: readonly string[],
    change: { readonly added: readonly string[]; readonly removed: readonly string[] },
  ): Promise<readonly { readonly id: string; readonly labelIds: readonly string[] }[]> {
    const result = await this.request(
      "CapacityIssueBatchLabels",
      ISSUE_BATCH_LABELS_MUTATION,
      { ids: issueIds, input: { addedLabelIds: change.added, removedLabelIds: change.removed } },
      issueBatchLabelsResponse,
    );
    return result.issueBatchUpdate.issues;
  }

  /**
   * Projects named exactly `name`, with their documents and project updates (the sync's own
   * objects are recognised among them by title and marker).
   * @see GraphQL `query CapacityProjects` (`projects`). @throws LinearSyncError
   */
  async findProjects(name: string): Promise<LinearProject[]> {
    const page = await this.request(
      "CapacityProjects",
      PROJECTS_QUERY,
      { name, first: 10 },
      projectsResponse,
    );
    return page.projects.nodes;
  }

  /**
   * Creates a project for the given teams.
   * @see GraphQL `mutation CapacityProjectCreate` (`projectCreate`). @throws LinearSyncError
   */
  async createProject(input: {
    readonly name: string;
    readonly teamIds: readonly string[];
    readonly description?: string;
  }): Promise<{ readonly id: string; readonly name: string }> {
    const result = await this.request(
      "CapacityProjectCreate",
      PROJECT_CREATE_MUTATION,
      { input },
      projectCreateResponse,
      { creates: true },
    );
    const project = result.projectCreate.project;
    if (project === null) throw malformedResponse("CapacityProjectCreate", "no project returned");
    return project;
  }

  /**
   * Creates a document inside a project.
   * @see GraphQL `mutation CapacityDocumentCreate` (`documentCreate`). @throws LinearSyncError
   */
  async createDocument(input: {
    readonly title: string;
    readonly content: string;
    readonly projectId: string;
  }): Promise<string> {
    const result = await this.request(
      "CapacityDocumentCreate",
      DOCUMENT_CREATE_MUTATION,
      { input },
      documentCreateResponse,
      { creates: true },
    );
    return result.documentCreate.document.id;
  }

  /**
   * Replaces a document's content in place.
   * @see GraphQL `mutation CapacityDocumentUpdate` (`documentUpdate`). @throws LinearSyncError
   */
  async updateDocument(id: string, content: string): Promise<void> {
    await this.request(
      "CapacityDocumentUpdate",
      DOCUMENT_UPDATE_MUTATION,
      { id, input: { content } },
      documentUpdateResponse,
    );
  }

  /**
   * Posts a project update with a health.
   * @see GraphQL `mutation CapacityProjectUpdateCreate` (`projectUpdateCreate`). @throws LinearSyncError
   */
  async createProjectUpdate(input: {
    readonly projectId: string;
    readonly body: string;
    readonly health: "onTrack" | "atRisk" | "offTrack";
  }): Promise<string> {
    const result = await this.request(
      "CapacityProjectUpdateCreate",
      PROJECT_UPDATE_CREATE_MUTATION,
      { input },
      projectUpdateCreateResponse,
      { creates: true },
    );
    return result.projectUpdateCreate.projectUpdate.id;
  }
}
