import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TransferStage } from '@imb/contracts';

/** What a service knows about a state's transfer, as of the last stage-changed event it applied. */
@Entity({ name: 'state' })
export class StateSnapshot {
  @PrimaryColumn({ name: 'state_code', type: 'char', length: 2 }) stateCode: string;
  @Column({ name: 'state_name', type: 'text' }) stateName: string;
  @Column({ type: 'text' }) stage: TransferStage;
  @Column({ name: 'stage_since', type: 'timestamptz' }) stageSince: Date;
  @Column({ name: 'definition_version', type: 'int' }) definitionVersion: number;
  @Column({ name: 'last_event_id', type: 'uuid' }) lastEventId: string;
  @Column({ name: 'last_event_at', type: 'timestamptz' }) lastEventAt: Date;
  @Column({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
