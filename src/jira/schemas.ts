import { z } from "zod";

/**
 * The Jira payloads the client reads, each parsed before anything uses it. Shapes follow Atlassian's
 * REST references (platform v3: https://developer.atlassian.com/cloud/jira/platform/rest/v3/,
 * Agile 1.0: https://developer.atlassian.com/cloud/jira/software/rest/). Objects strip what is not
 * listed (Jira adds fields over time); what is listed must be there with the documented type.
 * Issues and changelogs are normalised on the way in, so the rest of the code, the pull cursor
 * included, sees one plain JSON shape.
 */

/**
 * Jira's timestamps: `2025-06-01T19:08:00.000+0000` in the platform API (an offset without a
 * colon, which ISO 8601's extended format and `z.iso.datetime` do not accept), `…Z` or `…+10:00`
 * in the Agile API. Normalised to UTC ISO with milliseconds.
 */
export function parseJiraTime(text: string): number {
  const colonized = text.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(colonized)) {
    return Number.NaN;
  }
  return Date.parse(colonized);
}

const jiraTime = z
  .string()
  .refine((text) => !Number.isNaN(parseJiraTime(text)), {
    error: (issue) => `expected a Jira timestamp, got ${JSON.stringify(issue.input)}`,
  })
  .transform((text) => new Date(parseJiraTime(text)).toISOString());

const idString = z.union([z.string(), z.number()]).transform(String);

// ---------------------------------------------------------------------------------------------
// Fields, statuses, boards, filters, sprints

/** `GET /rest/api/3/field` */
export const fieldsSchema = z.array(
  z.object({
    id: z.string(),
    name: z.string(),
    custom: z.boolean().optional(),
    schema: z
      .object({
        type: z.string(),
        custom: z.string().optional(),
        customId: z.number().optional(),
        items: z.string().optional(),
        system: z.string().optional(),
      })
      .optional(),
  }),
);
export type JiraField = z.infer<typeof fieldsSchema>[number];

const statusCategorySchema = z.object({
  id: z.number().optional(),
  /** `new`, `indeterminate`, `done`, or `undefined` ("No category"). */
  key: z.string(),
  name: z.string().optional(),
});

/** `GET /rest/api/3/status` */
export const statusesSchema = z.array(
  z.object({ id: idString, name: z.string(), statusCategory: statusCategorySchema }),
);
export type JiraStatus = z.infer<typeof statusesSchema>[number];

/** `GET /rest/agile/1.0/board/{boardId}` */
export const boardSchema = z.object({
  id: z.number(),
  name: z.string(),
  type: z.string(),
  location: z
    .object({
      projectKey: z.string().optional(),
      projectId: z.number().optional(),
      projectName: z.string().optional(),
      displayName: z.string().optional(),
    })
    .optional(),
});
export type JiraBoard = z.infer<typeof boardSchema>;

/** The Agile API's offset pages: `values` from `startAt`, `isLast` on the last one. */
export function offsetPageSchema<T extends z.ZodType>(value: T) {
  return z.object({
    startAt: z.number(),
    maxResults: z.number(),
    isLast: z.boolean(),
    values: z.array(value),
  });
}

/** `GET /rest/agile/1.0/board?projectKeyOrId=…` */
export const boardPageSchema = offsetPageSchema(boardSchema);

/** `GET /rest/agile/1.0/board/{boardId}/configuration` */
export const boardConfigurationSchema = z.object({
  id: z.number(),
  name: z.string(),
  filter: z.object({ id: idString }),
  /** Scrum boards only. `type` is `none`, `issueCount` or `field` (then `field` names it). */
  estimation: z
    .object({
      type: z.string(),
      field: z.object({ fieldId: z.string(), displayName: z.string().optional() }).optional(),
    })
    .optional(),
  /** Kanban boards only: a JQL restriction on top of the filter. */
  subQuery: z.object({ query: z.string().optional() }).optional(),
});
export type JiraBoardConfiguration = z.infer<typeof boardConfigurationSchema>;

/** `GET /rest/api/3/filter/{id}` */
export const filterSchema = z.object({ id: idString, name: z.string(), jql: z.string() });
export type JiraFilter = z.infer<typeof filterSchema>;

export const sprintSchema = z.object({
  id: z.number(),
  name: z.string(),
  state: z.string(),
  startDate: jiraTime.optional(),
  endDate: jiraTime.optional(),
  completeDate: jiraTime.optional(),
  createdDate: jiraTime.optional(),
  originBoardId: z.number().optional(),
});
export type JiraSprint = z.infer<typeof sprintSchema>;

/** `GET /rest/agile/1.0/board/{boardId}/sprint`: offset-paged with `isLast`. */
export const sprintPageSchema = offsetPageSchema(sprintSchema);

/** `POST /rest/api/3/search/approximate-count` */
export const approximateCountSchema = z.object({ count: z.number() });

