import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One record of the append-only audit log (table created by {@link AuditMigrations}).
 * Write it only through `recordAudit`/`AuditService.record`: a repository `save` would skip
 * the hash chain, and the database refuses any later change.
 */
@Entity('audit_log')
export class AuditLogEntity {
  /** Position in the chain; bigint, so TypeORM returns it as a string. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'uuid' })
  id: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt: Date;

  /** Who: a person's token subject, or `system:<service>`. */
  @Column({ type: 'text' })
  actor: string;

  /** What happened, e.g. `stage.advanced`. */
  @Column({ type: 'text' })
  action: string;

  /** Kind of the thing changed, e.g. `StateTransfer`. */
  @Column({ type: 'text' })
  entity: string;

  @Column({ name: 'entity_id', type: 'text' })
  entityId: string;

  @Column({ name: 'state_code', type: 'text', nullable: true })
  stateCode: string | null;

  @Column({ type: 'jsonb', nullable: true })
  before: unknown;

  @Column({ type: 'jsonb', nullable: true })
  after: unknown;

  /** Why, in the actor's words. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'correlation_id', type: 'text', nullable: true })
  correlationId: string | null;

  @Column({ name: 'prev_hash', type: 'text' })
  prevHash: string;

  @Column({ type: 'text' })
  hash: string;
}
