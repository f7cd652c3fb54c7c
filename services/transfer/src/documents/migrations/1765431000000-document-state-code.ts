import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds `document.state_code`: the state a document is evidence of, which decides who reads it and
 * which state's evidence may cite it. Uploads name it from now on. Documents recorded before get
 * the state whose evidence cites their hash (checklist items and unit actas, now or in the audit
 * trail, which keeps closures a restart reopened) when exactly one state does; a hash cited by
 * several states, or by none, cannot be attributed safely, so those stay null and only national
 * roles read them (a state that needs one uploads it again for itself).
 */
export class DocumentStateCode1765431000000 implements MigrationInterface {
  name = 'DocumentStateCode1765431000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document ADD COLUMN state_code char(2) CHECK (state_code ~ '^(0[1-9]|[12][0-9]|3[0-2])$')`);
    await q.query(`
      WITH cited (sha256, state_code) AS (
        SELECT evidence->>'documentSha256', state_code FROM checklist_item WHERE evidence->>'documentSha256' IS NOT NULL
        UNION
        SELECT acta_document_sha256, state_code FROM unit WHERE acta_document_sha256 IS NOT NULL
        UNION
        SELECT after->'evidence'->>'documentSha256', state_code FROM audit_log
         WHERE action = 'transfer.checklist-item-completed' AND after->'evidence'->>'documentSha256' IS NOT NULL
        UNION
        SELECT after->'acta'->>'documentSha256', state_code FROM audit_log
         WHERE action = 'unit.status-changed' AND after->'acta'->>'documentSha256' IS NOT NULL
      ), attributable AS (
        SELECT sha256, min(state_code) AS state_code FROM cited
         WHERE state_code IS NOT NULL
         GROUP BY sha256
        HAVING count(DISTINCT state_code) = 1
      )
      UPDATE document d SET state_code = a.state_code FROM attributable a WHERE d.sha256 = a.sha256`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE document DROP COLUMN state_code`);
  }
}
