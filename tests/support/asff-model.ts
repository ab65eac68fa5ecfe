import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as securityHub from '@aws-sdk/client-securityhub';
import ts from 'typescript';

/**
 * Checks findings against the model of Security Hub that @aws-sdk/client-securityhub ships, not a
 * list written by hand:
 *
 * - the runtime schema the SDK serializes with (`BatchImportFindingsRequest$`, `AwsSecurityFinding$`
 *   and everything they reach): which members exist, which are required, and each one's kind
 *   (string, number, boolean, list, map, structure), recursively; a member the model does not
 *   know is a problem too (the SDK would drop it silently);
 * - the constraints the model documents on each member in the package's type declarations
 *   (dist-types/models/*.d.ts, read with the TypeScript compiler): "Length Constraints", "Array
 *   Members", ProductFields' key and value limits, "Maximum of 100 findings per request", enum
 *   members (checked against the enum objects the package exports), and the timestamp members
 *   (those whose documentation points at "timestamp fields"), which must be in one of the formats
 *   of the API reference's Timestamps section.
 *
 * Only the pattern of NonEmptyString (`.*\S.*`, from the API reference: the declarations do not carry
 * patterns) is written here.
 */

type SchemaRef = number | (() => StaticSchema) | StaticSchema;
type StaticSchema = [number, string, string, unknown, ...unknown[]];

const LIST = 0b0100_0000;
const MAP = 0b1000_0000;
const SIMPLE = { string: 0, numeric: 1, boolean: 2, document: 15 } as const;

/** The API reference's Timestamps section: seconds, up to 9 fraction digits, Z or an offset (±HH:MM / ±HHMM). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;
/** NonEmptyString. */
const NON_EMPTY = /\S/;

interface MemberRules {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly maxEntries?: number;
  readonly maxKeyLength?: number;
  readonly maxValueLength?: number;
  readonly timestamp?: boolean;
  readonly enumName?: string;
}

let declarations: Map<string, Map<string, MemberRules>> | undefined;

/** Every interface of the package's models, by name: its members' documented rules. */
function modelDeclarations(): Map<string, Map<string, MemberRules>> {
  if (declarations) return declarations;
  const dir = path.join(
    path.dirname(require.resolve('@aws-sdk/client-securityhub/package.json')),
    'dist-types',
    'models',
  );
  const enums = new Set(Object.keys(securityHub).filter((name) => isEnumObject(name)));
  declarations = new Map();
  for (const file of readdirSync(dir).filter((f) => /^models_\d+\.d\.ts$/.test(f))) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (!ts.isInterfaceDeclaration(statement)) continue;
      const members = new Map<string, MemberRules>();
      for (const member of statement.members) {
        if (!ts.isPropertySignature(member) || !member.name || !ts.isIdentifier(member.name)) continue;
        const doc = (ts.getLeadingCommentRanges(text, member.getFullStart()) ?? [])
          .map((range) => text.slice(range.pos, range.end))
          .join('\n');
        members.set(member.name.text, rulesOf(doc, member.type, enums));
      }
      declarations.set(statement.name.text, members);
    }
  }
  return declarations;
}

function isEnumObject(name: string): boolean {
  const value = (securityHub as Record<string, unknown>)[name];
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).length > 0 &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

function rulesOf(doc: string, type: ts.TypeNode | undefined, enums: ReadonlySet<string>): MemberRules {
  const number = (match: RegExpExecArray | null, group = 1) =>
    match?.[group] === undefined ? undefined : Number(match[group]);
  const length =
    /Length Constraints: Minimum length of (\d+)\. Maximum length of (\d+)/.exec(doc) ??
    /Length Constraints: Minimum of (\d+) length\. Maximum of (\d+) length/.exec(doc);
  const exact = /Length Constraints: (\d+)\./.exec(doc);
  const items =
    /Array Members: Minimum number of (\d+) items?\. Maximum number of (\d+) items/.exec(doc) ??
    /Array Members: ()Maximum number of (\d+) items/.exec(doc);
  const perRequest = /Maximum of (\d+) findings per request/.exec(doc);
  const map =
    /up to (\d+) key-value pairs\. For each key-value pair, the key can contain up to (\d+) characters, and the value can contain up to (\d+) characters/.exec(
      doc,
    );
  const enumName = typeReferences(type).find((name) => enums.has(name));
  return {
    minLength: number(length) ?? number(exact),
    maxLength: number(length, 2) ?? number(exact),
    minItems: items?.[1] ? Number(items[1]) : undefined,
    maxItems: number(items, 2) ?? number(perRequest),
    maxEntries: number(map),
    maxKeyLength: number(map, 2),
    maxValueLength: number(map, 3),
    timestamp: /timestamp fields/.test(doc),
    ...(enumName ? { enumName } : {}),
  };
}

function typeReferences(type: ts.TypeNode | undefined): string[] {
  if (!type) return [];
  if (ts.isTypeReferenceNode(type) && ts.isIdentifier(type.typeName)) return [type.typeName.text];
  if (ts.isUnionTypeNode(type)) return type.types.flatMap(typeReferences);
  return [];
}

function resolve(ref: SchemaRef): number | StaticSchema {
  return typeof ref === 'function' ? ref() : ref;
}

/** Every way `request` (a BatchImportFindings request) breaks the model; empty when it is valid. */
export function batchImportProblems(request: { Findings: readonly unknown[] }): string[] {
  const problems: string[] = [];
  check(request, securityHub.BatchImportFindingsRequest$ as SchemaRef, 'request', problems, {});
  return problems;
}

