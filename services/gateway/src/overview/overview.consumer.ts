import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CloudEvent, EVENT_CATALOGUE, Topics } from '@imb/contracts';
import { BatchEventHandler, MessagingService } from '@imb/messaging';
import { serviceOf, timelineEvent, TimelineEvent } from '../timeline/timeline-entry';
import { announceOverviewChange } from './overview-changes';
import { PROJECTIONS } from './projections';

/** Consumer group of the overview; its inbox makes every event count once. */
export const OVERVIEW_GROUP = 'gateway.overview';

async function storeTimeline(lines: TimelineEvent[], m: EntityManager): Promise<void> {
  if (!lines.length) return;
  await m.query(
    `INSERT INTO overview_event (event_id, state_code, occurred_at, service, type, summary, actor, entity_id)
     SELECT * FROM unnest($1::uuid[], $2::char(2)[], $3::timestamptz[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
     ON CONFLICT (event_id) DO NOTHING`,
    (['eventId', 'stateCode', 'at', 'service', 'type', 'summary', 'actor', 'entityId'] as const).map((k) =>
      lines.map((l) => l[k]),
    ),
  );
}

/** Each source's "data as of": the time of the latest of its events applied. */
async function advanceSources(events: CloudEvent<unknown>[], m: EntityManager): Promise<void> {
  const latest = new Map<string, string>();
  for (const e of events) {
    const service = serviceOf(e);
    const seen = latest.get(service);
    if (!seen || Date.parse(seen) < Date.parse(e.time)) latest.set(service, e.time);
  }
  await m.query(
    `INSERT INTO overview_source (service, as_of) SELECT * FROM unnest($1::text[], $2::timestamptz[])
     ON CONFLICT (service) DO UPDATE SET as_of = GREATEST(overview_source.as_of, EXCLUDED.as_of)`,
    [[...latest.keys()], [...latest.values()]],
  );
}

/**
 * Applies a run of events of one type: its projection (if the overview shows something of it),
 * the states' timelines, the source's "data as of", and the announcement of the change, all in
 * the transaction that records the events in the inbox.
 */
export const applyToOverview: BatchEventHandler = async (events, { manager }) => {
  await PROJECTIONS[events[0].type]?.(events, manager);
  await storeTimeline(
    events.map(timelineEvent).filter((l): l is TimelineEvent => l !== null),
    manager,
  );
  await advanceSources(events, manager);
  const states = [...new Set(events.map((e) => e.statecode).filter((c): c is string => Boolean(c)))];
  await announceOverviewChange(manager, states);
};

/** The events the overview reads: every domain event (the audit chain heads go to the audit explorer). */
export const OVERVIEW_EVENTS = EVENT_CATALOGUE.filter((d) => d.topic !== Topics.AuditChain);

/** Reads every domain topic: every event reaches a timeline and its source's "as of". */
@Injectable()
export class OverviewConsumer implements OnModuleInit {
  constructor(private readonly messaging: MessagingService) {}

  async onModuleInit(): Promise<void> {
    await this.messaging.consume({
      groupId: OVERVIEW_GROUP,
      topics: [...new Set(OVERVIEW_EVENTS.map((d) => d.topic))],
      handlers: {},
      batchHandlers: Object.fromEntries(OVERVIEW_EVENTS.map((d) => [d.type, applyToOverview])),
    });
  }
}
