import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateTender1765050000000 implements MigrationInterface {
  name = 'CreateTender1765050000000';
  async up(q: QueryRunner): Promise<void> {
    // The rules of an exercise's tender and of the contracts opened from it (our rules, configurable).
    await q.query(`
      CREATE TABLE tender_terms (
        exercise_code         text PRIMARY KEY REFERENCES exercise (code),
        award_shares          int[] NOT NULL DEFAULT '{100}',
        compliance_threshold  numeric(5, 4) NOT NULL DEFAULT 0.5 CHECK (compliance_threshold BETWEEN 0 AND 1),
        compliance_months     int NOT NULL DEFAULT 6 CHECK (compliance_months BETWEEN 1 AND 36),
        penalty_rate_per_day  numeric(7, 6) NOT NULL DEFAULT 0.01 CHECK (penalty_rate_per_day BETWEEN 0 AND 1),
        penalty_cap_share     numeric(5, 4) NOT NULL DEFAULT 0.1 CHECK (penalty_cap_share BETWEEN 0 AND 1),
        updated_by            text NOT NULL,
        updated_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE reference_price (
        exercise_code  text NOT NULL REFERENCES exercise (code),
        clave          text NOT NULL,
        price          numeric(16, 4) NOT NULL CHECK (price > 0),
        updated_by     text NOT NULL,
        updated_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (exercise_code, clave)
      )`);
    // One bid per supplier and clave; price or quantity may be missing (the bid is then not solvent).
    await q.query(`
      CREATE TABLE bid (
        id                uuid PRIMARY KEY,
        exercise_code     text NOT NULL REFERENCES exercise (code),
        clave             text NOT NULL,
        supplier_rfc      text NOT NULL,
        unit_price        numeric(16, 4) CHECK (unit_price > 0),
        offered_quantity  bigint CHECK (offered_quantity > 0),
        submitted_at      timestamptz NOT NULL DEFAULT now(),
        source            text NOT NULL,
        solvent           boolean,
        reasons           jsonb,
        evaluated_at      timestamptz,
        CONSTRAINT bid_one_per_supplier UNIQUE (exercise_code, clave, supplier_rfc)
      )`);
    // Delivery record of suppliers from before the system existed, per month.
    await q.query(`
      CREATE TABLE supplier_compliance_history (
        supplier_rfc    text NOT NULL,
        month           date NOT NULL CHECK (extract(day FROM month) = 1),
        pieces_due      bigint NOT NULL CHECK (pieces_due >= 0),
        pieces_on_time  bigint NOT NULL CHECK (pieces_on_time >= 0 AND pieces_on_time <= pieces_due),
        recorded_by     text NOT NULL,
        recorded_at     timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (supplier_rfc, month)
      )`);
    // An uploaded bid file waits here for its import job (so a restart loses nothing); the job deletes it.
    await q.query(`
      CREATE TABLE bid_import_file (
        id          uuid PRIMARY KEY,
        name        text NOT NULL,
        format      text NOT NULL CHECK (format IN ('xlsx', 'csv')),
        content     bytea NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE tender_evaluation (
        exercise_code  text PRIMARY KEY REFERENCES exercise (code),
        as_of          date NOT NULL,
        window_from    date NOT NULL,
        window_to      date NOT NULL,
        awarded        int NOT NULL,
        deserted       int NOT NULL,
        not_solvent    int NOT NULL,
        evaluated_at   timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE clave_outcome (
        exercise_code    text NOT NULL REFERENCES exercise (code),
        clave            text NOT NULL,
        outcome          text NOT NULL CHECK (outcome IN ('AWARDED', 'DESERTED', 'NOT_SOLVENT')),
        reference_price  numeric(16, 4),
        bids             int NOT NULL,
        solvent_bids     int NOT NULL,
        evaluated_at     timestamptz NOT NULL,
        PRIMARY KEY (exercise_code, clave)
      )`);
    await q.query(`CREATE INDEX clave_outcome_by_outcome ON clave_outcome (exercise_code, outcome)`);
    await q.query(`
      CREATE TABLE award (
        id             uuid PRIMARY KEY,
        exercise_code  text NOT NULL,
        clave          text NOT NULL,
        supplier_rfc   text NOT NULL,
        bid_id         uuid NOT NULL REFERENCES bid (id),
        unit_price     numeric(16, 4) NOT NULL,
        share_pct      numeric(5, 2) NOT NULL,
        min            bigint NOT NULL CHECK (min >= 0),
        max            bigint NOT NULL CHECK (max >= min),
        rank           int NOT NULL,
        FOREIGN KEY (exercise_code, clave) REFERENCES clave_outcome (exercise_code, clave) ON DELETE CASCADE,
        CONSTRAINT award_one_per_supplier UNIQUE (exercise_code, clave, supplier_rfc)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE award, clave_outcome, tender_evaluation, bid_import_file, supplier_compliance_history, bid, reference_price, tender_terms`);
  }
}
