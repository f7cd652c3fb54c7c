import { MigrationInterface, QueryRunner } from 'typeorm';
import { UNIT_STATUSES } from '@imb/contracts';
import { OWNERSHIPS, REGULARIZATION_STATUSES } from '../unit-lifecycle';

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export class CreateUnit1764420000000 implements MigrationInterface {
  name = 'CreateUnit1764420000000';
  async up(q: QueryRunner): Promise<void> {
    // No foreign key to state_transfer: imports write tens of thousands of rows per chunk and the
    // state code is validated (and derived from the CLUES) before any write.
    await q.query(`
      CREATE TABLE unit (
        id                    uuid PRIMARY KEY,
        clues                 text NOT NULL CONSTRAINT unit_clues_key UNIQUE,
        previous_clues        text CONSTRAINT unit_previous_clues_key UNIQUE,
        state_code            char(2) NOT NULL,
        name                  text NOT NULL,
        institution           text NOT NULL,
        establishment_type    text,
        typology              text,
        care_level            text,
        stratum               text,
        municipality_code     char(5),
        locality_code         char(9),
        locality              text,
        latitude              double precision CHECK (latitude BETWEEN -90 AND 90),
        longitude             double precision CHECK (longitude BETWEEN -180 AND 180),
        operation_status      text,
        ownership             text CHECK (ownership IN (${quoted(OWNERSHIPS)})),
        regularization_status text CHECK (regularization_status IN (${quoted(REGULARIZATION_STATUSES)})),
        status                text NOT NULL DEFAULT 'INVENTORIED' CHECK (status IN (${quoted(UNIT_STATUSES)})),
        status_reason         text,
        acta_number           text,
        acta_date             date,
        acta_document_sha256  char(64),
        row_hash              text NOT NULL,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT unit_keys_differ CHECK (previous_clues IS NULL OR previous_clues <> clues)
      )`);
    await q.query(`CREATE INDEX unit_by_state_status ON unit (state_code, status)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE unit`);
  }
}
