/**
 * True for failures of the infrastructure rather than of the message (database unreachable or
 * restarting, connection dropped): retrying later will work, so the message must not be
 * dead-lettered and its offset must not be committed.
 */
export function isTransientInfrastructureError(err: unknown): boolean {
  const e = err as { code?: string; message?: string; driverError?: unknown } | undefined;
  if (!e) return false;
  if (e.driverError && isTransientInfrastructureError(e.driverError)) return true;
  const code = e.code ?? '';
  if (/^(08|53|57P)/.test(code)) return true; // connection exception, insufficient resources, operator intervention
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND'].includes(code)) return true;
  const msg = e.message ?? '';
  return /Connection terminated|connection is closed|timeout exceeded when trying to connect|Client has encountered a connection error|terminating connection/i.test(
    msg,
  );
}
