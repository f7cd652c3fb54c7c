import { randomUUID } from 'node:crypto';

/**
 * Job ids name the service that owns the job (`transfer-4f0c…`), so the gateway can route
 * `GET /api/jobs/{id}` to the right service without a lookup table. Service names are
 * lowercase letters and digits only, which keeps the id unambiguous to split.
 */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9]{0,31}$/;

const JOB_ID_PATTERN =
  /^([a-z][a-z0-9]{0,31})-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;

/** A new job id owned by `service`. */
export function newJobId(service: string): string {
  if (!SERVICE_NAME_PATTERN.test(service)) {
    throw new Error(
      `"${service}" is not a valid service name for job ids (lowercase letters and digits, starting with a letter)`,
    );
  }
  return `${service}-${randomUUID()}`;
}

/** Splits a job id into its owning service and uuid, or returns null when it is not a job id. */
export function parseJobId(id: string): { service: string; uuid: string } | null {
  const match = JOB_ID_PATTERN.exec(id);
  return match ? { service: match[1], uuid: match[2] } : null;
}
