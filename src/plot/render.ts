import type { TopLevelSpec } from 'vega-lite';
import { vegaTextWidth } from './text-metrics.js';

/** PNGs are drawn at twice the SVG's size, for print-quality figures. */
export const PNG_SCALE = 2;

/**
 * Renders a Vega-Lite spec headlessly: SVG from Vega's own renderer, PNG by resvg from that SVG. Vega,
 * Vega-Lite and resvg are loaded here, on first use: together they cost about a second at start-up, which
 * every other command would pay.
 */
export async function renderSpec(
  spec: TopLevelSpec,
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
  const svg = await view.toSVG();
  view.finalize();
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: PNG_SCALE },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
  });
  const image = resvg.render();
  return { svg, png: image.asPng(), width: image.width, height: image.height };
}
