/** The outcome of a promise if it settles within `ms`; a rejection within `ms` is thrown. */
export async function within<T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ settled: true; value: T } | { settled: false }> {
  const outcome = promise.then((value) => ({ settled: true as const, value }));
  // A rejection after the deadline has nobody left to hear it.
  outcome.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<{ settled: false }>((resolve) => {
    timer = setTimeout(() => resolve({ settled: false }), ms);
  });
  try {
    return await Promise.race([outcome, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
