import { Column, Entity, PrimaryColumn } from 'typeorm';
import { TransferProgressV1 } from '@imb/contracts';

/** The last progress figures published for a state; the next round publishes only what differs. */
@Entity({ name: 'state_progress' })
export class StateProgressSnapshot {
  @PrimaryColumn({ name: 'state_code', type: 'char', length: 2 }) stateCode: string;
  @Column({ type: 'jsonb' }) figures: Omit<TransferProgressV1, 'computedAt'>;
  @Column({ name: 'computed_at', type: 'timestamptz' }) computedAt: Date;
}