/** `GET /rest/api/3/mypermissions` */
export const myPermissionsSchema = z.object({
  permissions: z.record(z.string(), z.object({ havePermission: z.boolean() })),
});

/**
 * `BulkPermissionGrants`, the answer of `POST /rest/api/3/permissions/check` (REST v3 spec,
 * operation getBulkPermissions): per project permission, the ids of the projects and issues the
 * user holds it for.
 */
export const bulkPermissionGrantsSchema = z.object({
  globalPermissions: z.array(z.string()).optional(),
  projectPermissions: z
    .array(
      z.object({
        permission: z.string(),
        issues: z.array(z.number().int()).optional(),
        projects: z.array(z.number().int()).optional(),
      }),
    )
    .default([]),
});

/**
 * `Project`, the answer of `GET /rest/api/3/project/{projectIdOrKey}` (REST v3 spec, operation
 * getProject): the fields the app reads; `id` is a string of digits.
 */
export const projectSchema = z.object({
  id: z.string().regex(/^\d{1,18}$/),
  key: z.string().min(1),
  name: z.string(),
});
export type JiraProject = z.infer<typeof projectSchema>;

// ---------------------------------------------------------------------------------------------
// Issues

/** The sprint field's value on an issue: every sprint it is or was in, any board's. */
const sprintRefSchema = z.object({
  id: z.number(),
  name: z.string(),
  state: z.string(),
  boardId: z.number().optional(),
});

/** An issue as the client keeps it (and as the pull cursor stores it). */
export const jiraIssueSchema = z.strictObject({
  id: z.string(),
  key: z.string(),
  summary: z.string(),
  issueType: z.string(),
  labels: z.array(z.string()),
  components: z.array(z.string()),
  projectKey: z.string(),
  parentKey: z.string().nullable(),
  statusId: z.string(),
  statusName: z.string(),
  statusCategory: z.string(),
  resolution: z.string().nullable(),
  created: z.iso.datetime(),
  resolutionDate: z.iso.datetime().nullable(),
  sprints: z.array(sprintRefSchema),
  estimate: z.number().nullable(),
  /** The assignee's accountId; absent in cursors written before assignees were read. */
  assignee: z.string().nullable().default(null),
  /** Issue properties asked for by key (`properties=` on a single-issue read). */
  properties: z.record(z.string(), z.unknown()),
});
export type JiraIssue = z.infer<typeof jiraIssueSchema>;

/** Which custom fields an issue payload carries the sprint and the estimate in. */
export interface IssueFieldIds {
  readonly sprintFieldId: string | null;
  readonly estimateFieldId: string | null;
}

/**
 * The raw issue of `POST /rest/api/3/search/jql` and `GET /rest/api/3/issue/{key}`, normalised.
 * The sprint and estimate fields are custom fields whose ids differ per site, so the schema is
 * built for the ids the board's configuration named.
 */
export function rawIssueSchema(ids: IssueFieldIds) {
  const named = z.object({ name: z.string() });
  const fields = z
    .object({
      summary: z.string(),
      issuetype: named,
      labels: z.array(z.string()).nullish(),
      components: z.array(named).nullish(),
      project: z.object({ key: z.string() }),
      parent: z.object({ key: z.string() }).nullish(),
      status: z.object({ id: idString, name: z.string(), statusCategory: statusCategorySchema }),
      resolution: named.nullish(),
      created: jiraTime,
      resolutiondate: jiraTime.nullish(),
      // A user (`accountId`, `displayName`, …) or null when unassigned.
      assignee: z.object({ accountId: z.string().min(1) }).nullish(),
    })
    .loose();
  const sprintValue = z.array(sprintRefSchema).nullish();
  const estimateValue = z.number().nullish();
  return z
    .object({
      id: idString,
      key: z.string(),
      fields,
      properties: z.record(z.string(), z.unknown()).optional(),
    })
    .transform((raw, ctx): JiraIssue => {
      function readCustom<T>(fieldId: string | null, schema: z.ZodType<T>, what: string): T | null {
        if (fieldId === null) return null;
        const parsed = schema.safeParse(raw.fields[fieldId]);
        if (parsed.success) return parsed.data;
        ctx.issues.push({
          code: "custom",
          message: `${what} field ${fieldId} of ${raw.key}: ${parsed.error.issues[0]?.message ?? "invalid"}`,
          input: raw.fields[fieldId],
          path: ["fields", fieldId],
        });
        return null;
      }
      const sprints = readCustom(ids.sprintFieldId, sprintValue, "sprint");
      const estimate = readCustom(ids.estimateFieldId, estimateValue, "estimate");
      const f = raw.fields;
      return {
        id: raw.id,
        key: raw.key,
        summary: f.summary,
        issueType: f.issuetype.name,
        labels: f.labels ?? [],
        components: (f.components ?? []).map((component) => component.name),
        projectKey: f.project.key,
        parentKey: f.parent?.key ?? null,
        statusId: f.status.id,
        statusName: f.status.name,
        statusCategory: f.status.statusCategory.key,
        resolution: f.resolution?.name ?? null,
        created: f.created,
        resolutionDate: f.resolutiondate ?? null,
        sprints: sprints ?? [],
        estimate: estimate ?? null,
        assignee: f.assignee?.accountId ?? null,
        properties: raw.properties ?? {},
      };
    });
}

