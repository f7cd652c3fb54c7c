import createClient, { type Middleware } from 'openapi-fetch';
import { sessionStore } from '../session/session';
import { ApiError } from './api-error';
import type { components, paths } from './schema';

/** Schemas of the gateway's merged OpenAPI document (openapi/openapi.json). */
export type Schemas = components['schemas'];

/** Sends the session's token; a 401 ends the session, which sends the user to the login page. */
const bearer: Middleware = {
  onRequest({ request }) {
    const token = sessionStore.get()?.token;
    if (token) request.headers.set('authorization', `Bearer ${token}`);
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && sessionStore.get()) sessionStore.end('expired');
    return response;
  },
};

/** Every call to the API, typed by the merged OpenAPI document (same origin: the gateway, or Vite's proxy to it). */
export const api = createClient<paths>({ baseUrl: '' });
api.use(bearer);

/** What an openapi-fetch call resolves to: `data` on success, `error` (the parsed body) otherwise. */
interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a 2xx answer; anything else throws an {@link ApiError}. */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  const answer = await call;
  if (!answer.response.ok || answer.error !== undefined)
    throw new ApiError(answer.response.status, answer.error);
  return answer.data as T;
}
