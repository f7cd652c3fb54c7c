import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEligibleUnit1764500000000 implements MigrationInterface {
  name = 'CreateEligibleUnit1764500000000';
  async up(q: QueryRunner): Promise<void> {
    // Every unit transfer has inventoried, eligible or not: the classification is kept with its
    // reason so an excluded unit can be explained, and recomputed when the rules change.
    await q.query(`
      CREATE TABLE eligible_unit (
        unit_id            uuid PRIMARY KEY,
        clues              text NOT NULL,
        previous_clues     text,
        state_code         char(2) NOT NULL,
        name               text NOT NULL,
        establishment_type text,
        typology           text,
        care_level         text,
        stratum            text,
        locality_code      char(9),
        locality           text,
        latitude           double precision,
        longitude          double precision,
        transfer_status    text NOT NULL DEFAULT 'INVENTORIED',
        eligible           boolean NOT NULL,
        tier               text,
        amount             numeric(16, 2),
        exclusion_reason   text,
        exclusion_message  text,
        updated_at         timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT eligible_unit_reason CHECK (eligible = (exclusion_reason IS NULL))
      )`);
    await q.query(`CREATE INDEX eligible_unit_state ON eligible_unit (state_code, clues)`);
    await q.query(`CREATE INDEX eligible_unit_clues ON eligible_unit (clues)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE eligible_unit`);
  }
}
