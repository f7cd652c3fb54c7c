import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEvidence1764540000000 implements MigrationInterface {
  name = 'CreateEvidence1764540000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE evidence (
        id              uuid PRIMARY KEY,
        allocation_id   uuid NOT NULL REFERENCES allocation (id),
        kind            text NOT NULL CHECK (kind IN ('BEFORE', 'AFTER')),
        sha256          char(64) NOT NULL,
        captured_at     timestamptz NOT NULL,
        latitude        double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
        longitude       double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
        description     text,
        distance_km     double precision,
        flag_reason     text,
        recorded_by     text NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT evidence_photo_once UNIQUE (allocation_id, sha256)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE evidence`);
  }
}
