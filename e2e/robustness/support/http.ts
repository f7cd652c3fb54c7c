/** Runs `work` over `items` with at most `limit` in flight (the machine is shared; keep it gentle). */
export async function inPool<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** What a request came back with: status and the parsed body (JSON when it is JSON, else text). */
export interface Answer {
  status: number;
  body: unknown;
  text: string;
}

/**
 * Sends a request and reads the whole answer; an event stream (SSE, which never ends by itself)
 * is answered by its status alone.
 */
export async function send(url: string, init: RequestInit): Promise<Answer> {
  const controller = new AbortController();
  // A request that hangs is a finding too: give up after a minute and say which one it was.
  const timer = setTimeout(() => controller.abort(new Error(`no answer within 60 s: ${init.method ?? 'GET'} ${url.slice(0, 200)}`)), 60000);
  let text: string;
  let status: number;
  try {
    const res = await fetch(url, { ...init, signal: controller.signal });
    status = res.status;
    if (res.headers.get('content-type')?.includes('text/event-stream')) {
      controller.abort();
      return { status, body: null, text: '(event stream)' };
    }
    text = await res.text();
  } finally {
    clearTimeout(timer);
  }
  const res = { status };
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, text };
}

/** True when an error answer has the platform's shape `{statusCode, error, message}` and a message a person can read. */
export function isClearError(answer: Answer): boolean {
  const body = answer.body as { statusCode?: unknown; error?: unknown; message?: unknown } | null;
  return (
    typeof body === 'object' &&
    body !== null &&
    body.statusCode === answer.status &&
    typeof body.error === 'string' &&
    typeof body.message === 'string' &&
    body.message.trim().length >= 5
  );
}
