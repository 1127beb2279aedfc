/** Domain errors; the HTTP layer maps each to a problem document, the CLI to one line. */
export class NotFoundError extends Error {
  override name = 'NotFoundError';
}

export class ConflictError extends Error {
  override name = 'ConflictError';
}

export interface FieldProblem {
  /** Dotted path of the failing field, e.g. `items.3.url`. */
  field: string;
  message: string;
}

export class ValidationError extends Error {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly problems: FieldProblem[] = [],
  ) {
    super(message);
  }
}
