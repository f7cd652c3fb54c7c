import { MigrationInterface, QueryRunner } from 'typeorm';
import { insertAndSelectOnly } from '@imb/platform';

/**
 * Leaves every role but the owner of `audit_log` with INSERT and SELECT on it at most: the
 * service's runtime role, which owns nothing, cannot disable the append-only trigger, truncate,
 * drop, update or delete the log (see {@link insertAndSelectOnly}).
 */
export class AuditRuntimeGrants1766000000000 implements MigrationInterface {
  name = 'AuditRuntimeGrants1766000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await insertAndSelectOnly(queryRunner, 'audit_log');
  }

  /**
   * Nothing to restore: the revoked privileges were never meant to exist (the table's own
   * migration grants none), and granting them back would undo the guarantee.
   */
  async down(): Promise<void> {
    // Intentionally empty, see above.
  }
}
