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
        event      jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at    timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_unsent ON outbox (seq) WHERE sent_at IS NULL`);
    await q.query(`CREATE INDEX outbox_unsent_by_key ON outbox (key, seq) WHERE sent_at IS NULL`);
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
  }
}

/** Migrations of this library, to add to a service's DataSource. */
export const MessagingMigrations = [CreateOutboxAndInbox1764100000000];
