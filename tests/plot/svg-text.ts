import { XMLParser } from 'fast-xml-parser';

/**
 * Text boxes of an SVG written by Vega's SVG renderer, found from the SVG alone: each <text> element's
 * anchor is its ancestors' transforms composed with its own (Vega writes `translate(x,y)` on nested groups
 * and `translate(x,y) rotate(a)` on rotated text), and its extent is estimated from the font size and the
 * number of characters, independently of how Vega measured it: about 0.6 em per character in DejaVu Sans
 * (0.65 em in bold), 0.8 em above the baseline and 0.25 em below it.
 */

/** An affine map [a, b, c, d, e, f]: (x, y) -> (a x + c y + e, b x + d y + f), as in SVG's matrix(). */
type Affine = [number, number, number, number, number, number];

const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

const compose = (m: Affine, n: Affine): Affine => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

const apply = (m: Affine, x: number, y: number): [number, number] => [
  m[0] * x + m[2] * y + m[4],
  m[1] * x + m[3] * y + m[5],
];

/** Parses an SVG transform list (translate, rotate, scale, matrix). */
export function parseTransform(t: string | undefined): Affine {
  let m: Affine = IDENTITY;
  if (!t) return m;
  for (const [, fn, argText] of t.matchAll(/(\w+)\s*\(([^)]*)\)/g)) {
    const a = argText
      .trim()
      .split(/[\s,]+/)
      .filter((s) => s !== '')
      .map(Number);
    let n: Affine;
    if (fn === 'translate') n = [1, 0, 0, 1, a[0] ?? 0, a[1] ?? 0];
    else if (fn === 'scale') n = [a[0], 0, 0, a[1] ?? a[0], 0, 0];
    else if (fn === 'matrix') n = a as Affine;
    else if (fn === 'rotate') {
      const r = ((a[0] ?? 0) * Math.PI) / 180;
      const [cx, cy] = [a[1] ?? 0, a[2] ?? 0];
      n = compose(compose([1, 0, 0, 1, cx, cy], [Math.cos(r), Math.sin(r), -Math.sin(r), Math.cos(r), 0, 0]), [
        1,
        0,
        0,
        1,
        -cx,
        -cy,
      ]);
    } else throw new Error(`svg-text: transform ${fn}() is not handled`);
    m = compose(m, n);
  }
  return m;
}

export interface TextBox {
  text: string;
  /** Absolute bounds on the canvas. */
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  fontSize: number;
  bold: boolean;
  /** Vega's role of the nearest marked ancestor, e.g. legend-label, axis-title, title-text, mark. */
  role: string;
}

type Node = Record<string, unknown> & { ':@'?: Record<string, string> };

const tagOf = (n: Node) => Object.keys(n).find((k) => k !== ':@')!;

function textOf(children: Node[]): string {
  return children
    .map((c) => {
      const tag = tagOf(c);
      if (tag === '#text') return String(c['#text']);
      return textOf(c[tag] as Node[]);
    })
    .join('');
}

interface Inherited {
  m: Affine;
  fontSize: number;
  bold: boolean;
  anchor: string;
  role: string;
}

/** The canvas size (the root <svg>'s width and height) and the box of every text line in it. */
export function textBoxes(svg: string): { width: number; height: number; boxes: TextBox[] } {
  const parser = new XMLParser({
    preserveOrder: true,
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    trimValues: false,
  });
  const doc = parser.parse(svg) as Node[];
  const root = doc.find((n) => tagOf(n) === 'svg');
  if (!root) throw new Error('svg-text: no <svg> element');
  const width = Number(root[':@']?.width);
  const height = Number(root[':@']?.height);
  const boxes: TextBox[] = [];

  const style = (attrs: Record<string, string>, up: Inherited): Inherited => ({
    m: compose(up.m, parseTransform(attrs.transform)),
    fontSize: attrs['font-size'] ? Number.parseFloat(attrs['font-size']) : up.fontSize,
    bold: attrs['font-weight'] ? /bold|[6-9]00/.test(attrs['font-weight']) : up.bold,
    anchor: attrs['text-anchor'] ?? up.anchor,
    role: /\brole-([\w-]+)/.exec(attrs.class ?? '')?.[1] ?? up.role,
  });

  const lineBox = (line: string, s: Inherited, x0: number, y0: number) => {
    const em = s.fontSize;
    const w = [...line].length * em * (s.bold ? 0.65 : 0.6);
    const left = s.anchor === 'middle' ? x0 - w / 2 : s.anchor === 'end' ? x0 - w : x0;
    const corners = [
      apply(s.m, left, y0 - 0.8 * em),
      apply(s.m, left + w, y0 - 0.8 * em),
      apply(s.m, left, y0 + 0.25 * em),
      apply(s.m, left + w, y0 + 0.25 * em),
    ];
    boxes.push({
      text: line,
      x1: Math.min(...corners.map((c) => c[0])),
      x2: Math.max(...corners.map((c) => c[0])),
      y1: Math.min(...corners.map((c) => c[1])),
      y2: Math.max(...corners.map((c) => c[1])),
      fontSize: em,
      bold: s.bold,
      role: s.role,
    });
  };

  const visit = (nodes: Node[], up: Inherited) => {
    for (const n of nodes) {
      const tag = tagOf(n);
      if (tag === '#text') continue;
      const attrs = n[':@'] ?? {};
      const s = style(attrs, up);
      const children = n[tag] as Node[];
      if (tag !== 'text') {
        visit(children, s);
        continue;
      }
      const x = Number(attrs.x ?? 0) + Number(attrs.dx ?? 0);
      let y = Number(attrs.y ?? 0) + Number(attrs.dy ?? 0);
      const spans = children.filter((c) => tagOf(c) === 'tspan');
      if (spans.length === 0) {
        const t = textOf(children);
        if (t.trim() !== '') lineBox(t, s, x, y);
        continue;
      }
      // multi-line text: Vega writes one <tspan> a line, later ones with x="0" dy="line height"
      let sx = x;
      for (const sp of spans) {
        const a = sp[':@'] ?? {};
        if (a.x !== undefined) sx = Number(a.x);
        y += Number(a.dy ?? 0);
        const t = textOf(sp.tspan as Node[]);
        if (t.trim() !== '') lineBox(t, style(a, s), sx, y);
      }
    }
  };
  visit(root.svg as Node[], { m: IDENTITY, fontSize: 16, bold: false, anchor: 'start', role: '' });
  return { width, height, boxes };
}

/**
 * What a reader would find cut off: text whose box leaves the canvas, and text Vega shortened with an
 * ellipsis because it did not fit its limit. An empty list when nothing is.
 */
export function cutOffText(svg: string): string[] {
  const { width, height, boxes } = textBoxes(svg);
  const problems: string[] = [];
  for (const b of boxes) {
    if (b.x1 < 0 || b.y1 < 0 || b.x2 > width || b.y2 > height) {
      const r = (v: number) => Math.round(v);
      problems.push(
        `"${b.text}" at [${r(b.x1)}, ${r(b.x2)}] x [${r(b.y1)}, ${r(b.y2)}] leaves the ${width} x ${height} canvas`,
      );
    }
    if (b.text.trimEnd().endsWith('…')) problems.push(`"${b.text}" is truncated`);
  }
  return problems;
}

/** The legend labels of an SVG, in the order they are drawn (one string a line of a label). */
export const legendLabels = (svg: string): string[] =>
  textBoxes(svg)
    .boxes.filter((b) => b.role === 'legend-label')
    .map((b) => b.text);
