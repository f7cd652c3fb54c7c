import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TransferStage } from '@imb/contracts';

/** One state's process of handing its health services to IMSS-BIENESTAR. */
@Entity({ name: 'state_transfer' })
export class StateTransfer {
  @PrimaryColumn({ name: 'state_code', type: 'char', length: 2 }) stateCode: string;
  @Column({ name: 'state_name', type: 'text' }) stateName: string;
  @Column({ type: 'text' }) stage: TransferStage;
  @Column({ name: 'stage_since', type: 'timestamptz' }) stageSince: Date;
  @Column({ name: 'definition_version', type: 'int' }) definitionVersion: number;
  @Column({ name: 'joined_year', type: 'int', nullable: true }) joinedYear: number | null;
}

/** One change of stage, kept for the state's history. */
@Entity({ name: 'stage_change' })
export class StageChange {
  @PrimaryColumn({ type: 'uuid' }) id: string;
  @Column({ name: 'state_code', type: 'char', length: 2 }) stateCode: string;
  @Column({ name: 'from_stage', type: 'text', nullable: true }) fromStage: TransferStage | null;
  @Column({ name: 'to_stage', type: 'text' }) toStage: TransferStage;
  @Column({ type: 'text', nullable: true }) reason: string | null;
  @Column({ type: 'text' }) actor: string;
  @Column({ name: 'changed_at', type: 'timestamptz' }) changedAt: Date;
}
