import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDocument1764460000000 implements MigrationInterface {
  name = 'CreateDocument1764460000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE document (
        id            uuid PRIMARY KEY,
        sha256        char(64) NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
        title         text NOT NULL,
        reference     text NOT NULL,
        document_date date NOT NULL,
        media_type    text NOT NULL,
        size          bigint NOT NULL CHECK (size > 0),
        original_name text NOT NULL,
        uploaded_by   text NOT NULL,
        uploaded_at   timestamptz NOT NULL
      )`);
    // Evidence refers to documents by hash (checklist items, actas).
    await q.query(`CREATE INDEX document_by_sha256 ON document (sha256)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE document`);
  }
}
