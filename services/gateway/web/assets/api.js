// HTTP access to the gateway: JSON with the session's bearer token, uploads, and server-sent
// events read over fetch (EventSource cannot send an Authorization header).
import { session } from './session.js';

/** An answer of the API that is not 2xx, with the message the service gave. */
export class ApiError extends Error {
  constructor(status, body) {
    const message = Array.isArray(body?.message) ? body.message.join('; ') : body?.message;
    super(message || `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

function headers(extra = {}) {
  const token = session()?.token;
  return token ? { authorization: `Bearer ${token}`, ...extra } : extra;
}

async function answer(response) {
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { message: text };
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

/** GET (or another method with a JSON body) under /api. */
export async function api(path, { method = 'GET', body } = {}) {
  const init = { method, headers: headers(body === undefined ? {} : { 'content-type': 'application/json' }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  return answer(await fetch(`/api${path}`, init));
}

/** POST a multipart form (file uploads) under /api. */
export async function upload(path, formData) {
  return answer(await fetch(`/api${path}`, { method: 'POST', headers: headers(), body: formData }));
}

/** A query string of the defined, non-empty values. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') q.set(key, String(value));
  }
  const text = q.toString();
  return text ? `?${text}` : '';
}

/**
 * Follows a server-sent event stream under /api: calls onEvent(type, data) for each event and
 * onStatus(true|false) as the connection comes and goes; reconnects after a drop unless the
 * stream ended on its own (`once`) or the returned stop() was called.
 */
export function stream(path, { onEvent, onStatus = () => {}, once = false }) {
  const controller = new AbortController();
  let stopped = false;

  const connect = async () => {
    try {
      const response = await fetch(`/api${path}`, { headers: headers({ accept: 'text/event-stream' }), signal: controller.signal });
      if (!response.ok || !response.body) throw new ApiError(response.status, null);
      onStatus(true);
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replace(/\r\n/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          dispatch(buffer.slice(0, end), onEvent);
          buffer = buffer.slice(end + 2);
        }
      }
      if (once) return;
    } catch (error) {
      if (stopped) return;
      if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
        onStatus(false);
        return;
      }
    }
    if (stopped) return;
    onStatus(false);
    setTimeout(() => void connect(), 2000);
  };
  void connect();
  return () => {
    stopped = true;
    controller.abort();
  };
}

function dispatch(block, onEvent) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line.startsWith('event:')) type = line.slice(6).trim();
    else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
  }
  if (!data.length) return;
  let parsed = data.join('\n');
  try {
    parsed = JSON.parse(parsed);
  } catch {
    // a plain-text event: passed on as text
  }
  onEvent(type, parsed);
}
