import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML, { LineCounter } from 'yaml';
import { ScenarioError } from './errors.js';
import { checkFloat32 } from './float32.js';
import { describeValue, issueError } from './issues.js';
import { OVERRIDABLE_TOP, scenarioSchema, type ScenarioFile } from './schema.js';

export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
const MAX_BYTES = 1024 * 1024;

export interface LoadedFile {
  /** The path as the user will recognise it in messages. */
  file: string;
  raw: ScenarioFile;
}

/** Shipped scenarios: name, one-line description, file. */
export function listScenarios(): { name: string; description: string; file: string }[] {
  if (!fs.existsSync(SCENARIO_DIR)) return [];
  return fs
    .readdirSync(SCENARIO_DIR)
    .filter((f) => /\.(ya?ml|json)$/.test(f))
    .sort()
    .map((f) => {
      const file = path.join(SCENARIO_DIR, f);
      const { raw } = readScenarioFile(file);
      return { name: raw.name, description: raw.description, file };
    });
}

/** A shipped scenario's name, or a path to a .yaml/.yml/.json file. */
export function resolveScenarioPath(nameOrPath: string): string {
  if (/\.(ya?ml|json)$/i.test(nameOrPath) || nameOrPath.includes('/') || nameOrPath.includes(path.sep)) {
    if (!fs.existsSync(nameOrPath)) throw new ScenarioError(nameOrPath, '', 'no such file');
    if (fs.statSync(nameOrPath).isDirectory())
      throw new ScenarioError(nameOrPath, '', 'a directory, not a scenario: pass a .yaml, .yml or .json file');
    return nameOrPath;
  }
  for (const ext of ['.yaml', '.yml', '.json']) {
    const file = path.join(SCENARIO_DIR, nameOrPath + ext);
    if (fs.existsSync(file)) return file;
  }
  const known = fs.existsSync(SCENARIO_DIR) ? listScenarios().map((s) => s.name) : [];
  if (fs.existsSync(nameOrPath))
    throw new ScenarioError(
      nameOrPath,
      '',
      fs.statSync(nameOrPath).isDirectory()
        ? `a directory, not a scenario: pass a .yaml, .yml or .json file or a shipped scenario's name (${known.join(', ')})`
        : `not a scenario file name: scenario files end in .yaml, .yml or .json (or pass ./${nameOrPath})`,
    );
  throw new ScenarioError(
    nameOrPath,
    '',
    `no shipped scenario of that name and no such file (shipped: ${known.join(', ')})`,
  );
}

/** Scenario files are shallow; a deeper document is refused before anything recurses into it. */
const MAX_NESTING = 32;

function checkNesting(text: string, file: string): void {
  let depth = 0;
  let inString: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === inString) inString = null;
    } else if (c === '"') inString = c;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_NESTING)
        throw new ScenarioError(
          file,
          '',
          `nesting deeper than ${MAX_NESTING} levels; scenario files are shallow mappings`,
        );
    } else if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
  }
}

