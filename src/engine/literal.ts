/** A float literal GPU.js types as a float (never as an integer): always has a '.' or an exponent. */
export function floatLiteral(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`kernel constant must be finite, got ${v}`);
  const s = String(v);
  const body = /[.eE]/.test(s) ? s : `${s}.0`;
  return v < 0 ? `(${body})` : body;
}
