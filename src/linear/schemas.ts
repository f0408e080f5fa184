import { z } from "zod";

/**
 * zod schemas of the responses to the documents in `documents.ts`, one per operation. Only what
 * the documents select; Linear may add fields, so objects are not strict.
 */

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const time = z.iso.datetime({ offset: true });

export const teamSchema = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  timezone: z.string(),
  issueEstimationType: z.string(),
});
export type LinearTeam = z.infer<typeof teamSchema>;

export const teamsResponse = z.object({
  teams: z.object({ nodes: z.array(teamSchema), pageInfo }),
});

export const cycleSchema = z.object({
  id: z.string(),
  number: z.number(),
  name: z.string().nullable(),
  startsAt: time,
  endsAt: time,
  completedAt: time.nullable(),
});
export type LinearCycle = z.infer<typeof cycleSchema>;

export const cyclesResponse = z.object({
  team: z.object({
    states: z.object({ nodes: z.array(z.object({ id: z.string(), type: z.string() })) }),
    cycles: z.object({ nodes: z.array(cycleSchema), pageInfo }),
  }),
});

export const issueSchema = z.object({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  estimate: z.number().nullable(),
  createdAt: time,
  completedAt: time.nullable(),
  canceledAt: time.nullable(),
  updatedAt: time,
  // Absent in progress saved by an older version: read as neither archived nor trashed.
  archivedAt: time.nullable().default(null),
  /** In the trash bin (`issueDelete`): no longer work of the team. */
  trashed: z.boolean().nullable().default(null),
  state: z.object({ id: z.string(), type: z.string() }),
  cycle: z.object({ id: z.string() }).nullable(),
  parent: z.object({ id: z.string(), identifier: z.string() }).nullable(),
  project: z.object({ id: z.string(), name: z.string() }).nullable(),
  // Absent in progress saved by an older version: read as unassigned.
  assignee: z.object({ id: z.string() }).nullable().default(null),
  labelIds: z.array(z.string()),
});
export type LinearIssue = z.infer<typeof issueSchema>;

export const historyEntrySchema = z.object({
  id: z.string(),
  createdAt: time,
  fromCycleId: z.string().nullable(),
  toCycleId: z.string().nullable(),
  fromEstimate: z.number().nullable(),
  toEstimate: z.number().nullable(),
  fromStateId: z.string().nullable(),
  toStateId: z.string().nullable(),
  fromAssigneeId: z.string().nullable().default(null),
  toAssigneeId: z.string().nullable().default(null),
});
export type LinearHistoryEntry = z.infer<typeof historyEntrySchema>;

const historyPage = z.object({ nodes: z.array(historyEntrySchema), pageInfo });

/** An issue of a page, with the first entries of its history. */
export const pagedIssueSchema = issueSchema.extend({ history: historyPage });
export type LinearPagedIssue = z.infer<typeof pagedIssueSchema>;

export const issuesResponse = z.object({
  issues: z.object({ nodes: z.array(pagedIssueSchema), pageInfo }),
});

export const issueIdsResponse = z.object({
  issues: z.object({
    nodes: z.array(
      z.object({ id: z.string(), identifier: z.string(), trashed: z.boolean().nullable() }),
    ),
    pageInfo,
  }),
});

/** Another team's issue read as a parent, with the team it belongs to. */
export const contextIssueSchema = issueSchema.extend({ team: z.object({ id: z.string() }) });
export type LinearContextIssue = z.infer<typeof contextIssueSchema>;

export const issuesByIdResponse = z.object({
  issues: z.object({ nodes: z.array(contextIssueSchema) }),
});

export const viewerResponse = z.object({
  viewer: z.object({
    id: z.string(),
    name: z.string(),
    organization: z.object({ name: z.string(), urlKey: z.string() }),
  }),
});

export const historyResponse = z.object({
  issues: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        history: historyPage,
      }),
    ),
  }),
});

export const labelSchema = z.object({
  id: z.string(),
  name: z.string(),
  isGroup: z.boolean(),
  parent: z.object({ id: z.string(), name: z.string() }).nullable(),
  team: z.object({ id: z.string() }).nullable(),
  archivedAt: time.nullable().default(null),
});
export type LinearLabel = z.infer<typeof labelSchema>;

export const labelsResponse = z.object({
  issueLabels: z.object({ nodes: z.array(labelSchema), pageInfo }),
});

export const labelCreateResponse = z.object({
  issueLabelCreate: z.object({ success: z.boolean(), issueLabel: labelSchema }),
});

export const issueLabelsUpdateResponse = z.object({
  issueUpdate: z.object({
    success: z.boolean(),
    issue: z.object({ id: z.string(), labelIds: z.array(z.string()) }).nullable(),
  }),
});

export const issueBatchLabelsResponse = z.object({
  issueBatchUpdate: z.object({
    success: z.boolean(),
    issues: z.array(z.object({ id: z.string(), labelIds: z.array(z.string()) })),
  }),
});

export const projectsResponse = z.object({
  projects: z.object({
    nodes: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        documents: z.object({
          nodes: z.array(
            z.object({ id: z.string(), title: z.string(), content: z.string().nullable() }),
          ),
        }),
        projectUpdates: z.object({
          nodes: z.array(z.object({ id: z.string(), body: z.string(), health: z.string() })),
        }),
      }),
    ),
  }),
});
export type LinearProject = z.infer<typeof projectsResponse>["projects"]["nodes"][number];

export const projectCreateResponse = z.object({
  projectCreate: z.object({
    success: z.boolean(),
    project: z.object({ id: z.string(), name: z.string() }).nullable(),
  }),
});

const documentPayload = z.object({
  success: z.boolean(),
  document: z.object({ id: z.string(), title: z.string() }),
});
export const documentCreateResponse = z.object({ documentCreate: documentPayload });
export const documentUpdateResponse = z.object({ documentUpdate: documentPayload });

export const projectUpdateCreateResponse = z.object({
  projectUpdateCreate: z.object({
    success: z.boolean(),
    projectUpdate: z.object({ id: z.string(), health: z.string() }),
  }),
});
