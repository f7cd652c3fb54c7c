import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox (events waiting to be published) and inbox (events already applied, per consumer group). */
export class CreateOutboxAndInbox1764100000000 implements MigrationInterface {
  name = 'CreateOutboxAndInbox1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox (
        seq        bigserial PRIMARY KEY,
        event_id   uuid NOT NULL UNIQUE,
        topic      text NOT NULL,
        key        text NOT NULL,
        type       text NOT NULL,
        correlation_id text NOT NULL,
        -- The CloudEvent as JSON text: written once, sent once, never queried inside.
        event      text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at    timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL`);
    await q.query(`CREATE INDEX outbox_unsent_by_key ON outbox (key, seq) WHERE sent_at IS NULL`);
    // Wakes the relays once per INSERT statement; NOTIFY is delivered only if the transaction commits.
    await q.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('imb_outbox', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
    await q.query(`
      CREATE TABLE inbox (
        consumer_group text NOT NULL,
        event_id       uuid NOT NULL,
        event_type     text NOT NULL,
        processed_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer_group, event_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE inbox`);
    await q.query(`DROP TABLE outbox`);
    await q.query(`DROP FUNCTION outbox_notify()`);
  }
}

/** Migrations of this library, to add to a service's DataSource. */
export const MessagingMigrations = [CreateOutboxAndInbox1764100000000];
