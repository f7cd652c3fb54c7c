import { Injectable, OnModuleInit } from '@nestjs/common';
import { PayrollTransferred, RosterReconciled, RosterReconciledV1 } from '@imb/contracts';
import { MessagingService } from '@imb/messaging';
import { HiringService } from './hiring.service';

/**
 * A reconciled roster may change how many posts are filled, so the state's progress is emitted
 * again (group `hr.hiring`, this service's own topic hr.roster.v1). The roster import stays
 * unaware of the dashboards, and the inbox makes a redelivery a no-op.
 */
@Injectable()
export class RosterEventsConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingService,
    private readonly hiring: HiringService,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.messaging.consume({
      groupId: 'hr.hiring',
      topics: [RosterReconciled.topic],
      handlers: {
        [RosterReconciled.type]: async (event, { manager }) => {
          await this.hiring.publishProgress(manager, (event.data as RosterReconciledV1).stateCode);
        },
      },
      // The payroll's federalization does not change which posts are filled.
      ignore: [PayrollTransferred.type],
    });
  }
}
