import { MigrationInterface, QueryRunner } from 'typeorm';
import { STAGE_DEFINITION_V1 } from '../definition-v1';

export class CreateStageDefinition1764410000000 implements MigrationInterface {
  name = 'CreateStageDefinition1764410000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stage_definition (
        version    int PRIMARY KEY CHECK (version >= 1),
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        created_by text NOT NULL,
        note       text
      )`);
    await q.query(
      `INSERT INTO stage_definition (version, definition, created_by, note) VALUES (1, $1::jsonb, 'system:transfer', $2)`,
      [JSON.stringify(STAGE_DEFINITION_V1), 'initial definition, from the published agreements (DOMAIN.md §1)'],
    );
    // Transfers created before this migration (none outside development) run on version 1.
    await q.query(`
      ALTER TABLE state_transfer
        ADD CONSTRAINT state_transfer_definition_fk FOREIGN KEY (definition_version) REFERENCES stage_definition (version)`);
    await q.query(`
      CREATE TABLE checklist_item (
        state_code         char(2) NOT NULL REFERENCES state_transfer (state_code),
        definition_version int NOT NULL REFERENCES stage_definition (version),
        stage              text NOT NULL,
        item_id            text NOT NULL,
        position           int NOT NULL,
        title              text NOT NULL,
        source             text NOT NULL CHECK (source IN ('manual', 'event')),
        event_type         text,
        done               boolean NOT NULL DEFAULT false,
        done_by            text,
        done_at            timestamptz,
        evidence           jsonb,
        note               text,
        PRIMARY KEY (state_code, definition_version, stage, item_id),
        CHECK ((source = 'event') = (event_type IS NOT NULL)),
        CHECK (done = (done_by IS NOT NULL AND done_at IS NOT NULL))
      )`);
    // The gates consumer looks up a state's open items by the event type that closes them.
    await q.query(`CREATE INDEX checklist_item_open_by_event ON checklist_item (state_code, event_type) WHERE NOT done`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE checklist_item`);
    await q.query(`ALTER TABLE state_transfer DROP CONSTRAINT state_transfer_definition_fk`);
    await q.query(`DROP TABLE stage_definition`);
  }
}
