import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_VERIFY_MAX_ANCHORS } from '@imb/contracts';
import {
  DEFAULT_PAGE_SIZE,
  firstItems,
  mergedDepth,
  mergeNewestFirst,
  SourcePage,
} from '../merging/merge-pages';
import { askAll, queryString, Tolerated, UnavailableService } from '../upstreams/fan-out';
import { UpstreamClient } from '../upstreams/upstream-client';
import { SERVICE_NAMES, ServiceName } from '../upstreams/upstreams';
import type { MergedPage } from '../jobs/jobs.service';
import type { AuditQuery } from './audit.dto';

/** An audit record as a service lists it, tagged with the service it comes from. */
export interface AuditRecord {
  occurredAt: string;
  service: ServiceName;
  [field: string]: unknown;
}

/** Filters the services' audit endpoints understand. */
export type AuditFilters = Pick<AuditQuery, 'entity' | 'entityId' | 'actor' | 'stateCode' | 'from' | 'to'>;

/** A service's chain verification. */
export interface ChainVerification {
  valid: boolean;
  checked: number;
  firstBrokenAt?: unknown;
  /** Heads of the chain the gateway kept and the service found intact (or the first it did not). */
  anchorsChecked?: number;
}

/** Every service's chains: valid only when all of them are and every service answered. */
export interface AllChainsVerification {
  valid: boolean;
  checked: number;
  services: ({ service: ServiceName } & ChainVerification)[];
  unavailable: UnavailableService[];
}

/** The audit logs of the services, read through their own /api/audit with the caller's token. */
@Injectable()
export class AuditService {
  constructor(
    private readonly client: UpstreamClient,
    private readonly dataSource: DataSource,
  ) {}

  /** The first `depth` records of each of `services`, newest first. */
  async firstRecords(
    services: readonly ServiceName[],
    filters: AuditFilters,
    depth: number,
    authorization: string | undefined,
    tolerated?: Tolerated,
  ) {
    return askAll(
      services,
      (service) =>
        firstItems(async (page, pageSize) => {
          const answer = await this.client.getOk<SourcePage<Record<string, unknown>>>(
            service,
            `/api/audit${queryString({ ...filters, page, pageSize })}`,
            authorization,
          );
          return { total: answer.total, items: answer.items.map((r) => ({ ...r, service }) as AuditRecord) };
        }, depth),
      tolerated,
    );
  }

  /** One service's records, or every service's merged newest first. */
  async search(query: AuditQuery, authorization: string | undefined): Promise<MergedPage<AuditRecord>> {
    const { service, page = 1, pageSize = DEFAULT_PAGE_SIZE, ...filters } = query;
    if (service) {
      const answer = await this.client.getOk<SourcePage<Record<string, unknown>>>(
        service,
        `/api/audit${queryString({ ...filters, page, pageSize })}`,
        authorization,
      );
      return {
        items: answer.items.map((r) => ({ ...r, service }) as AuditRecord),
        total: answer.total,
        page,
        pageSize,
        unavailable: [],
      };
    }
    const { answers, unavailable } = await this.firstRecords(
      SERVICE_NAMES,
      filters,
      mergedDepth(page, pageSize),
      authorization,
    );
    const merged = mergeNewestFirst(
      answers.map((a) => a.value),
      (r) => Date.parse(r.occurredAt),
      page,
      pageSize,
    );
    return { ...merged, unavailable };
  }

  /**
   * One service's chain as it reports it, checked against the heads it published earlier, which
   * the gateway keeps (audit_anchor): the newest of each hour, newest first, up to
   * AUDIT_VERIFY_MAX_ANCHORS, so the check stays bounded however long the platform runs.
   */
  async verifyOne(service: ServiceName, authorization: string | undefined): Promise<ChainVerification> {
    const anchors = await this.dataSource.query<{ seq: string; hash: string }[]>(
      `SELECT seq::text, hash FROM (
         SELECT DISTINCT ON (date_trunc('hour', occurred_at)) seq, hash, occurred_at
           FROM audit_anchor WHERE service = $1
          ORDER BY date_trunc('hour', occurred_at) DESC, seq DESC
          LIMIT $2) newest_per_hour`,
      [service, AUDIT_VERIFY_MAX_ANCHORS],
    );
    return this.client.postOk<ChainVerification>(service, '/api/audit/verify', { anchors }, authorization);
  }

  /** Every service's chain, each answered separately. */
  async verifyAll(authorization: string | undefined): Promise<AllChainsVerification> {
    const { answers, unavailable } = await askAll(SERVICE_NAMES, (service) =>
      this.verifyOne(service, authorization),
    );
    const services = answers.map((a) => ({ service: a.service, ...a.value }));
    return {
      valid: unavailable.length === 0 && services.every((s) => s.valid),
      checked: services.reduce((n, s) => n + s.checked, 0),
      services,
      unavailable,
    };
  }
}
