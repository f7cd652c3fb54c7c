import type { EntityManager } from 'typeorm';
import { cluesStateCode, stateByCode } from '@imb/contracts';
import type { JobRowError } from '@imb/jobs';
import { copyRows, CopyValue } from '@imb/platform';
import { ROSTER_COLUMNS, RosterRow } from './roster-row';

/**
 * The database side of a roster import, one chunk at a time inside the chunk's transaction.
 * Rows are first checked against what only the database knows (the unit behind a CLUES, the
 * post codes, a CURP already on another state's roster, a base contract the row would end); the
 * rest is upserted by natural key — worker by CURP, post by (state, number), contract by post —
 * set-based: the chunk's valid rows are COPYed into a temporary staging table (emptied at
 * commit); the keys not in a table yet are inserted with a plain INSERT (cheaper than an upsert's
 * speculative insertion); unless that inserted every staged row, the rows that changed are then
 * upserted, skipping those that did not, so a re-import writes nothing.
 * Chunk writes of all roster imports are serialized by a transaction-level advisory lock (which
 * formalization takes too), so no other import inserts the same key between the check and the
 * insert, and no appointment changes a contract under them.
 */

export interface ChunkCounts {
  workersInserted: number;
  workersUpdated: number;
  postsInserted: number;
  postsUpdated: number;
  contractsInserted: number;
  contractsUpdated: number;
  contractsEnded: number;
}

export const noCounts = (): ChunkCounts => ({
  workersInserted: 0, workersUpdated: 0, postsInserted: 0, postsUpdated: 0, contractsInserted: 0, contractsUpdated: 0, contractsEnded: 0,
});

export interface ChunkOutcome {
  counts: ChunkCounts;
  /** Rows refused on database grounds. */
  errors: JobRowError[];
  /** Rows that passed every check (written, or in a dry run, writable). */
  valid: number;
}

interface ResolvedRow extends RosterRow {
  unitId: string;
}

/** Columns of the staging table a chunk's valid rows are COPYed into. */
const STAGE_COLUMNS = [
  'post_number', 'post_code', 'unit_id', 'funded', 'post_status', 'curp', 'rfc', 'name', 'profession', 'licence',
  'contract_type', 'origin', 'starts_on', 'ends_on',
] as const;

function* stageRows(rows: ResolvedRow[]): Generator<CopyValue[]> {
  for (const r of rows) {
    const w = r.worker;
    const c = r.contract;
    yield [
      r.postNumber, r.postCode, r.unitId, r.funded, r.postStatus, w?.curp, w?.rfc, w?.name, w?.profession, w?.licence,
      c?.type, c?.origin, c?.startsOn, c?.endsOn,
    ];
  }
}

/**
 * Takes (until the transaction ends) the lock that serializes roster writes: a roster chunk takes
 * it before its checks, and formalization before it reads the contracts it appoints to, so a
 * chunk never decides on a contract that an appointment is changing, nor the reverse.
 */
