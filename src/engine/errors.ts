/** The engine refuses a size that would not fit in memory (a one-line user error, not a crash). */
export class CapacityError extends Error {}
