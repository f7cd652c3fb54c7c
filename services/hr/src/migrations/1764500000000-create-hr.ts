import { MigrationInterface, QueryRunner } from 'typeorm';
import { BRANCHES, CATEGORIES, SEED_POST_CODES } from '../post-codes/post-code';
import { CONTRACT_ORIGINS, CONTRACT_TYPES, POST_STATUSES } from '../rosters/roster-row';

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export class CreateHr1764500000000 implements MigrationInterface {
  name = 'CreateHr1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE post_code (
        code       text PRIMARY KEY,
        title      text NOT NULL,
        branch     text NOT NULL CHECK (branch IN (${quoted(BRANCHES)})),
        category   text NOT NULL CHECK (category IN (${quoted(CATEGORIES)})),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `INSERT INTO post_code (code, title, branch, category)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])`,
      [
        SEED_POST_CODES.map((p) => p.code),
        SEED_POST_CODES.map((p) => p.title),
        SEED_POST_CODES.map((p) => p.branch),
        SEED_POST_CODES.map((p) => p.category),
      ],
    );
    // Read model of the transfer service's units: the unit id survives a re-registration.
    await q.query(`
      CREATE TABLE hr_unit (
        unit_id        uuid PRIMARY KEY,
        clues          text NOT NULL UNIQUE,
        previous_clues text UNIQUE,
        state_code     char(2) NOT NULL,
        name           text NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE worker (
        id          uuid PRIMARY KEY,
        curp        char(18) NOT NULL UNIQUE,
        rfc         text,
        name        text NOT NULL,
        profession  text,
        licence     text,
        state_code  char(2) NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE post (
        id            uuid PRIMARY KEY,
        state_code    char(2) NOT NULL,
        number        text NOT NULL,
        code          text NOT NULL REFERENCES post_code(code),
        unit_id       uuid NOT NULL REFERENCES hr_unit(unit_id),
        funded        boolean NOT NULL,
        status        text NOT NULL CHECK (status IN (${quoted(POST_STATUSES)})),
        status_reason text NOT NULL,
        permanent     boolean NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now(),
        updated_at    timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT post_number_key UNIQUE (state_code, number)
      )`);
    await q.query(`CREATE INDEX post_unit_idx ON post (unit_id)`);
    // One contract per post (the person in it); a worker may hold several posts.
    await q.query(`
      CREATE TABLE contract (
        id          uuid PRIMARY KEY,
        post_id     uuid NOT NULL UNIQUE REFERENCES post(id),
        worker_id   uuid NOT NULL REFERENCES worker(id),
        state_code  char(2) NOT NULL,
        type        text NOT NULL CHECK (type IN (${quoted(CONTRACT_TYPES)})),
        origin      text NOT NULL CHECK (origin IN (${quoted(CONTRACT_ORIGINS)})),
        starts_on   date NOT NULL,
        ends_on     date,
        created_at  timestamptz NOT NULL DEFAULT now(),
        updated_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contract_worker_idx ON contract (worker_id)`);
    await q.query(`CREATE INDEX contract_state_idx ON contract (state_code)`);
    // A CURP that arrived from a second state: kept for review, never a second worker.
    await q.query(`
      CREATE TABLE curp_flag (
        curp          char(18) NOT NULL,
        state_code    char(2) NOT NULL,
        worker_state  char(2) NOT NULL,
        job_id        text NOT NULL,
        row           integer NOT NULL,
        flagged_at    timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (curp, state_code)
      )`);
    await q.query(`
      CREATE TABLE hiring_target (
        state_code char(2) NOT NULL,
        category   text NOT NULL CHECK (category IN (${quoted(CATEGORIES)})),
        target     integer NOT NULL CHECK (target >= 0),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (state_code, category)
      )`);
    await q.query(`
      CREATE TABLE payroll_transfer (
        state_code     char(2) PRIMARY KEY,
        effective_date date NOT NULL,
        workers        integer NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['payroll_transfer', 'hiring_target', 'curp_flag', 'contract', 'post', 'worker', 'hr_unit', 'post_code']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
