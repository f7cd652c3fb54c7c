import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildDataSourceOptions } from '@imb/platform';
import { createDatabase, dropDatabase, testPg } from '@imb/testing';
import { transferSchema } from '../schema';
import { DocumentStateCode1765431000000 } from './migrations/1765431000000-document-state-code';

/**
 * The migration that gives documents a state, against real PostgreSQL: documents recorded before
 * it take the one state whose evidence cites their hash, and stay national-only otherwise.
 */
describe('migration DocumentStateCode (real PostgreSQL)', () => {
  let dataSource: DataSource;
  let database: string;
  const migration = new DocumentStateCode1765431000000();
  const hash = (text: string) => createHash('sha256').update(text).digest('hex');

  beforeAll(async () => {
    database = await createDatabase('transfer_document_state');
    const url = `postgres://${testPg.user}@${testPg.host}:${testPg.port}/${database}`;
    dataSource = new DataSource(buildDataSourceOptions({ url, ...transferSchema }));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
  });

  afterAll(async () => {
    await dataSource?.destroy();
    if (database) await dropDatabase(database);
  });

  async function run(step: 'up' | 'down'): Promise<void> {
    const runner = dataSource.createQueryRunner();
    try {
      await migration[step](runner);
    } finally {
      await runner.release();
    }
  }

  it('attributes each document to the single state whose checklist items, actas or audit trail cite it, and leaves the rest null', async () => {
    await run('down');
    const sha = {
      checklist13: hash('cited by a checklist item of Hidalgo'),
      acta14: hash('cited by an acta of Jalisco, uploaded twice'),
      both: hash('cited by Hidalgo and by Jalisco'),
      reopened14: hash('cited by a closure of Jalisco a restart reopened'),
      uncited: hash('cited by nobody'),
    };
    const documents: [string, string][] = [
      ['checklist13', sha.checklist13],
      ['acta14-a', sha.acta14],
      ['acta14-b', sha.acta14],
      ['both', sha.both],
      ['reopened14', sha.reopened14],
      ['uncited', sha.uncited],
    ];
    const ids = new Map(documents.map(([name]) => [name, randomUUID()]));
    for (const [name, sha256] of documents) {
      await dataSource.query(
        `INSERT INTO document (id, sha256, title, reference, document_date, media_type, size, original_name, uploaded_by, uploaded_at)
         VALUES ($1, $2, $3, 'REF', '2025-01-01', 'application/pdf', 10, 'x.pdf', 'legacy', now())`,
        [ids.get(name), sha256, name],
      );
    }
    for (const [code, name] of [['13', 'Hidalgo'], ['14', 'Jalisco']]) {
      await dataSource.query(`INSERT INTO state_transfer (state_code, state_name, stage, stage_since, definition_version) VALUES ($1, $2, 'DIAGNOSIS', now(), 1)`, [code, name]);
    }
    const item = (state: string, itemId: string, sha256: string) =>
      dataSource.query(
        `INSERT INTO checklist_item (state_code, definition_version, stage, item_id, position, title, source, done, done_by, done_at, evidence)
         VALUES ($1, 1, 'DIAGNOSIS', $2, 0, $2, 'manual', true, 'someone', now(), $3::jsonb)`,
        [state, itemId, JSON.stringify({ reference: 'R', date: '2025-01-01', documentSha256: sha256 })],
      );
    await item('13', 'transition-tables', sha.checklist13);
    await item('13', 'units-inventory', sha.both);
    // An item closed from reference data carries evidence without a document.
    await dataSource.query(
      `INSERT INTO checklist_item (state_code, definition_version, stage, item_id, position, title, source, done, done_by, done_at, evidence)
       VALUES ('14', 1, 'DIAGNOSIS', 'staff-inventory', 0, 'x', 'manual', true, 'system:reference-data', now(), '{"reference":"public joining history","date":"2023-01-01"}')`,
    );
    const unit = (clues: string, state: string, sha256: string) =>
      dataSource.query(
        `INSERT INTO unit (id, clues, state_code, name, institution, status, acta_number, acta_date, acta_document_sha256, row_hash)
         VALUES ($1, $2, $3, 'CENTRO DE SALUD', 'SSA', 'HANDED_OVER', 'ER-1', '2025-01-01', $4, 'h')`,
        [randomUUID(), clues, state, sha256],
      );
    await unit('JCSSA000011', '14', sha.acta14);
    await unit('JCSSA000022', '14', sha.both);
    // Only the audit trail remembers this closure: the item was reopened since.
    await dataSource.query(
      `INSERT INTO audit_log (id, occurred_at, actor, action, entity, entity_id, state_code, after, prev_hash, hash)
       VALUES ($1, date_trunc('milliseconds', now()), 'jimena', 'transfer.checklist-item-completed', 'ChecklistItem', '14/agreement-signed', '14', $2::jsonb, 'test-prev', 'test-hash')`,
      [randomUUID(), JSON.stringify({ id: 'agreement-signed', evidence: { reference: 'R', date: '2025-01-01', documentSha256: sha.reopened14 } })],
    );

    await run('up');

    const rows: { title: string; state_code: string | null }[] = await dataSource.query(`SELECT title, state_code FROM document ORDER BY title`);
    expect(Object.fromEntries(rows.map((r) => [r.title, r.state_code]))).toEqual({
      checklist13: '13',
      'acta14-a': '14',
      'acta14-b': '14',
      both: null,
      reopened14: '14',
      uncited: null,
    });
    await expect(dataSource.query(`UPDATE document SET state_code = '33' WHERE title = 'uncited'`)).rejects.toThrow(/check constraint/);
  });
});
