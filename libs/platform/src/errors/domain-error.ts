/**
 * A business rule refused an operation. `code` is stable for clients (GATE_OPEN), `message` tells a
 * person what to do, `details` are spread into the HTTP body (e.g. `{ missing: [...] }`).
 *
 * @example new DomainError('GATE_OPEN', '2 checklist items are still open: acta, inventory', 409, { missing })
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
