import { HttpException } from '@nestjs/common';
import type { Response } from 'express';
import { decodeJwt } from 'jose';

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
/** Streams open per identity (token subject) in this process. */
const perOwner = new Map<string, number>();
/** Longest delay setTimeout takes (about 24.8 days); a token living longer is closed then. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Who holds a stream, and until when their token is good. */
export interface StreamOwner {
  sub: string;
  /** Epoch milliseconds of the token's `exp`. */
  expiresAt: number;
}

/** The owner of a stream asked for with an already verified bearer token (the guard checked it). */
export function streamOwner(sub: string, authorization: string | undefined): StreamOwner {
  const exp = decodeJwt((authorization ?? '').replace(/^Bearer\s+/i, '')).exp;
  if (exp === undefined) throw new HttpException({ statusCode: 401, message: 'The token has no expiry (exp)' }, 401);
  return { sub, expiresAt: exp * 1000 };
}

/**
 * Ends every open stream. Called when the process is asked to stop, before the platform waits
 * for in-flight requests (which a stream otherwise stays until the drain's timeout); clients
 * reconnect to another instance.
 */
export function closeAllStreams(): void {
  for (const channel of [...open]) channel.close();
}

/**
 * Starts a `text/event-stream` answer on `res`; the caller writes events until it closes. One
 * identity holds at most `maxPerOwner` streams at once (429 beyond: each holds a connection and
 * a timer), and a stream ends with an `expired` event when its token does, so access that ends
 * is not kept alive by an open connection.
 */
export function openSse(res: Response, owner: StreamOwner, maxPerOwner: number): SseChannel {
  const held = perOwner.get(owner.sub) ?? 0;
  if (held >= maxPerOwner) {
    throw new HttpException(
      { statusCode: 429, message: `Too many open streams: at most ${maxPerOwner} per user at once; close one (another tab?) and try again.` },
      429,
    );
  }
  perOwner.set(owner.sub, held + 1);
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
  const expiry = setTimeout(() => {
    channel.send('expired', { message: 'Your session token expired: sign in again to keep following.' });
    channel.close();
  }, Math.min(Math.max(owner.expiresAt - Date.now(), 0), MAX_TIMER_MS));
  expiry.unref();
  callbacks.push(() => {
    open.delete(channel);
    clearTimeout(expiry);
    const left = (perOwner.get(owner.sub) ?? 1) - 1;
    if (left > 0) perOwner.set(owner.sub, left);
    else perOwner.delete(owner.sub);
  });
  return channel;
}
