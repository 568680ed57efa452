import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/landscape/resolve.js';
import { ScenarioError } from '../../src/scenario/errors.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grokscape-fuzz-'));
const BASE = YAML.parse(
  fs.readFileSync(new URL('../../scenarios/asymmetric-well.yaml', import.meta.url), 'utf8'),
) as Record<string, unknown>;

/** Every input is accepted or refused with a ScenarioError of one line; nothing else escapes. True if accepted. */
function check(text: string, ext: 'yaml' | 'json'): boolean {
  const file = path.join(dir, `s.${ext}`);
  fs.writeFileSync(file, text);
  try {
    resolveScenario(file);
    return true;
  } catch (e) {
    if (!(e instanceof ScenarioError))
      throw new Error(`not a ScenarioError for ${JSON.stringify(text).slice(0, 200)}: ${e}`);
    expect(e.message).not.toContain('\n');
    expect(e.message.startsWith(file)).toBe(true);
    return false;
  }
}

/** The input is refused with a one-line ScenarioError matching `pattern`. */
function refused(text: string, ext: 'yaml' | 'json', pattern: RegExp): void {
  const file = path.join(dir, `r.${ext}`);
  fs.writeFileSync(file, text);
  let err: unknown;
  try {
    resolveScenario(file);
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ScenarioError);
  expect((err as Error).message).not.toContain('\n');
  expect((err as Error).message).toMatch(pattern);
}

const anyValue = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(1e308, -1e308, 2 ** 53, -0, 0, Number.MAX_SAFE_INTEGER),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.integer(), { maxKeys: 3 }),
  fc.constantFrom('constructor', '__proto__', 'process.exit(1)', '`${1}`', 'x // c', 'this', 'require("fs")'),
);

describe('property: the scenario loader accepts or refuses with one line, never crashes', () => {
  it('mutated scenarios (one key replaced, removed or added)', () => {
    // Both outcomes must occur: a loader refusing everything (or the base scenario broken) would pass the
    // property unseen, and so would one accepting everything.
    let accepted = 0;
    let refusedCount = 0;
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(BASE), 'extra', '__proto__', 'constructor'),
        anyValue,
        fc.boolean(),
        (key, value, remove) => {
          const obj: Record<string, unknown> = JSON.parse(JSON.stringify(BASE));
          if (remove) delete obj[key];
          else Object.defineProperty(obj, key, { value, enumerable: true, configurable: true, writable: true });
          for (const ok of [check(JSON.stringify(obj), 'json'), check(YAML.stringify(obj), 'yaml')]) {
            if (ok) accepted++;
            else refusedCount++;
          }
        },
      ),
      { numRuns: 300, seed: 42 },
    );
    expect(accepted).toBeGreaterThan(0);
    expect(refusedCount).toBeGreaterThan(0);
  });

  it('random text as YAML and JSON, including unicode and very long inputs', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ minLength: 5000, maxLength: 20000 }),
        ),
        (text) => {
          check(text, 'yaml');
          check(text, 'json');
        },
      ),
      { numRuns: 200, seed: 7 },
    );
  });

  // Asserted refused (check() would also pass an input the loader accepted): catches the depth limit or the
  // YAML alias limit being dropped, which would let a file nest or expand without bound.
  it('deep nesting and alias bombs are refused, not followed', () => {
    refused(`${'['.repeat(5000)}${']'.repeat(5000)}`, 'json', /nesting deeper than 32 levels/);
    refused(`${'- '.repeat(3000)}x`, 'yaml', /malformed YAML|nesting deeper/);
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x]',
      ...Array.from(
        { length: 9 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    refused(bomb, 'yaml', /alias/);
  });

  it('formula strings that try to reach JavaScript are refused', () => {
    for (const f of [
      'constructor',
      '__proto__',
      'process',
      'this.x',
      '`${process}`',
      'x /* c */',
      'globalThis',
      'Function("x")',
      'x[0]',
      "'a'",
    ]) {
      const obj = { ...BASE, potential: f };
      const file = path.join(dir, 'f.json');
      fs.writeFileSync(file, JSON.stringify(obj));
      expect(() => resolveScenario(file)).toThrow(ScenarioError);
    }
  });
});
