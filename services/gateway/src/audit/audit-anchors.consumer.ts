import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditChainAnchored, AuditChainAnchoredV1, Topics } from '@imb/contracts';
import { EventHandler, MessagingService } from '@imb/messaging';

/** Consumer group keeping the services' audit chain heads. */
export const AUDIT_ANCHORS_GROUP = 'gateway.audit-anchors';

const keepAnchor: EventHandler = async (event, { manager }) => {
  const anchor = event.data as AuditChainAnchoredV1;
  await manager.query(
    `INSERT INTO audit_anchor (service, seq, hash, occurred_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (service, seq) DO NOTHING`,
    [anchor.service, anchor.seq, anchor.hash, anchor.occurredAt],
  );
};

/** Keeps every audit chain head the services publish (topic audit.chain.v1). */
@Injectable()
export class AuditAnchorsConsumer implements OnModuleInit {
  constructor(private readonly messaging: MessagingService) {}

  async onModuleInit(): Promise<void> {
    await this.messaging.consume({
      groupId: AUDIT_ANCHORS_GROUP,
      topics: [Topics.AuditChain],
      handlers: Object.fromEntries(Object.values(AuditChainAnchored).map((d) => [d.type, keepAnchor])),
    });
  }
}
