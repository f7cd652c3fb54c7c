/**
 * Thrown to an attempt that no longer owns its job: the job finished, went back to the queue
 * after a lost worker, or was re-enqueued and picked up elsewhere. The attempt must stop; its
 * uncommitted work is rolled back and the owning attempt carries on from the last checkpoint.
 */
export class JobSupersededError extends Error {
  readonly code = 'JOB_SUPERSEDED';

  constructor(readonly jobId: string) {
    super(
      `JOB_SUPERSEDED: job ${jobId} is now owned by another attempt (or already finished); this attempt stops`,
    );
    this.name = 'JobSupersededError';
  }
}

/** The message of anything thrown, for a job's failure reason. */
export function describeError(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err));
}
