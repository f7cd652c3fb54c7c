import { HttpException, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditRecord, AuditService } from '../audit/audit.service';
import type { MergedPage } from '../jobs/jobs.service';
import { mergedDepth, mergeNewestFirst, SourcePage } from '../merging/merge-pages';
import { SERVICE_NAMES } from '../upstreams/upstreams';
import { timelineAudit, TimelineItem } from './timeline-entry';

/**
 * A state's timeline: the events the gateway consumed about it (its own table) merged by time
 * with the services' audit records of the state (read with the caller's token, so the caller
 * sees what the services let them see; `unavailable` says which records are missing and why).
 */
@Injectable()
export class TimelineService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async page(
    stateCode: string,
    page: number,
    pageSize: number,
    authorization: string | undefined,
  ): Promise<MergedPage<TimelineItem>> {
    const depth = mergedDepth(page, pageSize);
    const [events, audit] = await Promise.all([
      this.events(stateCode, depth),
      // The overview is national, but a service may keep another state's audit records from the
      // caller: the timeline then shows the events without that service's records.
      this.audit.firstRecords(
        SERVICE_NAMES,
        { stateCode },
        depth,
        authorization,
        (err) => err instanceof HttpException && err.getStatus() === 403,
      ),
    ]);
    const sources: SourcePage<TimelineItem>[] = [
      events,
      ...audit.answers.map((a) => ({
        total: a.value.total,
        items: a.value.items.map((r) =>
          timelineAudit(r as AuditRecord & Parameters<typeof timelineAudit>[0]),
        ),
      })),
    ];
    return {
      ...mergeNewestFirst(sources, (item) => Date.parse(item.at), page, pageSize),
      unavailable: audit.unavailable,
    };
  }

  private async events(stateCode: string, depth: number): Promise<SourcePage<TimelineItem>> {
    const [rows, [{ total }]] = await Promise.all([
      this.dataSource.query<
        { at: Date; service: string; type: string; summary: string; actor: string; entity_id: string }[]
      >(
        `SELECT occurred_at AS at, service, type, summary, actor, entity_id FROM overview_event
          WHERE state_code = $1 ORDER BY occurred_at DESC, event_id LIMIT $2`,
        [stateCode, depth],
      ),
      this.dataSource.query<{ total: number }[]>(
        `SELECT count(*)::int AS total FROM overview_event WHERE state_code = $1`,
        [stateCode],
      ),
    ]);
    return {
      total,
      items: rows.map((r) => ({
        at: r.at.toISOString(),
        service: r.service,
        kind: 'event',
        type: r.type,
        summary: r.summary,
        actor: r.actor,
        entityId: r.entity_id,
      })),
    };
  }
}
