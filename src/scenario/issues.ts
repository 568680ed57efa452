import { z } from 'zod';
import { ScenarioError } from './errors.js';

/**
 * Zod issues in grokscape's words: the field, what was found, what is expected (type and range read from
 * the schema itself, so every field gets the same treatment) and, for a range, the fix. The schema is read
 * as the JSON Schema zod writes for it: a stable, documented form of its types, ranges and required keys.
 */

interface Node {
  type?: string;
  description?: string;
  properties?: Record<string, Node>;
  required?: string[];
  additionalProperties?: Node | boolean;
  propertyNames?: Node;
  items?: Node | boolean;
  prefixItems?: Node[];
  anyOf?: Node[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
}

const jsonSchemas = new WeakMap<z.ZodType, Node>();

function jsonSchemaOf(schema: z.ZodType): Node {
  let node = jsonSchemas.get(schema);
  if (!node) {
    node = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Node;
    jsonSchemas.set(schema, node);
  }
  return node;
}

const isObject = (v: unknown): v is Node => v !== null && typeof v === 'object';

/** The schema of one step below `node` (an object's key, a record's value, a list's entry). */
function childOf(node: Node, key: PropertyKey): Node | undefined {
  if (node.anyOf) {
    for (const option of node.anyOf) {
      const c = childOf(option, key);
      if (c) return c;
    }
    return undefined;
  }
  if (typeof key === 'number') {
    if (node.prefixItems) return node.prefixItems[key];
    return isObject(node.items) ? node.items : undefined;
  }
  if (typeof key !== 'string') return undefined;
  if (node.properties && Object.hasOwn(node.properties, key)) return node.properties[key];
  return isObject(node.additionalProperties) ? node.additionalProperties : undefined;
}

function schemaAt(root: Node, path: PropertyKey[]): Node | undefined {
  let node: Node | undefined = root;
  for (const k of path) {
    node = node && childOf(node, k);
    if (!node) return undefined;
  }
  return node;
}

const isPowerOfTwo = (v: number) => v >= 2 ** 20 && Number.isInteger(Math.log2(v));
const num = (v: number) => (isPowerOfTwo(v) ? `2^${Math.log2(v)}` : String(v));

interface Range {
  integer: boolean;
  lo?: { v: number; inclusive: boolean };
  hi?: { v: number; inclusive: boolean };
}

/** A number's range; an integer's inclusive maximum 2^k - 1 is written as the exclusive 2^k. */
function rangeOf(node: Node): Range {
  const integer = node.type === 'integer';
  const r: Range = { integer };
  if (node.exclusiveMinimum !== undefined) r.lo = { v: node.exclusiveMinimum, inclusive: false };
  else if (node.minimum !== undefined && node.minimum > Number.MIN_SAFE_INTEGER)
    r.lo = { v: node.minimum, inclusive: true };
  if (node.exclusiveMaximum !== undefined) r.hi = { v: node.exclusiveMaximum, inclusive: false };
  else if (node.maximum !== undefined && node.maximum < Number.MAX_SAFE_INTEGER)
    r.hi =
      integer && isPowerOfTwo(node.maximum + 1)
        ? { v: node.maximum + 1, inclusive: false }
        : { v: node.maximum, inclusive: true };
  return r;
}

function describeNumber(node: Node): string {
  const { integer, lo, hi } = rangeOf(node);
  const noun = integer ? 'an integer' : 'a number';
  if (lo && hi) return `${noun} in ${lo.inclusive ? '[' : '('}${num(lo.v)}, ${num(hi.v)}${hi.inclusive ? ']' : ')'}`;
  if (lo) return `${noun} ${lo.inclusive ? '>=' : '>'} ${num(lo.v)}`;
  if (hi) return `${noun} ${hi.inclusive ? '<=' : '<'} ${num(hi.v)}`;
  return noun;
}

/** What a schema node accepts, in plain words ("an integer >= 1", "a mapping with keys from, to"). */
export function describeNode(node: Node): string {
  if (node.description) return node.description;
  if (node.enum) return `one of ${node.enum.map(String).join(', ')}`;
  if (node.anyOf) return node.anyOf.map(describeNode).join(' or ');
  switch (node.type) {
    case 'integer':
    case 'number':
      return describeNumber(node);
    case 'boolean':
      return 'true or false';
    case 'string': {
      const parts: string[] = [];
      if (node.maxLength !== undefined) parts.push(`of at most ${node.maxLength} characters`);
      if (node.pattern) parts.push(`matching ${node.pattern}`);
      return `${(node.minLength ?? 0) > 0 ? 'non-empty text' : 'text'}${parts.length ? ` ${parts.join(', ')}` : ''}`;
    }
    case 'array': {
      if (node.prefixItems) {
        const kinds = new Set(node.prefixItems.map((i) => i.type));
        const what = kinds.size === 1 && kinds.has('number') ? 'numbers' : 'values';
        return `a list of ${node.prefixItems.length} ${what}`;
      }
      const each = isObject(node.items) ? `, each ${describeNode(node.items)}` : '';
      return `a ${(node.minItems ?? 0) > 0 ? 'non-empty ' : ''}list${each}`;
    }
    case 'object':
      if (node.properties) return `a mapping with keys ${Object.keys(node.properties).join(', ')}`;
      if (isObject(node.additionalProperties))
        return `a mapping of names, each to ${describeNode(node.additionalProperties)}`;
      return 'a mapping';
    default:
      return 'a value';
  }
}

/** A value as the user wrote it, short. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s === undefined ? typeof v : s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

const has = (obj: unknown, k: PropertyKey): boolean => obj !== null && typeof obj === 'object' && Object.hasOwn(obj, k);

function valueAt(obj: unknown, p: PropertyKey[]): unknown {
  let cur: unknown = obj;
  for (const k of p) {
    if (!has(cur, k)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

const fieldPath = (p: PropertyKey[]): string => p.map(String).join('.');
const stripArticle = (s: string) => s.replace(/^(a|an) /, '');

/** The fix for a number outside its range: the bound it crossed. */
function rangeFix(field: string, node: Node, code: 'too_small' | 'too_big'): string {
  const { lo, hi } = rangeOf(node);
  if (code === 'too_small' && lo)
    return lo.inclusive ? `set ${field} to at least ${num(lo.v)}` : `set ${field} to a number > ${num(lo.v)}`;
  if (code === 'too_big' && hi)
    return hi.inclusive ? `set ${field} to at most ${num(hi.v)}` : `set ${field} below ${num(hi.v)}`;
  return `change ${field}`;
}

/** One zod issue as a ScenarioError naming the file and the field. */
export function issueError(file: string, schema: z.ZodType, raw: unknown, issue: z.core.$ZodIssue): ScenarioError {
  const root = jsonSchemaOf(schema);
  const path = issue.path;
  const field = fieldPath(path);
  const value = valueAt(raw, path);
  const node = schemaAt(root, path);
  const expected = node ? describeNode(node) : issue.message.replace(/^Invalid input: /, '');
  const parentPath = path.slice(0, -1);
  const missing = path.length > 0 && !has(valueAt(raw, parentPath), path[path.length - 1]);

  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = node?.properties ? Object.keys(node.properties) : [];
      return new ScenarioError(
        file,
        path.length ? field : issue.keys[0],
        `unknown key '${issue.keys[0]}'${allowed.length ? ` (allowed: ${allowed.join(', ')})` : ''}`,
      );
    }
    case 'invalid_union': {
      // the option whose type matched the value explains best what is wrong inside it
      const inner = issue.errors.find((errs) => !errs.every((e) => e.code === 'invalid_type' && e.path.length === 0));
      if (inner?.[0])
        return issueError(file, schema, raw, { ...inner[0], path: [...path, ...inner[0].path] } as z.core.$ZodIssue);
      break;
    }
    case 'invalid_key': {
      const keyNode = path.length > 0 ? schemaAt(root, parentPath)?.propertyNames : undefined;
      const key = String(path[path.length - 1]);
      return new ScenarioError(
        file,
        fieldPath(parentPath),
        `found key '${key}', expected ${keyNode ? describeNode(keyNode) : 'another key'} (rename '${key}')`,
      );
    }
    case 'custom':
      // the schema's own cross-field rules: their message says what to do
      if (path.length === 0) return new ScenarioError(file, '', issue.message);
      if (missing) return new ScenarioError(file, field, `missing; ${issue.message}`);
      return new ScenarioError(file, field, `found ${describeValue(value)}, expected ${issue.message}`);
    case 'too_small':
    case 'too_big':
      // 'int': beyond the safe integers (zod's own bound, reported first); the schema's range gives the fix
      if ((issue.origin === 'number' || issue.origin === 'int') && node)
        return new ScenarioError(
          file,
          field,
          `found ${describeValue(value)}, expected ${expected} (${rangeFix(field, node, issue.code)})`,
        );
      break;
    case 'invalid_type':
      if (missing) {
        const key = String(path[path.length - 1]);
        const under = parentPath.length ? ` under ${fieldPath(parentPath)}` : '';
        return new ScenarioError(file, field, `missing; add ${key}: <${stripArticle(expected)}>${under}`);
      }
      if (issue.expected === 'int' && typeof value === 'number')
        return new ScenarioError(
          file,
          field,
          `found ${describeValue(value)}, expected ${expected} (set ${field} to a whole number)`,
        );
      break;
  }
  if (path.length === 0) return new ScenarioError(file, '', `found ${describeValue(value)}, expected ${expected}`);
  return new ScenarioError(file, field, `found ${describeValue(value)}, expected ${expected}`);
}
