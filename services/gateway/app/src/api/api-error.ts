/** An answer of the API that is not 2xx, with the message the service gave and its field errors. */
export class ApiError extends Error {
  /** Validation messages by field (`errors[]` of a 400), to show at the field. */
  readonly fieldErrors: Readonly<Record<string, string[]>>;

  constructor(
    readonly status: number,
    body: unknown,
  ) {
    const { message, errors } = (typeof body === 'object' && body !== null ? body : {}) as {
      message?: unknown;
      errors?: unknown;
    };
    super(typeof message === 'string' && message ? message : `HTTP ${status}`);
    this.name = 'ApiError';
    this.fieldErrors = Object.fromEntries(
      (Array.isArray(errors) ? (errors as { field?: unknown; messages?: unknown }[]) : []).flatMap((e) =>
        typeof e.field === 'string' && Array.isArray(e.messages) ? [[e.field, e.messages.map(String)]] : [],
      ),
    );
  }
}
