import zlib from 'node:zlib';
import type { TopLevelSpec } from 'vega-lite';
import { vegaTextWidth } from './text-metrics.js';

/** PNGs are drawn at twice the SVG's size, for print-quality figures. */
export const PNG_SCALE = 2;

/** A PNG with one more tEXt chunk (keyword `grokscape`) before IEND: text in Latin-1, here ASCII JSON. */
function withPngText(png: Buffer, text: string): Buffer {
  const body = Buffer.from(`grokscape\0${text}`, 'latin1');
  const type = Buffer.from('tEXt', 'latin1');
  const chunk = Buffer.alloc(12 + body.length);
  chunk.writeUInt32BE(body.length, 0);
  type.copy(chunk, 4);
  body.copy(chunk, 8);
  chunk.writeUInt32BE(zlib.crc32(Buffer.concat([type, body])), 8 + body.length);
  const iend = png.length - 12;
  return Buffer.concat([png.subarray(0, iend), chunk, png.subarray(iend)]);
}

/** JSON in plain ASCII, so that it fits a PNG tEXt chunk and needs no encoding in SVG beyond XML's escapes. */
const asciiJson = (o: object) =>
  JSON.stringify(o).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

const xmlEscape = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Renders a Vega-Lite spec headlessly: SVG from Vega's own renderer, PNG by resvg from that SVG; with
 * `provenance`, both carry it as JSON (SVG: `<metadata id="grokscape">`, PNG: a `grokscape` tEXt chunk). Vega,
 * Vega-Lite and resvg are loaded here, on first use: together they cost about a second at start-up, which
 * every other command would pay.
 */
export async function renderSpec(
  spec: TopLevelSpec,
  provenance?: object,
): Promise<{ svg: string; png: Buffer; width: number; height: number }> {
  const [{ Resvg }, vega, { compile }] = await Promise.all([
    import('@resvg/resvg-js'),
    import('vega'),
    import('vega-lite'),
  ]);
  // Vega lays out (and shortens to its limits) text by this width: DejaVu Sans's own, not 0.8 em a character
  // (vega-scenegraph's textMetrics, re-exported by vega at run time but not in its type declarations)
  (vega as unknown as { textMetrics: { width: typeof vegaTextWidth } }).textMetrics.width = vegaTextWidth;
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  let svg = await view.toSVG();
  view.finalize();
  // what the figure was drawn from, readable by tools (an SVG <metadata>, a PNG tEXt chunk), not drawn
  const meta = provenance ? asciiJson(provenance) : null;
  if (meta) svg = svg.replace(/<svg[^>]*>/, (open) => `${open}<metadata id="grokscape">${xmlEscape(meta)}</metadata>`);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  const png = meta ? withPngText(image.asPng(), meta) : image.asPng();
  return { svg, png, width: image.width, height: image.height };
}
