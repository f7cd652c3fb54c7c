import type { Schemas } from '../api/client';

/** A service whose audit log the gateway reads. */
export type AuditServiceName = Schemas['AuditRecordView']['service'];
export const AUDIT_SERVICES: readonly AuditServiceName[] = ['transfer', 'hr', 'procurement', 'dignification'];
export const AUDIT_PAGE_SIZE = 25;

/** The explorer's view: its filters and page, all kept in the URL so that a link reopens it. */
export interface AuditSearch {
  service?: AuditServiceName;
  entity?: string;
  entityId?: string;
  actor?: string;
  stateCode?: string;
  /** ISO 8601 instants (exact whatever the reader's time zone). */
  from?: string;
  to?: string;
  page: number;
}

const TEXT_FIELDS = ['entity', 'entityId', 'actor', 'stateCode', 'from', 'to'] as const;

const isService = (value: string): value is AuditServiceName =>
  (AUDIT_SERVICES as readonly string[]).includes(value);

/** The view a URL's query string describes; what it cannot read is left out. */
export function readAuditSearch(params: URLSearchParams): AuditSearch {
  const page = Math.trunc(Number(params.get('page')));
  const search: AuditSearch = { page: Number.isFinite(page) && page > 1 ? page : 1 };
  const service = params.get('service') ?? '';
  if (isService(service)) search.service = service;
  for (const field of TEXT_FIELDS) {
    const value = params.get(field)?.trim();
    if (value) search[field] = value;
  }
  return search;
}

/** The query string of a view (page 1 and empty filters left out, so links stay short). */
export function auditSearchParams(search: AuditSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.service) params.set('service', search.service);
  for (const field of TEXT_FIELDS) {
    const value = search[field];
    if (value) params.set(field, value);
  }
  if (search.page > 1) params.set('page', String(search.page));
  return params;
}

/** An ISO instant as the value of a `datetime-local` input (the reader's local time), or '' . */
export function toLocalInput(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A `datetime-local` value (local time) as an ISO instant, or undefined when empty or invalid. */
export function fromLocalInput(value: string): string | undefined {
  const date = new Date(value);
  return value && !Number.isNaN(date.getTime()) ? date.toISOString() : undefined;
}
