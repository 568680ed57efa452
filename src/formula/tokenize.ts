import { FormulaError } from './errors.js';

export type Token =
  | { type: 'num'; value: number; text: string; pos: number }
  | { type: 'id'; text: string; pos: number }
  | { type: 'op'; text: string; pos: number }
  | { type: 'end'; text: string; pos: number };

export const MAX_LENGTH = 10_000;
const OPERATORS = ['<=', '>=', '==', '!=', '+', '-', '*', '/', '^', '(', ')', ',', '<', '>'];
const HINTS: Record<string, string> = {
  '.': 'member access is not part of the language',
  '"': 'strings are not part of the language',
  "'": 'strings are not part of the language',
  '`': 'template strings are not part of the language',
  '[': 'indexing is not part of the language',
  ';': 'a formula is one expression',
  '=': 'use == to compare',
  '!': 'use not',
  '&': 'use and',
  '|': 'use or',
  '#': 'comments are not part of the language',
};

/** Splits a formula into tokens; positions are 1-based columns. Anything outside the grammar is refused. */
export function tokenize(text: string): Token[] {
  if (text.length > MAX_LENGTH)
    throw new FormulaError(`formula is ${text.length} characters long; the limit is ${MAX_LENGTH}`, 1, '');
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const pos = i + 1;
    const numMatch = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (numMatch) {
      const value = Number(numMatch[0]);
      if (!Number.isFinite(value))
        throw new FormulaError(`number '${numMatch[0]}' at column ${pos} is not finite`, pos, numMatch[0]);
      out.push({ type: 'num', value, text: numMatch[0], pos });
      i += numMatch[0].length;
      if (/[A-Za-z_]/.test(text[i] ?? ''))
        throw new FormulaError(`unexpected '${text[i]}' right after the number at column ${pos}`, i + 1, text[i]);
      continue;
    }
    const idMatch = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200));
    if (idMatch) {
      if (idMatch[0].length >= 200) throw new FormulaError(`identifier at column ${pos} is too long`, pos, idMatch[0]);
      out.push({ type: 'id', text: idMatch[0], pos });
      i += idMatch[0].length;
      continue;
    }
    if (text.startsWith('//', i) || text.startsWith('/*', i)) {
      throw new FormulaError(
        `'${text.slice(i, i + 2)}' at column ${pos}: comments are not part of the language`,
        pos,
        text.slice(i, i + 2),
      );
    }
    if (text.startsWith('&&', i) || text.startsWith('||', i)) {
      const t = text.slice(i, i + 2);
      throw new FormulaError(`'${t}' at column ${pos}: use ${t === '&&' ? 'and' : 'or'}`, pos, t);
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (op) {
      out.push({ type: 'op', text: op, pos });
      i += op.length;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const shown = /[\x20-\x7e]/.test(ch) ? ch : `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    const hint = HINTS[ch] ? `: ${HINTS[ch]}` : '';
    throw new FormulaError(`unexpected character '${shown}' at column ${pos}${hint}`, pos, ch);
  }
  out.push({ type: 'end', text: 'end of formula', pos: text.length + 1 });
  return out;
}
