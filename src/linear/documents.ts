/**
 * Every GraphQL document Capacity Split sends to Linear. They live here, as constants, so the
 * contract test can validate each one against Linear's published schema (tests/linear).
 */

/**
 * Page size for every connection: Linear's maximum for `first`. Issues carry `labelIds` (a scalar
 * list) rather than a nested labels connection, and names come from one label directory per pull:
 * a nested connection multiplies a page's complexity by its `first` and would push a page of 250
 * issues past Linear's 10,000-point cap for a single query.
 */
export const PAGE_SIZE = 250;

/**
 * History entries per issue in the batched query for the issues whose history did not fit inline
 * with their page: Linear bills a connection by its `first`, not by what it returns. An issue
 * with more still is read on, 250 entries per request.
 */
export const HISTORY_PER_ISSUE = 25;

/**
 * Issues per batched history query: 150 × (25 entries of 10 scalars, 2 points each) keeps a
 * request near 8,000 of Linear's 10,000-point cap (linear.app/developers/rate-limiting).
 */
export const HISTORY_BATCH = 150;

/**
 * History entries read inline with each issue of a page: an issue's fields cost about 7.9 points
 * and its history 2.2 plus 2 per entry asked for, so 250 issues × 14 entries (about 9,530 points)
 * is the most a page holds under Linear's 10,000-point cap. A pull asks for fewer, sized from the
 * histories it has read (`inlineHistoryFirst` in pull-team.ts).
 */
export const MAX_INLINE_HISTORY = 14;

