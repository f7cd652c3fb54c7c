/** Resolves like `work` or rejects once `ms` pass, naming `what` did not answer in time. */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
  });
  // Once the timeout wins nobody awaits `work`; its late failure must not become an unhandled rejection.
  work.catch(() => undefined);
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The message of anything thrown, for a health report. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message || err.name : String(err);
}
