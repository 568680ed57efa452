/** A formula the parser refuses: one line naming the offending token and its 1-based column. */
export class FormulaError extends Error {
  constructor(
    message: string,
    readonly position: number,
    readonly token: string,
  ) {
    super(message);
  }
}