/**
 * `POST /rest/api/3/search/jql`: token-paged, the token null or absent on the last page. The issues
 * are parsed on their own (`rawIssueSchema`), so the next page can be asked for first.
 */
export const searchEnvelopeSchema = z.object({
  issues: z.array(z.unknown()),
  nextPageToken: z.string().nullish(),
  isLast: z.boolean().optional(),
});

// ---------------------------------------------------------------------------------------------
// Changelogs

/** One change of one field, normalised (`fromString`/`toString` renamed: `toString` is a method). */
export const changeItemSchema = z.strictObject({
  fieldId: z.string(),
  from: z.string().nullable(),
  fromText: z.string().nullable(),
  to: z.string().nullable(),
  toText: z.string().nullable(),
});
export type ChangeItem = z.infer<typeof changeItemSchema>;

export const changeHistorySchema = z.strictObject({
  id: z.string(),
  created: z.iso.datetime(),
  items: z.array(changeItemSchema),
});
export type ChangeHistory = z.infer<typeof changeHistorySchema>;

/**
 * A changelog's time: `POST /rest/api/3/changelog/bulkfetch` sends epoch milliseconds (its example:
 * `"created":1492070429`, the instant the per-issue changelog's example writes as
 * `"1970-01-18T06:27:50.429+0000"`), although its schema says `date-time`; the per-issue changelog
 * sends the string. Both are accepted.
 */
const changelogTime = z.union([
  z
    .number()
    .int()
    .nonnegative()
    .transform((ms) => new Date(ms).toISOString()),
  jiraTime,
]);

/**
 * The field ids of changelog items that lack `fieldId` (the spec's `ChangeDetails` lists it as
 * optional, and older entries have none), by the field's name as `field` carries it. Keys are
 * lower-case. A system field's name is its id (`status`, `resolution`), so unknown names stay.
 */
export type FieldIdsByName = ReadonlyMap<string, string>;

function rawHistorySchema(names: FieldIdsByName) {
  return z
    .object({
      id: idString,
      created: changelogTime,
      items: z.array(
        z.object({
          field: z.string(),
          fieldId: z.string().optional(),
          from: z.string().nullish(),
          fromString: z.string().nullish(),
          to: z.string().nullish(),
          toString: z.string().nullish(),
        }),
      ),
    })
    .transform((raw): ChangeHistory => ({
      id: raw.id,
      created: raw.created,
      items: raw.items.map((item) => ({
        fieldId: item.fieldId ?? names.get(item.field.toLowerCase()) ?? item.field,
        from: item.from ?? null,
        fromText: item.fromString ?? null,
        to: item.to ?? null,
        toText: item.toString ?? null,
      })),
    }));
}

/**
 * `POST /rest/api/3/changelog/bulkfetch`: histories of up to 1000 issues, oldest first, token-paged;
 * one issue's histories may continue on the next page.
 */
export function changelogPageSchemaFor(names: FieldIdsByName) {
  return z.object({
    issueChangeLogs: z.array(
      z.object({ issueId: idString, changeHistories: z.array(rawHistorySchema(names)) }),
    ),
    nextPageToken: z.string().nullish(),
  });
}

/** {@link changelogPageSchemaFor} without names: items without `fieldId` keep their `field`. */
export const changelogPageSchema = changelogPageSchemaFor(new Map());

// ---------------------------------------------------------------------------------------------
// Writes

export const CATEGORY_PROPERTY_KEY = "capacity-split";

/**
 * The value of the `capacity-split` issue property: the computed category and why, indexed by the
 * app's `jira:entityProperty` module so JQL can filter on `capacityCategory`.
 */
export const categoryPropertySchema = z.strictObject({
  category: z.enum(["roadmap", "investment", "unclassified"]),
  source: z.enum(["explicit", "conflict", "inherited", "rule", "none"]),
  via: z.string().nullable(),
  updatedAt: z.iso.datetime(),
});
export type CategoryProperty = z.infer<typeof categoryPropertySchema>;

/** `GET /rest/api/3/issue/{key}/properties/{propertyKey}` */
export const issuePropertySchema = z.object({ key: z.string(), value: z.unknown() });

/** `GET /rest/api/3/issue/{key}?fields=labels`, for the label swap. */
export const issueLabelsSchema = z.object({
  key: z.string(),
  fields: z.object({ labels: z.array(z.string()).nullish() }),
});
