import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { cluesStateCode, stateByCode } from '@imb/contracts';
import type { JobRowError } from '@imb/jobs';
import { ROSTER_COLUMNS, RosterRow } from './roster-row';

/**
 * The database side of a roster import, one chunk at a time inside the chunk's transaction.
 * Rows are first checked against what only the database knows (the unit behind a CLUES, the
 * post codes, a CURP already on another state's roster); the rest is upserted by natural key —
 * worker by CURP, post by (state, number), contract by post — skipping rows that did not change,
 * so a re-import writes nothing.
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

const changedCount = (rows: { inserted: boolean }[]) => ({ inserted: rows.filter((r) => r.inserted).length, updated: rows.filter((r) => !r.inserted).length });

/** Checks the rows against units, post codes and other states' rosters, then (unless `dryRun`) writes them. */
export async function applyRosterChunk(
  m: EntityManager,
  opts: { stateCode: string; jobId: string; reason: string; dryRun: boolean; postCodes: ReadonlySet<string> },
  rows: RosterRow[],
): Promise<ChunkOutcome> {
  const { stateCode, jobId, reason, dryRun, postCodes } = opts;
  const errors: JobRowError[] = [];
  const counts = noCounts();
  if (!rows.length) return { counts, errors, valid: 0 };

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
        `SELECT curp, state_code FROM worker WHERE curp = ANY($1::text[]) AND state_code <> $2`,
        [curps, stateCode],
      )
    ).map((w) => [w.curp, w.state_code]),
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
    const otherState = r.worker ? elsewhere.get(r.worker.curp) : undefined;
    if (r.worker && otherState) {
      errors.push({
        row: r.row,
        field: ROSTER_COLUMNS.curp.label,
        message: `duplicate: CURP ${r.worker.curp} is already on the roster of ${stateByCode(otherState)?.name} (${otherState}); flagged for review, not duplicated`,
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

  const occupied = resolved.filter((r) => r.worker && r.contract);
  if (occupied.length) {
    const w = occupied.map((r) => r.worker!);
    const changed = await m.query<{ inserted: boolean }[]>(
      `INSERT INTO worker (id, curp, rfc, name, profession, licence, state_code)
       SELECT v.id, v.curp, v.rfc, v.name, v.profession, v.licence, $7
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS v(id, curp, rfc, name, profession, licence)
       ON CONFLICT (curp) DO UPDATE SET rfc = EXCLUDED.rfc, name = EXCLUDED.name, profession = EXCLUDED.profession,
         licence = EXCLUDED.licence, updated_at = now()
       WHERE worker.state_code = EXCLUDED.state_code
         AND (worker.rfc, worker.name, worker.profession, worker.licence) IS DISTINCT FROM (EXCLUDED.rfc, EXCLUDED.name, EXCLUDED.profession, EXCLUDED.licence)
       RETURNING (xmax = 0) AS inserted`,
      [w.map(() => randomUUID()), w.map((x) => x.curp), w.map((x) => x.rfc), w.map((x) => x.name), w.map((x) => x.profession), w.map((x) => x.licence), stateCode],
    );
    const c = changedCount(changed);
    counts.workersInserted = c.inserted;
    counts.workersUpdated = c.updated;
  }

  const posts = await m.query<{ id: string; number: string; inserted: boolean }[]>(
    `INSERT INTO post (id, state_code, number, code, unit_id, funded, status, status_reason)
     SELECT v.id, $7, v.number, v.code, v.unit_id, v.funded, v.status, $8
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::uuid[], $5::bool[], $6::text[]) AS v(id, number, code, unit_id, funded, status)
     ON CONFLICT (state_code, number) DO UPDATE SET code = EXCLUDED.code, unit_id = EXCLUDED.unit_id, funded = EXCLUDED.funded,
       status = EXCLUDED.status, status_reason = EXCLUDED.status_reason, updated_at = now()
     WHERE (post.code, post.unit_id, post.funded, post.status) IS DISTINCT FROM (EXCLUDED.code, EXCLUDED.unit_id, EXCLUDED.funded, EXCLUDED.status)
     RETURNING id, number, (xmax = 0) AS inserted`,
    [
      resolved.map(() => randomUUID()),
      resolved.map((r) => r.postNumber),
      resolved.map((r) => r.postCode),
      resolved.map((r) => r.unitId),
      resolved.map((r) => r.funded),
      resolved.map((r) => r.postStatus),
      stateCode,
      reason,
    ],
  );
  const p = changedCount(posts);
  counts.postsInserted = p.inserted;
  counts.postsUpdated = p.updated;

  const notOccupied = resolved.filter((r) => r.postStatus !== 'occupied').map((r) => r.postNumber);
  if (notOccupied.length) {
    const [ended] = await m.query<{ n: number }[]>(
      `WITH ended AS (DELETE FROM contract c USING post p WHERE c.post_id = p.id AND p.state_code = $1 AND p.number = ANY($2::text[]) RETURNING c.id)
       SELECT count(*)::int AS n FROM ended`,
      [stateCode, notOccupied],
    );
    counts.contractsEnded = ended.n;
  }
  if (occupied.length) {
    // Ids looked up by key (index scans), so the insert joins nothing however large the tables grow.
    const postIds = new Map(
      (await m.query<{ id: string; number: string }[]>(`SELECT id, number FROM post WHERE state_code = $1 AND number = ANY($2::text[])`, [
        stateCode,
        occupied.map((r) => r.postNumber),
      ])).map((p) => [p.number, p.id]),
    );
    const workerIds = new Map(
      (await m.query<{ id: string; curp: string }[]>(`SELECT id, curp FROM worker WHERE curp = ANY($1::text[])`, [occupied.map((r) => r.worker!.curp)])).map(
        (w) => [w.curp, w.id],
      ),
    );
    const contracts = await m.query<{ inserted: boolean }[]>(
      `INSERT INTO contract (id, post_id, worker_id, state_code, type, origin, starts_on, ends_on)
       SELECT v.id, v.post_id, v.worker_id, $1, v.type, v.origin, v.starts_on, v.ends_on
         FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::date[], $8::date[])
              AS v(id, post_id, worker_id, type, origin, starts_on, ends_on)
       ON CONFLICT (post_id) DO UPDATE SET worker_id = EXCLUDED.worker_id, type = EXCLUDED.type, origin = EXCLUDED.origin,
         starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on, updated_at = now()
       WHERE (contract.worker_id, contract.type, contract.origin, contract.starts_on, contract.ends_on)
             IS DISTINCT FROM (EXCLUDED.worker_id, EXCLUDED.type, EXCLUDED.origin, EXCLUDED.starts_on, EXCLUDED.ends_on)
       RETURNING (xmax = 0) AS inserted`,
      [
        stateCode,
        occupied.map(() => randomUUID()),
        occupied.map((r) => postIds.get(r.postNumber)),
        occupied.map((r) => workerIds.get(r.worker!.curp)),
        occupied.map((r) => r.contract!.type),
        occupied.map((r) => r.contract!.origin),
        occupied.map((r) => r.contract!.startsOn),
        occupied.map((r) => r.contract!.endsOn),
      ],
    );
    const c = changedCount(contracts);
    counts.contractsInserted = c.inserted;
    counts.contractsUpdated = c.updated;
  }
  return { counts, errors, valid: resolved.length };
}