/** Every way `finding` breaks the model of AwsSecurityFinding; empty when it is valid. */
export function asffProblems(finding: unknown): string[] {
  const problems: string[] = [];
  check(finding, securityHub.AwsSecurityFinding$ as SchemaRef, 'finding', problems, {});
  return problems;
}

/** The names of the members the model requires of AwsSecurityFinding. */
export function requiredFindingMembers(): string[] {
  const schema = resolve(securityHub.AwsSecurityFinding$ as SchemaRef) as StaticSchema;
  const names = schema[4] as string[];
  return names.slice(0, (schema[6] as number | undefined) ?? 0);
}

function check(value: unknown, ref: SchemaRef, at: string, problems: string[], rules: MemberRules): void {
  const schema = resolve(ref);
  if (typeof schema === 'number') {
    checkSimple(value, schema, at, problems, rules);
    return;
  }
  const [kind] = schema;
  if (kind === 1) {
    checkList(value, schema[4] as SchemaRef, at, problems, rules);
  } else if (kind === 2) {
    checkMap(value, schema[5] as SchemaRef, at, problems, rules);
  } else if (kind === 3) {
    checkStructure(value, schema, at, problems);
  } else {
    problems.push(`${at}: schema kind ${kind} (${schema[2]}) is not expected in a finding`);
  }
}

function checkSimple(
  value: unknown,
  sentinel: number,
  at: string,
  problems: string[],
  rules: MemberRules,
): void {
  if (sentinel & LIST) {
    checkList(value, sentinel & ~LIST, at, problems, rules);
    return;
  }
  if (sentinel & MAP) {
    checkMap(value, sentinel & ~MAP, at, problems, rules);
    return;
  }
  if (sentinel === SIMPLE.document) return;
  if (sentinel === SIMPLE.numeric) {
    if (typeof value !== 'number') problems.push(`${at}: expected a number, got ${JSON.stringify(value)}`);
    return;
  }
  if (sentinel === SIMPLE.boolean) {
    if (typeof value !== 'boolean') problems.push(`${at}: expected a boolean, got ${JSON.stringify(value)}`);
    return;
  }
  if (sentinel !== SIMPLE.string) {
    problems.push(`${at}: schema ${sentinel} is not expected in a finding`);
    return;
  }
  if (typeof value !== 'string') {
    problems.push(`${at}: expected a string, got ${JSON.stringify(value)}`);
    return;
  }
  if (!NON_EMPTY.test(value)) problems.push(`${at}: empty or blank string`);
  if (rules.minLength !== undefined && value.length < rules.minLength) {
    problems.push(`${at}: ${value.length} characters, the model's minimum is ${rules.minLength}`);
  }
  if (rules.maxLength !== undefined && value.length > rules.maxLength) {
    problems.push(`${at}: ${value.length} characters, the model's maximum is ${rules.maxLength}`);
  }
  if (rules.timestamp && !TIMESTAMP.test(value))
    problems.push(`${at}: ${JSON.stringify(value)} is not a timestamp`);
  if (rules.enumName) {
    const allowed = Object.values((securityHub as Record<string, object>)[rules.enumName] ?? {}) as string[];
    if (!allowed.includes(value)) {
      problems.push(
        `${at}: ${JSON.stringify(value)} is not one of ${rules.enumName} (${allowed.join(', ')})`,
      );
    }
  }
}

function checkList(
  value: unknown,
  member: SchemaRef,
  at: string,
  problems: string[],
  rules: MemberRules,
): void {
  if (!Array.isArray(value)) {
    problems.push(`${at}: expected a list`);
    return;
  }
  if (rules.minItems !== undefined && value.length < rules.minItems) {
    problems.push(`${at}: ${value.length} items, the model's minimum is ${rules.minItems}`);
  }
  if (rules.maxItems !== undefined && value.length > rules.maxItems) {
    problems.push(`${at}: ${value.length} items, the model's maximum is ${rules.maxItems}`);
  }
  value.forEach((item, i) => check(item, member, `${at}[${i}]`, problems, {}));
}

function checkMap(
  value: unknown,
  member: SchemaRef,
  at: string,
  problems: string[],
  rules: MemberRules,
): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${at}: expected a map`);
    return;
  }
  const entries = Object.entries(value);
  if (rules.maxEntries !== undefined && entries.length > rules.maxEntries) {
    problems.push(`${at}: ${entries.length} entries, the model's maximum is ${rules.maxEntries}`);
  }
  for (const [key, item] of entries) {
    if (rules.maxKeyLength !== undefined && key.length > rules.maxKeyLength) {
      problems.push(`${at}: key ${JSON.stringify(key)} is longer than ${rules.maxKeyLength}`);
    }
    check(item, member, `${at}.${key}`, problems, { maxLength: rules.maxValueLength });
  }
}

function checkStructure(value: unknown, schema: StaticSchema, at: string, problems: string[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${at}: expected a structure (${schema[2]})`);
    return;
  }
  const names = schema[4] as string[];
  const members = schema[5] as SchemaRef[];
  const required = (schema[6] as number | undefined) ?? 0;
  const rules = modelDeclarations().get(schema[2]) ?? new Map<string, MemberRules>();
  const record = value as Record<string, unknown>;
  names.slice(0, required).forEach((name) => {
    if (record[name] === undefined) problems.push(`${at}.${name}: required by the model, missing`);
  });
  for (const [name, item] of Object.entries(record)) {
    const index = names.indexOf(name);
    if (index < 0) {
      problems.push(`${at}.${name}: not a member of ${schema[2]}`);
      continue;
    }
    if (item === undefined) continue;
    check(item, members[index] as SchemaRef, `${at}.${name}`, problems, rules.get(name) ?? {});
  }
}
