import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDisbursement1764520000000 implements MigrationInterface {
  name = 'CreateDisbursement1764520000000';
  async up(q: QueryRunner): Promise<void> {
    // The idempotency key is unique per allocation: a repeated request finds the first payment.
    await q.query(`
      CREATE TABLE disbursement (
        id               uuid PRIMARY KEY,
        allocation_id    uuid NOT NULL REFERENCES allocation (id),
        amount           numeric(16, 2) NOT NULL CHECK (amount > 0),
        reference        text NOT NULL,
        idempotency_key  text NOT NULL,
        disbursed_total  numeric(16, 2) NOT NULL,
        disbursed_by     text NOT NULL,
        disbursed_at     timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT disbursement_idempotency_key UNIQUE (allocation_id, idempotency_key)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE disbursement`);
  }
}
