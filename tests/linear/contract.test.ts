import { readFileSync } from "node:fs";
import {
  buildSchema,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  parse,
  validate,
  type GraphQLNamedType,
} from "graphql";
import { describe, expect, it } from "vitest";
import { LINEAR_DOCUMENTS, LINEAR_PUBLISH_DOCUMENTS } from "../../src/linear/documents";
import { fakeLinearSchema } from "../fakes/linear/index";
import { locateSharedFile } from "../helpers/shared-contract";

// Linear's published schema for @linear/sdk 88.3.0, read from beside the repository, never copied.
const published = locateSharedFile(
  "linear/schema.graphql",
  "the checks against Linear's published schema",
);
const linear = published.path === null ? null : buildSchema(readFileSync(published.path, "utf8"));
const ours = fakeLinearSchema();

interface FieldShape {
  readonly type: string;
  readonly args: ReadonlyMap<string, string>;
}

/** Fields of an object, interface or input type as `name → { type, args }`; none for the rest. */
function fieldsOf(type: GraphQLNamedType): Map<string, FieldShape> | undefined {
  const shapes = new Map<string, FieldShape>();
  if (isObjectType(type) || isInterfaceType(type)) {
    for (const field of Object.values(type.getFields())) {
      const args = new Map(field.args.map((arg) => [arg.name, String(arg.type)]));
      shapes.set(field.name, { type: String(field.type), args });
    }
    return shapes;
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      shapes.set(field.name, { type: String(field.type), args: new Map() });
    }
    return shapes;
  }
  return undefined;
}

describe.skipIf(linear === null)("the fake's SDL is a faithful subset of Linear's schema", () => {
  const types = Object.values(ours.getTypeMap()).filter((type) => !type.name.startsWith("__"));

  it.each(types.map((type) => [type.name, type] as const))("type %s", (name, type) => {
    const theirs = linear?.getType(name);
    expect(theirs, `Linear has no type ${name}`).toBeDefined();
    if (theirs === undefined) return;
    expect(theirs.constructor.name).toBe(type.constructor.name);
    const ourFields = fieldsOf(type);
    const theirFields = fieldsOf(theirs);
    if (ourFields === undefined || theirFields === undefined) return;
    const problems: string[] = [];
    for (const [fieldName, field] of ourFields) {
      const their = theirFields.get(fieldName);
      if (their === undefined) {
        problems.push(`${name}.${fieldName} does not exist`);
        continue;
      }
      if (their.type !== field.type)
        problems.push(`${name}.${fieldName}: ${field.type} ≠ ${their.type}`);
      for (const [argName, argType] of field.args) {
        const theirArg = their.args.get(argName);
        if (theirArg === undefined)
          problems.push(`${name}.${fieldName}(${argName}) does not exist`);
        else if (theirArg !== argType) {
          problems.push(`${name}.${fieldName}(${argName}): ${argType} ≠ ${theirArg}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});

const documents = Object.entries({ ...LINEAR_DOCUMENTS, ...LINEAR_PUBLISH_DOCUMENTS });

describe.skipIf(linear === null)(
  "every document the client sends validates against Linear's schema",
  () => {
    it.each(documents)("%s", (_name, source) => {
      if (linear === null) return;
      expect(validate(linear, parse(source)).map((error) => error.message)).toEqual([]);
    });
  },
);

describe("every document the client sends validates against the fake's schema", () => {
  it.each(documents)("%s", (_name, source) => {
    expect(validate(ours, parse(source)).map((error) => error.message)).toEqual([]);
  });
});
