/**
 * Text widths in DejaVu Sans, the figures' font, for Vega's layout. Without a canvas package Vega estimates
 * every character at 0.8 em, which is a quarter too wide for DejaVu Sans: legends were shortened with "…"
 * long before they ran out of room, and titles padded the canvas with empty margins. These are the fonts' own
 * advance widths (thousandths of an em, from DejaVuSans.ttf and DejaVuSans-Bold.ttf, printable ASCII and the
 * symbols the figures use); another character counts as 0.6 em (0.7 em in bold).
 */

const REGULAR_ASCII = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636, 636, 636, 636, 636,
  636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632, 575, 775, 752, 295, 295, 656, 557, 863,
  748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635,
  615, 352, 635, 634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636,
  337, 636, 838,
];
const REGULAR_OTHER: Record<string, number> = {
  Δ: 684,
  τ: 602,
  Σ: 632,
  '‡': 500,
  '·': 318,
  '±': 838,
  '−': 838,
  '…': 1000,
  '≈': 838,
  '×': 838,
  '–': 500,
  '—': 1000,
  '²': 401,
  '³': 401,
  '⁻': 528,
  '½': 969,
  μ: 636,
  σ: 634,
  '°': 500,
  ν: 559,
  '≤': 838,
  '≥': 838,
};
const BOLD_ASCII = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696, 696, 696, 696, 696,
  696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683, 683, 821, 837, 372, 372, 775, 637, 995,
  837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716,
  678, 435, 716, 712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712,
  365, 712, 838,
];
const BOLD_OTHER: Record<string, number> = {
  Δ: 774,
  τ: 638,
  Σ: 683,
  '‡': 500,
  '·': 380,
  '±': 838,
  '−': 838,
  '…': 1000,
  '≈': 838,
  '×': 838,
  '–': 500,
  '—': 1000,
  '²': 438,
  '³': 438,
  '⁻': 528,
  '½': 1035,
  μ: 736,
  σ: 779,
  '°': 500,
  ν: 681,
  '≤': 838,
  '≥': 838,
};

/** A small margin over the advance widths: kerning-free sums, and resvg may substitute a font. */
const MARGIN = 1.03;

/**
 * Width in pixels of `text` at `fontSize` px in DejaVu Sans (bold when `bold`), and never less than the
 * rule of thumb of 0.6 em a character (0.65 em in bold): room for text mostly of narrow letters, and a
 * figure whose text fits by that rule too (tests/plot/svg-text.ts checks the SVG by it).
 */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const ascii = bold ? BOLD_ASCII : REGULAR_ASCII;
  const other = bold ? BOLD_OTHER : REGULAR_OTHER;
  let units = 0;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    units += c >= 32 && c < 127 ? ascii[c - 32] : (other[ch] ?? (bold ? 700 : 600));
  }
  const chars = [...text].length;
  return Math.max((units / 1000) * fontSize * MARGIN, chars * fontSize * (bold ? 0.65 : 0.6));
}

/** The text item fields Vega's textMetrics.width receives. */
interface VegaTextItem {
  fontSize?: number | string;
  fontWeight?: number | string;
}

/** Vega's width function (its `textMetrics.width` slot), measuring DejaVu Sans instead of 0.8 em a character. */
export function vegaTextWidth(item: VegaTextItem, text: unknown): number {
  const size = item.fontSize == null ? 11 : Number(item.fontSize) || 0;
  const w = item.fontWeight;
  const bold = w === 'bold' || w === 'bolder' || (typeof w === 'number' && w >= 600) || /^[6-9]00$/.test(String(w));
  return textWidth(text == null ? '' : String(text).trim(), size, bold);
}
