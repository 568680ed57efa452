/** Bad input to an analysis function: one line saying what is wrong and what is expected. */
export class AnalysisError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AnalysisError';
  }
}