export const TEAMS_QUERY = /* GraphQL */ `
  query CapacityTeams($first: Int!, $after: String) {
    teams(first: $first, after: $after) {
      nodes {
        id
        key
        name
        timezone
        issueEstimationType
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const CYCLES_QUERY = /* GraphQL */ `
  query CapacityCycles($teamId: String!, $first: Int!, $after: String) {
    team(id: $teamId) {
      states(first: 250, includeArchived: true) {
        nodes {
          id
          type
        }
      }
      cycles(first: $first, after: $after, includeArchived: true) {
        nodes {
          id
          number
          name
          startsAt
          endsAt
          completedAt
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/** What the sync reads of an issue's history, inline, in a batch and in its follow-up pages. */
export const HISTORY_SELECTION = /* GraphQL */ `
  nodes {
    id
    createdAt
    fromCycleId
    toCycleId
    fromEstimate
    toEstimate
    fromStateId
    toStateId
    fromAssigneeId
    toAssigneeId
  }
  pageInfo {
    hasNextPage
    endCursor
  }
`;

/** What the sync reads of an issue itself, on a page and as another team's parent. */
export const ISSUE_FIELDS = /* GraphQL */ `
  id
  identifier
  title
  estimate
  createdAt
  completedAt
  canceledAt
  updatedAt
  archivedAt
  trashed
  state {
    id
    type
  }
  cycle {
    id
  }
  parent {
    id
    identifier
  }
  project {
    id
    name
  }
  assignee {
    id
  }
  labelIds
`;

/**
 * A page of a team's issues, archived ones included (Linear auto-archives closed issues after a
 * team's chosen 1–12 months and leaves them out of every connection not asked for them:
 * linear.app/developers/pagination), each with the first `$historyFirst` entries of its history.
 */
export const ISSUES_QUERY = /* GraphQL */ `
  query CapacityIssues($filter: IssueFilter, $first: Int!, $after: String, $historyFirst: Int!) {
    issues(
      filter: $filter
      first: $first
      after: $after
      orderBy: updatedAt
      includeArchived: true
    ) {
      nodes {
        ${ISSUE_FIELDS}
        history(first: $historyFirst) {
          ${HISTORY_SELECTION}
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/**
 * The ids of a team's issues, archived and trashed ones included (trashed ones are archived:
 * `Issue.trashed`), and nothing else: about 1.3 points an issue. What a team holds now, so issues
 * that left it (moved to another team, deleted for good) are dropped from the stored state.
 */
export const ISSUE_IDS_QUERY = /* GraphQL */ `
  query CapacityIssueIds($teamId: ID!, $first: Int!, $after: String) {
    issues(
      filter: { team: { id: { eq: $teamId } } }
      first: $first
      after: $after
      includeArchived: true
    ) {
      nodes {
        id
        identifier
        trashed
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

/** Issues by id, archived or not, with their team: the parents a pulled team's issues name. */
export const ISSUES_BY_ID_QUERY = /* GraphQL */ `
  query CapacityIssuesById($ids: [ID!]!, $first: Int!) {
    issues(filter: { id: { in: $ids } }, first: $first, includeArchived: true) {
      nodes {
        ${ISSUE_FIELDS}
        team {
          id
        }
      }
    }
  }
`;

/** Who the credentials act as: with an `actor=app` token, the application's own user. */
export const VIEWER_QUERY = /* GraphQL */ `
  query CapacityViewer {
    viewer {
      id
      name
      organization {
        name
        urlKey
      }
    }
  }
`;

export const ISSUE_HISTORY_QUERY = /* GraphQL */ `
  query CapacityIssueHistory($ids: [ID!]!, $first: Int!, $historyFirst: Int!) {
    issues(filter: { id: { in: $ids } }, first: $first, includeArchived: true) {
      nodes {
        id
        history(first: $historyFirst) {
          ${HISTORY_SELECTION}
        }
      }
    }
  }
`;

export const ISSUE_HISTORY_PAGE_QUERY = /* GraphQL */ `
  query CapacityIssueHistoryPage($id: ID!, $first: Int!, $after: String) {
    issues(filter: { id: { eq: $id } }, first: 1, includeArchived: true) {
      nodes {
        id
        history(first: $first, after: $after) {
          ${HISTORY_SELECTION}
        }
      }
    }
  }
`;

export const LABELS_QUERY = /* GraphQL */ `
  query CapacityLabels($filter: IssueLabelFilter, $first: Int!, $after: String) {
    issueLabels(filter: $filter, first: $first, after: $after, includeArchived: true) {
      nodes {
        id
        name
        isGroup
        archivedAt
        parent {
          id
          name
        }
        team {
          id
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

export const LABEL_CREATE_MUTATION = /* GraphQL */ `
  mutation CapacityLabelCreate($input: IssueLabelCreateInput!) {
    issueLabelCreate(input: $input) {
      success
      issueLabel {
        id
        name
        isGroup
        parent {
          id
          name
        }
        team {
          id
        }
      }
    }
  }
`;

export const ISSUE_LABELS_UPDATE_MUTATION = /* GraphQL */ `
  mutation CapacityIssueLabels($id: String!, $input: IssueUpdateInput!) {
    issueUpdate(id: $id, input: $input) {
      success
      issue {
        id
        labelIds
      }
    }
  }
`;

/** Issues per `issueBatchUpdate`: Linear's limit ("Can't be more than 50 at a time"). */
export const BATCH_UPDATE_SIZE = 50;

export const ISSUE_BATCH_LABELS_MUTATION = /* GraphQL */ `
  mutation CapacityIssueBatchLabels($ids: [UUID!]!, $input: IssueUpdateInput!) {
    issueBatchUpdate(ids: $ids, input: $input) {
      success
      issues {
        id
        labelIds
      }
    }
  }
`;

/** Every document above, named, for the contract test. */
export const LINEAR_DOCUMENTS: Readonly<Record<string, string>> = {
  TEAMS_QUERY,
  CYCLES_QUERY,
  ISSUES_QUERY,
  ISSUES_BY_ID_QUERY,
  VIEWER_QUERY,
  ISSUE_HISTORY_QUERY,
  ISSUE_HISTORY_PAGE_QUERY,
  LABELS_QUERY,
  LABEL_CREATE_MUTATION,
  ISSUE_LABELS_UPDATE_MUTATION,
  ISSUE_BATCH_LABELS_MUTATION,
};

export const PROJECTS_QUERY = /* GraphQL */ `
  query CapacityProjects($name: String!, $first: Int!) {
    projects(filter: { name: { eq: $name } }, first: $first) {
      nodes {
        id
        name
        documents(first: 50) {
          nodes {
            id
            title
            content
          }
        }
        projectUpdates(first: 250) {
          nodes {
            id
            body
            health
          }
        }
      }
    }
  }
`;

export const PROJECT_CREATE_MUTATION = /* GraphQL */ `
  mutation CapacityProjectCreate($input: ProjectCreateInput!) {
    projectCreate(input: $input) {
      success
      project {
        id
        name
      }
    }
  }
`;

export const DOCUMENT_CREATE_MUTATION = /* GraphQL */ `
  mutation CapacityDocumentCreate($input: DocumentCreateInput!) {
    documentCreate(input: $input) {
      success
      document {
        id
        title
      }
    }
  }
`;

export const DOCUMENT_UPDATE_MUTATION = /* GraphQL */ `
  mutation CapacityDocumentUpdate($id: String!, $input: DocumentUpdateInput!) {
    documentUpdate(id: $id, input: $input) {
      success
      document {
        id
        title
      }
    }
  }
`;

export const PROJECT_UPDATE_CREATE_MUTATION = /* GraphQL */ `
  mutation CapacityProjectUpdateCreate($input: ProjectUpdateCreateInput!) {
    projectUpdateCreate(input: $input) {
      success
      projectUpdate {
        id
        health
      }
    }
  }
`;

/** The publishing documents, for the contract test. */
export const LINEAR_PUBLISH_DOCUMENTS: Readonly<Record<string, string>> = {
  PROJECTS_QUERY,
  PROJECT_CREATE_MUTATION,
  DOCUMENT_CREATE_MUTATION,
  DOCUMENT_UPDATE_MUTATION,
  PROJECT_UPDATE_CREATE_MUTATION,
};
