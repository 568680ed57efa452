import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** PNGs are drawn at twice the SVG's size, for print-quality figures. */
export const PNG_SCALE = 2;

/** Renders a Vega-Lite spec headlessly: SVG from Vega's own renderer, PNG by resvg from that SVG. */
export async function renderSpec(
  spec: TopLevelSpec,
): Promise<{ svg: string; png: Buffer; width: number; height: number }> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  return { svg, png: image.asPng(), width: image.width, height: image.height };
}
