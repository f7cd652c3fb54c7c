import { Column, Entity, PrimaryColumn } from 'typeorm';
import { EvidenceV1, TransferStage } from '@imb/contracts';

/**
 * One gate item of one state's transfer, instantiated from the definition version the transfer
 * started on. Every stage's items exist from the start, so an event item can close whenever its
 * event arrives, whatever the current stage.
 */
@Entity({ name: 'checklist_item' })
export class ChecklistItem {
  @PrimaryColumn({ name: 'state_code', type: 'char', length: 2 }) stateCode: string;
  @PrimaryColumn({ name: 'definition_version', type: 'int' }) definitionVersion: number;
  @PrimaryColumn({ type: 'text' }) stage: TransferStage;
  @PrimaryColumn({ name: 'item_id', type: 'text' }) itemId: string;
  /** Order of the item within its stage, as in the definition. */
  @Column({ type: 'int' }) position: number;
  @Column({ type: 'text' }) title: string;
  @Column({ type: 'text' }) source: 'manual' | 'event';
  @Column({ name: 'event_type', type: 'text', nullable: true }) eventType: string | null;
  @Column({ type: 'boolean' }) done: boolean;
  /** The person who closed it, the event type that closed it, or `system:reference-data`. */
  @Column({ name: 'done_by', type: 'text', nullable: true }) doneBy: string | null;
  @Column({ name: 'done_at', type: 'timestamptz', nullable: true }) doneAt: Date | null;
  @Column({ type: 'jsonb', nullable: true }) evidence: EvidenceV1 | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
}
