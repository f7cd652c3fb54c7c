import { Injectable, OnModuleInit } from '@nestjs/common';
import { EventHandler, MessagingService } from '@imb/messaging';
import { ChecklistService } from './checklist.service';
import { GATE_EVENT_TOPICS, GATE_EVENT_TYPES } from './stage-definition';

/**
 * Closes event items of the gates (group `transfer.gates`): every event type on HR's roster topic
 * and procurement's enrollment topic may be named by a definition, so every one is handled; a
 * type no open item waits for changes nothing. The inbox makes a redelivery a no-op.
 */
@Injectable()
export class GateEventsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingService,
    private readonly checklist: ChecklistService,
  ) {}

  async onModuleInit(): Promise<void> {
    const handle: EventHandler = (event, { manager }) => this.checklist.closeByEvent(manager, event);
    await this.messaging.consume({
      groupId: 'transfer.gates',
      topics: GATE_EVENT_TOPICS,
      handlers: Object.fromEntries(GATE_EVENT_TYPES.map((type) => [type, handle])),
    });
  }
}
