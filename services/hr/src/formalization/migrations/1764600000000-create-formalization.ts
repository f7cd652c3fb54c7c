import { MigrationInterface, QueryRunner } from 'typeorm';
import { LIST_KINDS } from '../reference-list';
import { STEPS } from '../steps';

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/**
 * Formalization campaigns, their reference lists, each candidate's criterion outcomes and step,
 * and the appointments. No foreign keys to the roster tables (worker, contract, post): a roster
 * import may end a contract and must not fail because a campaign once looked at it, and the
 * eligibility job writes 100,000 candidates taken from those very tables.
 */
export class CreateFormalization1764600000000 implements MigrationInterface {
  name = 'CreateFormalization1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE formalization_campaign (
        id           uuid PRIMARY KEY,
        name         text NOT NULL UNIQUE,
        states       char(2)[] NOT NULL CHECK (cardinality(states) > 0),
        cutoff_date  date NOT NULL,
        rules        jsonb NOT NULL,
        created_by   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        evaluated_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE formalization_list (
        campaign_id uuid NOT NULL REFERENCES formalization_campaign(id),
        kind        text NOT NULL CHECK (kind IN (${quoted(LIST_KINDS)})),
        file_name   text NOT NULL,
        sha256      char(64) NOT NULL,
        entries     integer NOT NULL,
        uploaded_by text NOT NULL,
        uploaded_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (campaign_id, kind)
      )`);
    await q.query(`
      CREATE TABLE formalization_list_entry (
        campaign_id    uuid NOT NULL,
        kind           text NOT NULL,
        curp           char(18) NOT NULL,
        row            integer NOT NULL,
        detail         text,
        score          numeric(5,2),
        training_hours integer,
        PRIMARY KEY (campaign_id, kind, curp),
        FOREIGN KEY (campaign_id, kind) REFERENCES formalization_list(campaign_id, kind) ON DELETE CASCADE
      )`);
    // Read model of the units' transfer status (transfer.unit-status-changed), for criterion 2.
    await q.query(`
      CREATE TABLE formalization_unit_status (
        unit_id    uuid PRIMARY KEY,
        status     text NOT NULL,
        reason     text,
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE formalization_candidate (
        id              uuid PRIMARY KEY,
        campaign_id     uuid NOT NULL REFERENCES formalization_campaign(id),
        worker_id       uuid NOT NULL,
        curp            char(18) NOT NULL,
        state_code      char(2) NOT NULL,
        contract_id     uuid NOT NULL,
        post_id         uuid NOT NULL,
        eligible        boolean,
        failed          text[] NOT NULL DEFAULT '{}',
        outcomes        jsonb,
        evaluated_at    timestamptz,
        step            text NOT NULL DEFAULT 'evaluated' CHECK (step IN (${quoted(STEPS)})),
        step_reason     text,
        step_changed_at timestamptz,
        CONSTRAINT formalization_candidate_worker_key UNIQUE (campaign_id, worker_id),
        CONSTRAINT formalization_candidate_curp_key UNIQUE (campaign_id, curp)
      )`);
    await q.query(`CREATE INDEX formalization_candidate_state_idx ON formalization_candidate (campaign_id, state_code, step)`);
    // The unique keys make an appointment happen once: per contract, and per person and campaign.
    await q.query(`
      CREATE TABLE formalization_appointment (
        id                     uuid PRIMARY KEY,
        campaign_id            uuid NOT NULL REFERENCES formalization_campaign(id),
        candidate_id           uuid NOT NULL UNIQUE REFERENCES formalization_candidate(id),
        worker_id              uuid NOT NULL,
        contract_id            uuid NOT NULL UNIQUE,
        post_id                uuid NOT NULL,
        state_code             char(2) NOT NULL,
        previous_contract_type text NOT NULL,
        job_id                 text,
        appointed_at           timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT formalization_appointment_worker_key UNIQUE (campaign_id, worker_id)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['formalization_appointment', 'formalization_candidate', 'formalization_unit_status', 'formalization_list_entry', 'formalization_list', 'formalization_campaign']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
