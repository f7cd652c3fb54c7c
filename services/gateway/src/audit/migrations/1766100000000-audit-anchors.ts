import { MigrationInterface, QueryRunner } from 'typeorm';
import { insertAndSelectOnly } from '@imb/platform';

/**
 * The heads of the services' audit chains as they published them (AuditChainAnchored): kept here,
 * outside the services' databases, so that verifying a chain against them detects records removed
 * from its end or a chain rewritten with its hashes recomputed. One row per service and seq: the
 * first hash heard for a seq is the one kept, and the gateway's runtime role may only add and read.
 */
export class AuditAnchors1766100000000 implements MigrationInterface {
  name = 'AuditAnchors1766100000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_anchor (
        service text NOT NULL,
        seq bigint NOT NULL,
        hash char(64) NOT NULL,
        occurred_at timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (service, seq)
      )`);
    await insertAndSelectOnly(q, 'audit_anchor');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE audit_anchor`);
  }
}
