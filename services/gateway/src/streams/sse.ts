import type { Response } from 'express';

/** How often an idle stream sends a comment line, so proxies and browsers keep it open. */
const HEARTBEAT_MS = 15000;

/** One open server-sent events response. */
export interface SseChannel {
  send(event: string, data: unknown): void;
  close(): void;
  /** True once the caller went away or the stream was closed. */
  readonly closed: boolean;
  onClose(callback: () => void): void;
}

/** Every stream open in this process. */
const open = new Set<SseChannel>();

/**
 * Ends every open stream. Called when the process is asked to stop, before the platform waits
 * for in-flight requests (which a stream otherwise stays until the drain's timeout); clients
 * reconnect to another instance.
 */
export function closeAllStreams(): void {
  for (const channel of [...open]) channel.close();
}

/** Starts a `text/event-stream` answer on `res`; the caller writes events until it closes. */
export function openSse(res: Response): SseChannel {
  res.status(200);
  res.setHeader('content-type', 'text/event-stream; charset=utf-8');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('connection', 'keep-alive');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
  res.write('retry: 2000\n\n');
  const callbacks: (() => void)[] = [];
  let closed = false;
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), HEARTBEAT_MS);
  heartbeat.unref();
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    callbacks.splice(0).forEach((cb) => cb());
  };
  res.on('close', finish);
  const channel: SseChannel = {
    send(event, data) {
      if (!closed) res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    close() {
      finish();
      res.end();
    },
    get closed() {
      return closed;
    },
    onClose(callback) {
      if (closed) callback();
      else callbacks.push(callback);
    },
  };
  open.add(channel);
  callbacks.push(() => open.delete(channel));
  return channel;
}
