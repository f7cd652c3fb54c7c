import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCommittee1764530000000 implements MigrationInterface {
  name = 'CreateCommittee1764530000000';
  async up(q: QueryRunner): Promise<void> {
    // Members are stored as one JSON list: the committee is elected and replaced as a whole by an
    // assembly. Bank cards are kept as their last 4 digits only; the check refuses anything else.
    await q.query(`
      CREATE TABLE committee (
        unit_id         uuid PRIMARY KEY REFERENCES eligible_unit (unit_id),
        clues           text NOT NULL,
        state_code      char(2) NOT NULL,
        assembly_date   date NOT NULL,
        acta_reference  text NOT NULL,
        members         jsonb NOT NULL CHECK (jsonb_array_length(members) = 5),
        card_last4      char(4) CHECK (card_last4 ~ '^[0-9]{4}$'),
        version         int NOT NULL DEFAULT 1,
        updated_by      text NOT NULL,
        updated_at      timestamptz NOT NULL DEFAULT now()
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE committee`);
  }
}
