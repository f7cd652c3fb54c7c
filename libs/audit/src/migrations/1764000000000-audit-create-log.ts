import { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates `audit_log` and the trigger that makes it append-only. */
export class AuditCreateLog1764000000000 implements MigrationInterface {
  name = 'AuditCreateLog1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_log (
        seq            bigserial   PRIMARY KEY,
        id             uuid        NOT NULL UNIQUE,
        occurred_at    timestamptz NOT NULL,
        actor          text        NOT NULL,
        action         text        NOT NULL,
        entity         text        NOT NULL,
        entity_id      text        NOT NULL,
        state_code     text        NULL,
        before         jsonb       NULL,
        after          jsonb       NULL,
        reason         text        NULL,
        correlation_id text        NULL,
        prev_hash      text        NOT NULL,
        hash           text        NOT NULL,
        -- Two records naming the same predecessor would fork the chain: refuse it here too,
        -- not only through the writers' advisory lock.
        CONSTRAINT audit_log_prev_hash_key UNIQUE (prev_hash),
        -- The hash covers the time at millisecond precision (ISO 8601); finer digits would
        -- be stored but unprotected.
        CONSTRAINT audit_log_occurred_at_ms CHECK (occurred_at = date_trunc('milliseconds', occurred_at))
      )`);
    await queryRunner.query(`CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id)`);
    await queryRunner.query(`CREATE INDEX audit_log_occurred_at_idx ON audit_log (occurred_at)`);
    await queryRunner.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor)`);
    await queryRunner.query(`
      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP
          USING HINT = 'Audit records are never changed or removed; record a new entry that corrects the old one.';
      END
      $$`);
    // A statement trigger fires even when no row matches, and is the only kind TRUNCATE has.
    await queryRunner.query(`
      CREATE TRIGGER audit_log_append_only
        BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
        FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP FUNCTION audit_log_refuse_change()`);
  }
}