export function parseScenarioText(text: string, file: string): unknown {
  checkNesting(text, file);
  if (file.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(text);
    } catch (e) {
      // JSON.parse names no line; the YAML parser (JSON is YAML) places most faults at a line and column
      const lineCounter = new LineCounter();
      const doc = YAML.parseDocument(text, { lineCounter, prettyErrors: false });
      const at = doc.errors[0] ? lineCounter.linePos(doc.errors[0].pos[0]) : null;
      const where = at ? ` at line ${at.line}, column ${at.col}` : '';
      throw new ScenarioError(file, '', `malformed JSON${where}: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const lineCounter = new LineCounter();
  const doc = YAML.parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    throw yamlError(file, lineCounter.linePos(e.pos[0]), e.message);
  }
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // unresolved aliases, alias bombs past maxAliasCount, and similar document-level faults: placed at the
    // first alias that does not resolve, or else at the first alias
    let at: number | undefined;
    YAML.visit(doc, {
      Alias(_, node) {
        if (at === undefined || !node.resolve(doc)) at = node.range?.[0];
        if (!node.resolve(doc)) return YAML.visit.BREAK;
      },
    });
    throw yamlError(file, at === undefined ? undefined : lineCounter.linePos(at), (e as Error).message);
  }
}

/** `FILE: malformed YAML at line L, column C: reason`, the reason short and lower-case, said once. */
function yamlError(file: string, pos: { line: number; col: number } | undefined, message: string): ScenarioError {
  const reason = message
    .split('\n')[0]
    .replace(/ at line \d+, column \d+:?\s*$/, '')
    .replace(/:\s*$/, '')
    .replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
  const where = pos ? ` at line ${pos.line}, column ${pos.col}` : '';
  return new ScenarioError(file, '', `malformed YAML${where}: ${reason}`);
}

/** Keys that name an object's prototype machinery: JavaScript objects drop or misread them, so they are refused. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

function checkKeys(value: unknown, file: string, at: string): void {
  if (value === null || typeof value !== 'object') return;
  for (const key of Object.keys(value)) {
    const field = at ? `${at}.${key}` : key;
    if (RESERVED_KEYS.has(key)) throw new ScenarioError(file, field, `'${key}' is reserved; use another name`);
    checkKeys((value as Record<string, unknown>)[key], file, field);
  }
}

export function validateScenario(raw: unknown, file: string): ScenarioFile {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ScenarioError(
      file,
      '',
      `found ${describeValue(raw)}, expected a mapping of scenario keys (name, potential, ...)`,
    );
  }
  checkKeys(raw, file, '');
  const result = scenarioSchema.safeParse(raw);
  if (!result.success) throw issueError(file, scenarioSchema, raw, result.error.issues[0]);
  checkFloat32(file, result.data);
  return result.data;
}

export function readScenarioFile(file: string): LoadedFile {
  let text: string;
  try {
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new ScenarioError(file, '', 'not a regular file');
    if (stat.size > MAX_BYTES)
      throw new ScenarioError(file, '', `file is ${stat.size} bytes; scenario files are limited to ${MAX_BYTES}`);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof ScenarioError) throw e;
    throw new ScenarioError(file, '', `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return { file, raw: validateScenario(parseScenarioText(text, file), file) };
}

/** A plain decimal: no hexadecimal, binary or Infinity spellings. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Parses `name=value` overrides (repeatable --set). */
export function parseOverrides(pairs: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of pairs) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(pair.trim());
    if (m && RESERVED_KEYS.has(m[1]))
      throw new ScenarioError('--set', pair, `'${m[1]}' is reserved; no scenario uses it`);
    if (!m) throw new ScenarioError('--set', pair, 'expected name=number, e.g. --set temperature=0.2');
    if (!DECIMAL.test(m[2].trim()))
      throw new ScenarioError('--set', pair, `'${m[2]}' is not a decimal number (e.g. 0.2, 3, 1e-4)`);
    const value = Number(m[2]);
    if (!Number.isFinite(value))
      throw new ScenarioError('--set', pair, `${m[2]} is beyond the range of numbers (about 1.8e308)`);
    out[m[1]] = value;
  }
  return out;
}

/**
 * Applies overrides to the top-level numbers and to parameters (the family's defaults count as parameters),
 * then validates again so an override gets the same checks as the file. `source` names where the values came
 * from in messages (`--set`, or a scan's `--grid k=v`; none: the file's own).
 */
export function applyOverrides(
  loaded: LoadedFile,
  overrides: Record<string, number>,
  knownParameters: string[],
  source?: string,
): ScenarioFile {
  const next: Record<string, unknown> = { ...loaded.raw, parameters: { ...loaded.raw.parameters } };
  for (const [k, v] of Object.entries(overrides)) {
    if ((OVERRIDABLE_TOP as readonly string[]).includes(k)) next[k] = v;
    else if (knownParameters.includes(k)) (next.parameters as Record<string, number>)[k] = v;
    else {
      const known = [...OVERRIDABLE_TOP, ...knownParameters].join(', ');
      throw new ScenarioError(loaded.file, `--set ${k}`, `unknown name '${k}' (known: ${known})`);
    }
  }
  return validateScenario(next, source ? `${loaded.file} (with ${source})` : loaded.file);
}
