import { useEffect, useState } from 'react';
import { ApiError } from '../api/api-error';
import { sessionStore } from '../session/session';
import { isFinished, type JobSummary } from './job-types';

/**
 * Follows `GET /api/jobs/{id}/stream` (server-sent `progress` events carrying the job; the stream
 * ends after the one showing it completed or failed). Read over fetch, as the classic dashboard
 * does (assets/api.js `stream`): EventSource cannot send the session's Authorization header, and
 * the token must not go into a URL. Reconnects after a drop until the job is finished or stop()
 * is called; a 4xx ends it (a 401 ends the session too).
 */
export function followJob(id: string, onJob: (job: JobSummary) => void): () => void {
  const controller = new AbortController();
  let finished = false;

  const connect = async (): Promise<void> => {
    try {
      const token = sessionStore.get()?.token;
      const headers: Record<string, string> = { accept: 'text/event-stream' };
      if (token) headers.authorization = `Bearer ${token}`;
      const response = await fetch(`/api/jobs/${encodeURIComponent(id)}/stream`, {
        headers,
        signal: controller.signal,
      });
      if (response.status === 401 && sessionStore.get()) sessionStore.end('expired');
      if (!response.ok || !response.body) throw new ApiError(response.status, null);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n/g, '\n');
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const event = parseEvent(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          if (event?.type === 'progress' && isJob(event.data)) {
            onJob(event.data);
            if (isFinished(event.data.status)) finished = true;
          }
          if (event?.type === 'error') finished = true;
        }
      }
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) return;
    }
    if (finished || controller.signal.aborted) return;
    setTimeout(() => void connect(), 2000);
  };
  void connect();
  return () => controller.abort();
}

function parseEvent(block: string): { type: string; data: unknown } | null {
  let type = 'message';
  const data: string[] = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length) return null;
  try {
    return { type, data: JSON.parse(data.join('\n')) as unknown };
  } catch {
    return { type, data: data.join('\n') };
  }
}

const isJob = (value: unknown): value is JobSummary =>
  typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string';

/**
 * The job as its stream shows it while it is queued or running; the job as given once finished
 * (no stream is opened for a finished job). `onFinish` runs when the stream shows it finish.
 */
export function useLiveJob<J extends JobSummary>(job: J, onFinish?: (job: JobSummary) => void): J {
  const [live, setLive] = useState<JobSummary | null>(null);
  const follow = !isFinished(job.status);
  useEffect(() => {
    if (!follow) return;
    return followJob(job.id, (next) => {
      setLive(next);
      if (isFinished(next.status)) onFinish?.(next);
    });
    // onFinish is a notification: a new function each render must not reopen the stream.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [job.id, follow]);
  return live && live.id === job.id && Date.parse(live.updatedAt) >= Date.parse(job.updatedAt)
    ? { ...job, ...live }
    : job;
}
