import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Timeline lines stored before the timeline stopped naming people (docs/data-access.md): the
 * appointment lines are reworded as they are now written, and any other CURP-shaped run (a
 * reason someone typed) is replaced, as `redactCurps` does for new lines. Not reversible: the
 * CURPs are gone on purpose.
 */
export class TimelineWithoutCurps1765400000000 implements MigrationInterface {
  name = 'TimelineWithoutCurps1765400000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `UPDATE overview_event SET summary = regexp_replace(summary, '^Worker [A-Za-z0-9]{18} appointed', '1 worker appointed')
        WHERE type = 'hr.worker-formalized.v1' AND summary ~ '^Worker [A-Za-z0-9]{18} appointed'`,
    );
    await q.query(
      `UPDATE overview_event SET summary = regexp_replace(summary, '[A-Za-z]{4}[0-9]{6}[HMXhmx][A-Za-z]{5}[A-Za-z0-9][0-9]', '[curp]', 'g')
        WHERE summary ~ '[A-Za-z]{4}[0-9]{6}[HMXhmx][A-Za-z]{5}[A-Za-z0-9][0-9]'`,
    );
  }

  async down(): Promise<void> {
    // Nothing to restore: the removed CURPs must not come back.
  }
}