export async function lockRosterWrites(m: Pick<EntityManager, 'query'>): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtext('hr.roster-import.write'))`);
}

/** Runs an INSERT … SELECT and returns the number of rows it inserted. */
async function countInserted(m: EntityManager, insert: string, params: unknown[]): Promise<number> {
  const [row] = await m.query<{ n: number }[]>(`WITH inserted AS (${insert} RETURNING 1) SELECT count(*)::int AS n FROM inserted`, params);
  return row.n;
}

/** Runs the upsert of the rows a plain INSERT left, unless it inserted all `staged` rows. */
const upsertUnlessAllInserted = (inserted: number, staged: number, m: EntityManager, upsert: string, params: unknown[]) =>
  inserted === staged ? Promise.resolve({ inserted: 0, updated: 0 }) : countChanges(m, upsert, params);

/** Runs an upsert that returns `(xmax = 0) AS inserted` per changed row, and counts the rows it inserted and updated. */
async function countChanges(m: EntityManager, upsert: string, params: unknown[]): Promise<{ inserted: number; updated: number }> {
  const [row] = await m.query<{ inserted: number; updated: number }[]>(
    `WITH changed AS (${upsert})
     SELECT count(*) FILTER (WHERE inserted)::int AS inserted, count(*) FILTER (WHERE NOT inserted)::int AS updated FROM changed`,
    params,
  );
  return row;
}

/** Checks the rows against units, post codes and other states' rosters, then (unless `dryRun`) writes them. */
export async function applyRosterChunk(
  m: EntityManager,
  opts: { stateCode: string; jobId: string; reason: string; dryRun: boolean; endBaseContracts: boolean; postCodes: ReadonlySet<string> },
  rows: RosterRow[],
): Promise<ChunkOutcome> {
  const { stateCode, jobId, reason, dryRun, endBaseContracts, postCodes } = opts;
  const errors: JobRowError[] = [];
  const counts = noCounts();
  if (!rows.length) return { counts, errors, valid: 0 };
  // Taken before the other-state CURP check, so no other import can add a CURP between that check
  // and this chunk's insert (a dry run writes nothing and needs no lock).
  if (!dryRun) await lockRosterWrites(m);

  const clues = [...new Set(rows.map((r) => r.clues))];
  const units = await m.query<{ unit_id: string; clues: string; previous_clues: string | null; state_code: string }[]>(
    `SELECT unit_id, clues, previous_clues, state_code FROM hr_unit WHERE clues = ANY($1::text[]) OR previous_clues = ANY($1::text[])`,
    [clues],
  );
  const unitOf = new Map<string, { unit_id: string; state_code: string }>();
  for (const u of units) {
    unitOf.set(u.clues, u);
    if (u.previous_clues) unitOf.set(u.previous_clues, u);
  }
  const curps = rows.flatMap((r) => (r.worker ? [r.worker.curp] : []));
  const elsewhere = new Map(
    (
      await m.query<{ curp: string; state_code: string }[]>(
        `SELECT curp, state_code FROM worker WHERE curp = ANY($1::bpchar[]) AND state_code <> $2`,
        [curps, stateCode],
      )
    ).map((w) => [w.curp, w.state_code]),
  );

  // A base contract is a permanent appointment (formalization, or a payroll that said so): a row
  // that would end it — its post vacant or frozen, or held by someone else — is refused unless the
  // import says the payroll is current (an older or wrong export must not end it).
  const baseHolder = new Map(
    endBaseContracts
      ? []
      : (
          await m.query<{ number: string; curp: string }[]>(
            `SELECT p.number, w.curp FROM post p JOIN contract c ON c.post_id = p.id JOIN worker w ON w.id = c.worker_id
              WHERE p.state_code = $1 AND p.number = ANY($2::text[]) AND c.type = 'base'`,
            [stateCode, rows.map((r) => r.postNumber)],
          )
        ).map((h) => [h.number, h.curp]),
  );

  const resolved: ResolvedRow[] = [];
  const flags: { curp: string; workerState: string; row: number }[] = [];
  for (const r of rows) {
    const before = errors.length;
    const unit = unitOf.get(r.clues);
    if (!unit) {
      const owner = cluesStateCode(r.clues);
      errors.push({ row: r.row, field: ROSTER_COLUMNS.clues.label, message: `unknown CLUES ${r.clues}: no unit of the transfer inventory has this key${owner && owner !== stateCode ? ` (it is a key of state ${owner})` : ''}` });
    } else if (unit.state_code !== stateCode) {
      errors.push({ row: r.row, field: ROSTER_COLUMNS.clues.label, message: `CLUES ${r.clues} is a unit of ${stateByCode(unit.state_code)?.name} (${unit.state_code}), not of state ${stateCode}` });
    }
    if (!postCodes.has(r.postCode)) {
      errors.push({ row: r.row, field: ROSTER_COLUMNS.postCode.label, message: `unknown post code ${r.postCode}: add it to the catalogue (POST /api/hr/post-codes) or correct the row` });
    }
    const holder = baseHolder.get(r.postNumber);
    if (holder && holder !== r.worker?.curp) {
      const change = r.worker ? `give it to CURP ${r.worker.curp}` : `make it ${r.postStatus}`;
      errors.push({
        row: r.row,
        field: r.worker ? ROSTER_COLUMNS.curp.label : ROSTER_COLUMNS.postStatus.label,
        message:
          `post ${r.postNumber} holds the base (permanent) contract of CURP ${holder}: this row would ${change} and end that appointment, ` +
          `so it is left out. If the payroll is current (the holder left the post), import it again with endBaseContracts=true.`,
      });
    }
    const otherState = r.worker ? elsewhere.get(r.worker.curp) : undefined;
    if (r.worker && otherState) {
      // The officer needs to know the person holds a post elsewhere, not where: that other state's
      // roster is not hers to read (the flag keeps the state for those who may).
      errors.push({
        row: r.row,
        field: ROSTER_COLUMNS.curp.label,
        message: `duplicate: CURP ${r.worker.curp} already holds a post in another state; flagged for review, not duplicated`,
      });
      flags.push({ curp: r.worker.curp, workerState: otherState, row: r.row });
    }
    if (errors.length === before) resolved.push({ ...r, unitId: unit!.unit_id });
  }
  if (dryRun) return { counts, errors, valid: resolved.length };

  if (flags.length) {
    await m.query(
      `INSERT INTO curp_flag (curp, state_code, worker_state, job_id, row)
       SELECT v.curp, $1, v.worker_state, $2, v.row FROM unnest($3::text[], $4::text[], $5::int[]) AS v(curp, worker_state, row)
       ON CONFLICT (curp, state_code) DO NOTHING`,
      [stateCode, jobId, flags.map((f) => f.curp), flags.map((f) => f.workerState), flags.map((f) => f.row)],
    );
  }
  if (!resolved.length) return { counts, errors, valid: 0 };

  await m.query(
    `CREATE TEMP TABLE IF NOT EXISTS roster_import_stage (
       post_number text, post_code text, unit_id uuid, funded boolean, post_status text, curp char(18), rfc text, name text,
       profession text, licence text, contract_type text, origin text, starts_on date, ends_on date
     ) ON COMMIT DELETE ROWS`,
  );
  await copyRows(m, 'roster_import_stage', STAGE_COLUMNS, stageRows(resolved));
  // Every lookup below probes a unique index once per staged row: OFFSET 0 keeps the planner
  // from turning it into a join that hashes the whole table for every chunk (the tables' statistics
  // lag behind an import that fills them from empty, and such plans made imports quadratic).

  counts.workersInserted = await countInserted(
    m,
    `INSERT INTO worker (id, curp, rfc, name, profession, licence, state_code)
     SELECT gen_random_uuid(), s.curp, s.rfc, s.name, s.profession, s.licence, $1
       FROM roster_import_stage s
      WHERE s.post_status = 'occupied' AND NOT EXISTS (SELECT 1 FROM worker w WHERE w.curp = s.curp OFFSET 0)`,
    [stateCode],
  );
  const occupied = resolved.filter((r) => r.worker).length;
  const workers = await upsertUnlessAllInserted(
    counts.workersInserted,
    occupied,
    m,
    `INSERT INTO worker (id, curp, rfc, name, profession, licence, state_code)
     SELECT gen_random_uuid(), s.curp, s.rfc, s.name, s.profession, s.licence, $1
       FROM roster_import_stage s
      WHERE s.post_status = 'occupied'
        AND NOT EXISTS (SELECT 1 FROM worker w WHERE w.curp = s.curp
                           AND (w.rfc, w.name, w.profession, w.licence) IS NOT DISTINCT FROM (s.rfc, s.name, s.profession, s.licence) OFFSET 0)
     ON CONFLICT (curp) DO UPDATE SET rfc = EXCLUDED.rfc, name = EXCLUDED.name, profession = EXCLUDED.profession,
       licence = EXCLUDED.licence, updated_at = now()
     WHERE worker.state_code = EXCLUDED.state_code
       AND (worker.rfc, worker.name, worker.profession, worker.licence) IS DISTINCT FROM (EXCLUDED.rfc, EXCLUDED.name, EXCLUDED.profession, EXCLUDED.licence)
     RETURNING (xmax = 0) AS inserted`,
    [stateCode],
  );
  counts.workersInserted += workers.inserted;
  counts.workersUpdated = workers.updated;

  counts.postsInserted = await countInserted(
    m,
    `INSERT INTO post (id, state_code, number, code, unit_id, funded, status, status_reason)
     SELECT gen_random_uuid(), $1, s.post_number, s.post_code, s.unit_id, s.funded, s.post_status, $2
       FROM roster_import_stage s
      WHERE NOT EXISTS (SELECT 1 FROM post p WHERE p.state_code = $1 AND p.number = s.post_number OFFSET 0)`,
    [stateCode, reason],
  );
  const posts = await upsertUnlessAllInserted(
    counts.postsInserted,
    resolved.length,
    m,
    `INSERT INTO post (id, state_code, number, code, unit_id, funded, status, status_reason)
     SELECT gen_random_uuid(), $1, s.post_number, s.post_code, s.unit_id, s.funded, s.post_status, $2
       FROM roster_import_stage s
      WHERE NOT EXISTS (SELECT 1 FROM post p WHERE p.state_code = $1 AND p.number = s.post_number
                           AND (p.code, p.unit_id, p.funded, p.status) IS NOT DISTINCT FROM (s.post_code, s.unit_id, s.funded, s.post_status) OFFSET 0)
     ON CONFLICT (state_code, number) DO UPDATE SET code = EXCLUDED.code, unit_id = EXCLUDED.unit_id, funded = EXCLUDED.funded,
       status = EXCLUDED.status, status_reason = EXCLUDED.status_reason, updated_at = now()
     WHERE (post.code, post.unit_id, post.funded, post.status) IS DISTINCT FROM (EXCLUDED.code, EXCLUDED.unit_id, EXCLUDED.funded, EXCLUDED.status)
     RETURNING (xmax = 0) AS inserted`,
    [stateCode, reason],
  );
  counts.postsInserted += posts.inserted;
  counts.postsUpdated = posts.updated;

  const [ended] = await m.query<{ n: number }[]>(
    `WITH ended AS (
       DELETE FROM contract WHERE id = ANY (ARRAY(
         SELECT c.id FROM roster_import_stage s
          CROSS JOIN LATERAL (SELECT id FROM post WHERE state_code = $1 AND number = s.post_number OFFSET 0) p
          CROSS JOIN LATERAL (SELECT id FROM contract WHERE post_id = p.id OFFSET 0) c
          WHERE s.post_status <> 'occupied'))
       RETURNING id)
     SELECT count(*)::int AS n FROM ended`,
    [stateCode],
  );
  counts.contractsEnded = ended.n;

  // A base contract (a formalization appointment, or a payroll that said so) stays base and
  // open-ended while the same person holds the post: an older payroll listing them as eventual,
  // temporal or honorarios does not revert it. A different person in the post is a new contract.
  const keptBase = `contract.type = 'base' AND EXCLUDED.type <> 'base' AND contract.worker_id = EXCLUDED.worker_id`;
  counts.contractsInserted = await countInserted(
    m,
    `INSERT INTO contract (id, post_id, worker_id, state_code, type, origin, starts_on, ends_on)
     SELECT gen_random_uuid(), p.id, w.id, $1, s.contract_type, s.origin, s.starts_on, s.ends_on
       FROM roster_import_stage s
      CROSS JOIN LATERAL (SELECT id FROM post WHERE state_code = $1 AND number = s.post_number OFFSET 0) p
      CROSS JOIN LATERAL (SELECT id FROM worker WHERE curp = s.curp OFFSET 0) w
      WHERE s.post_status = 'occupied' AND NOT EXISTS (SELECT 1 FROM contract c WHERE c.post_id = p.id OFFSET 0)`,
    [stateCode],
  );
  const contracts = await upsertUnlessAllInserted(
    counts.contractsInserted,
    occupied,
    m,
    `INSERT INTO contract (id, post_id, worker_id, state_code, type, origin, starts_on, ends_on)
     SELECT gen_random_uuid(), p.id, w.id, $1, s.contract_type, s.origin, s.starts_on, s.ends_on
       FROM roster_import_stage s
      CROSS JOIN LATERAL (SELECT id FROM post WHERE state_code = $1 AND number = s.post_number OFFSET 0) p
      CROSS JOIN LATERAL (SELECT id FROM worker WHERE curp = s.curp OFFSET 0) w
      WHERE s.post_status = 'occupied'
        AND NOT EXISTS (SELECT 1 FROM contract c WHERE c.post_id = p.id
                           AND (c.worker_id, c.type, c.origin, c.starts_on, c.ends_on) IS NOT DISTINCT FROM (w.id, s.contract_type, s.origin, s.starts_on, s.ends_on) OFFSET 0)
     ON CONFLICT (post_id) DO UPDATE SET worker_id = EXCLUDED.worker_id, origin = EXCLUDED.origin, starts_on = EXCLUDED.starts_on,
       type = CASE WHEN ${keptBase} THEN contract.type ELSE EXCLUDED.type END,
       ends_on = CASE WHEN ${keptBase} THEN contract.ends_on ELSE EXCLUDED.ends_on END,
       updated_at = now()
     WHERE (contract.worker_id, contract.origin, contract.starts_on) IS DISTINCT FROM (EXCLUDED.worker_id, EXCLUDED.origin, EXCLUDED.starts_on)
        OR (NOT (${keptBase}) AND (contract.type, contract.ends_on) IS DISTINCT FROM (EXCLUDED.type, EXCLUDED.ends_on))
     RETURNING (xmax = 0) AS inserted`,
    [stateCode],
  );
  counts.contractsInserted += contracts.inserted;
  counts.contractsUpdated = contracts.updated;
  return { counts, errors, valid: resolved.length };
}
