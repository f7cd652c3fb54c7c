import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Photos are now uploaded, not only described: the file is stored by its SHA-256 (computed by the
 * service) and the record says what it is and where its time and place came from. Records made
 * before keep null here (they have no stored file).
 */
export class EvidencePhotoFile1764560000000 implements MigrationInterface {
  name = 'EvidencePhotoFile1764560000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE evidence
        ADD COLUMN media_type          text,
        ADD COLUMN size                bigint CHECK (size > 0),
        ADD COLUMN original_name       text,
        ADD COLUMN captured_at_source  text CHECK (captured_at_source IN ('exif', 'form')),
        ADD COLUMN location_source     text CHECK (location_source IN ('exif', 'form'))`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE evidence DROP COLUMN media_type, DROP COLUMN size, DROP COLUMN original_name,
        DROP COLUMN captured_at_source, DROP COLUMN location_source`);
  }
}
