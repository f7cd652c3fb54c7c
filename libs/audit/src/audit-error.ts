/** Codes of the errors this library raises. */
export type AuditErrorCode =
  | 'AUDIT_NO_TRANSACTION'
  | 'AUDIT_ISOLATION'
  | 'AUDIT_ACTOR_MISSING'
  | 'AUDIT_INVALID_ENTRY'
  | 'AUDIT_INVALID_QUERY';

/** A misuse of the audit log, with a code and a message that says how to fix it. */
export class AuditError extends Error {
  constructor(
    readonly code: AuditErrorCode,
    message: string,
  ) {
    super(`${code}: ${message}`);
    this.name = 'AuditError';
  }
}
