import { Controller, DynamicModule, Get, Injectable, Module, OnModuleInit, Param, Type } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { StateCodePipe } from './state-code.pipe';
import { CloudEvent, StageChanged, StageChangedV1, Topics, eventTypesOnTopic } from '@imb/contracts';
import { MessagingService } from '@imb/messaging';
import { applyStageChanged } from './apply-stage-changed';
import { StateSnapshot } from './state-snapshot.entity';

export interface StatesModuleOptions {
  /** Consuming service, e.g. `hr`: its consumer group is `<service>.state-transfer`. */
  service: string;
  /** Route of the read endpoints, e.g. `hr/states` (under the global `api` prefix). */
  path: string;
}

@Injectable()
class StatesReader {
  constructor(private readonly dataSource: DataSource) {}
  list(): Promise<StateSnapshot[]> {
    return this.dataSource.getRepository(StateSnapshot).find({ order: { stateCode: 'ASC' } });
  }
  get(stateCode: string): Promise<StateSnapshot | null> {
    return this.dataSource.getRepository(StateSnapshot).findOneBy({ stateCode });
  }
}

function statesController(path: string): Type<unknown> {
  @ApiTags('states')
  @Controller(path)
  class StatesController {
    constructor(private readonly reader: StatesReader) {}

    @Get()
    @ApiOkResponse({ description: "Every state's transfer stage as this service last heard it" })
    list() {
      return this.reader.list();
    }

    @Get(':stateCode')
    async get(@Param('stateCode', StateCodePipe) stateCode: string) {
      return (await this.reader.get(stateCode)) ?? { stateCode, stage: null, note: 'no stage-changed event received yet' };
    }
  }
  return StatesController;
}

/** Keeps the `state` read model from transfer's events and serves it read-only. */
@Module({})
export class StatesModule {
  static forRoot(options: StatesModuleOptions): DynamicModule {
    @Injectable()
    class StatesConsumer implements OnModuleInit {
      constructor(private readonly messaging: MessagingService) {}
      async onModuleInit(): Promise<void> {
        await this.messaging.consume({
          groupId: `${options.service}.state-transfer`,
          topics: [Topics.TransferStateTransfer],
          handlers: { [StageChanged.type]: (event, { manager }) => applyStageChanged(event as CloudEvent<StageChangedV1>, manager) },
          // The topic carries the rest of a transfer's story too; this read model needs only the stage.
          ignore: eventTypesOnTopic(Topics.TransferStateTransfer).filter((t) => t !== StageChanged.type),
        });
      }
    }
    return {
      module: StatesModule,
      controllers: [statesController(options.path)],
      providers: [StatesReader, StatesConsumer],
    };
  }
}
