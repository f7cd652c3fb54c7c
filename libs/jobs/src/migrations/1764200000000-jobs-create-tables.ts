import { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates `job` (durable job records) and `job_error` (per-row errors of a job). */
export class JobsCreateTables1764200000000 implements MigrationInterface {
  name = 'JobsCreateTables1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE job (
        id             text        PRIMARY KEY,
        kind           text        NOT NULL,
        status         text        NOT NULL,
        request        jsonb       NOT NULL,
        progress       jsonb       NOT NULL DEFAULT '{"percent": 0, "done": 0, "total": null}',
        result         jsonb,
        checkpoint     jsonb,
        failure_reason text,
        last_error     text,
        attempts       integer     NOT NULL DEFAULT 0,
        error_count    integer     NOT NULL DEFAULT 0,
        run_token      uuid,
        created_by     text,
        correlation_id text        NOT NULL,
        causation_id   text,
        created_at     timestamptz NOT NULL DEFAULT now(),
        started_at     timestamptz,
        finished_at    timestamptz,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT job_status_check CHECK (status IN ('queued', 'running', 'completed', 'failed'))
      )`);
    await q.query(`CREATE INDEX job_created_idx ON job (created_at, id)`);
    await q.query(`CREATE INDEX job_kind_created_idx ON job (kind, created_at, id)`);
    // The reconciler scans only unfinished jobs; this keeps that scan small as history grows.
    await q.query(`CREATE INDEX job_unfinished_idx ON job (id) WHERE status IN ('queued', 'running')`);
    await q.query(`
      CREATE TABLE job_error (
        id      bigserial PRIMARY KEY,
        job_id  text      NOT NULL REFERENCES job (id) ON DELETE CASCADE,
        "row"   integer   NOT NULL,
        field   text      NOT NULL,
        message text      NOT NULL
      )`);
    // Makes re-adding the errors of a chunk that is redone after a crash a no-op; it also
    // serves the listing, which is ordered by row.
    await q.query(`CREATE UNIQUE INDEX job_error_entry_key ON job_error (job_id, "row", field, message)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE job_error`);
    await q.query(`DROP TABLE job`);
  }
}
