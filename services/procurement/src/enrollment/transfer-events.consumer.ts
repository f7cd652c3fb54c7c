import { Injectable, OnModuleInit } from '@nestjs/common';
import { eventTypesOnTopic, StageChanged, StageChangedV1, StateOperational, StateOperationalV1, Topics } from '@imb/contracts';
import { MessagingService } from '@imb/messaging';
import { enrollState } from './enroll-state';

/**
 * Enrollment follows the transfer service (group `procurement.enrollment`): a state whose transfer
 * reaches OPERATION (stage-changed to OPERATION, or state-operational) is enrolled. The inbox makes
 * a redelivered event change nothing, and enrolling an enrolled state is a no-op, so the two
 * events of one transition enroll once.
 */
@Injectable()
export class TransferEventsConsumer implements OnModuleInit {
  constructor(private readonly messaging: MessagingService) {}

  async onModuleInit(): Promise<void> {
    const handled = [StageChanged.type, StateOperational.type];
    await this.messaging.consume({
      groupId: 'procurement.enrollment',
      topics: [Topics.TransferStateTransfer],
      handlers: {
        [StageChanged.type]: async (event, { manager }) => {
          const data = event.data as StageChangedV1;
          if (data.toStage === 'OPERATION') await enrollState(manager, data.stateCode, data.changedAt, `${event.type} ${event.id}`);
        },
        [StateOperational.type]: async (event, { manager }) => {
          const data = event.data as StateOperationalV1;
          await enrollState(manager, data.stateCode, data.operationalSince, `${event.type} ${event.id}`);
        },
      },
      // The rest of a transfer's story does not change who buys for a state.
      ignore: eventTypesOnTopic(Topics.TransferStateTransfer).filter((t) => !handled.includes(t)),
    });
  }
}
