import { MigrationInterface, QueryRunner } from 'typeorm';
import { EXPENSE_CATEGORIES } from '../works.dto';

export class CreateWorks1764550000000 implements MigrationInterface {
  name = 'CreateWorks1764550000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE expense (
        id                 uuid PRIMARY KEY,
        allocation_id      uuid NOT NULL REFERENCES allocation (id),
        category           text NOT NULL CHECK (category IN (${EXPENSE_CATEGORIES.map((c) => `'${c}'`).join(', ')})),
        amount             numeric(16, 2) NOT NULL CHECK (amount > 0),
        description        text NOT NULL,
        receipt_reference  text NOT NULL,
        spent_on           date NOT NULL,
        recorded_by        text NOT NULL,
        recorded_at        timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX expense_allocation ON expense (allocation_id)`);
    await q.query(`
      CREATE TABLE project (
        allocation_id    uuid PRIMARY KEY REFERENCES allocation (id),
        review_date      date,
        review_acta      text,
        reviewed_by      text,
        verified_by      text,
        completed_at     timestamptz
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE project`);
    await q.query(`DROP TABLE expense`);
  }
}
