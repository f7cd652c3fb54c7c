import type { EntityManager } from 'typeorm';

/**
 * Set-based writing of an import. The first import of an exercise copies its lines straight into
 * demand_line (COPY). Later ones copy into a temporary table of the import's transaction, then
 * one UPDATE (of changed lines only) and one INSERT (of new lines only) apply them, so an
 * unchanged line is not touched and a re-import of the same file writes nothing. The same clave
 * twice in a file (two partidas) adds up.
 */

/** A clave as an annex describes it. */
export interface ImportedClave {
  clave: string;
  description: string;
  unit: string | null;
  cucop: string | null;
}

/** Counts of an applied (or, in a dry run, simulated) import. */
export interface ApplyCounts {
  lines: number;
  inserted: number;
  updated: number;
  unchanged: number;
  clavesAdded: number;
  clavesUpdated: number;
}

/** Columns of the lines an import copies (after exercise_code when copied straight into demand_line). */
export const LINE_COLUMNS = ['clave', 'institution', 'state_code', 'min', 'max'];

/** The temporary table (dropped at commit) later imports copy into, to be compared by {@link applyImport}. */
export async function createImportLineTable(m: EntityManager): Promise<void> {
  await m.query(
    `CREATE TEMPORARY TABLE import_line (clave text NOT NULL, institution text NOT NULL, state_code char(2), min bigint NOT NULL, max bigint NOT NULL) ON COMMIT DROP`,
  );
}

/** True when the exercise has no demand lines yet (its first import can copy straight in). */
export async function hasNoLines(m: EntityManager, exerciseCode: string): Promise<boolean> {
  const rows = await m.query<unknown[]>(`SELECT 1 FROM demand_line WHERE exercise_code = $1 LIMIT 1`, [exerciseCode]);
  return rows.length === 0;
}

/** Adds the lines of claves repeated in the file to the lines copied straight into demand_line. */
export async function addRepeatedLines(m: EntityManager, exerciseCode: string, lines: { clave: string; institution: string; min: number; max: number }[]): Promise<void> {
  if (!lines.length) return;
  await m.query(
    `UPDATE demand_line d SET min = d.min + r.min, max = d.max + r.max
       FROM (SELECT c, i, sum(mi)::bigint AS min, sum(ma)::bigint AS max
               FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[]) AS t(c, i, mi, ma) GROUP BY c, i) r
      WHERE d.exercise_code = $1 AND d.clave = r.c AND d.institution = r.i`,
    [exerciseCode, lines.map((l) => l.clave), lines.map((l) => l.institution), lines.map((l) => l.min), lines.map((l) => l.max)],
  );
}

/** The copied lines, one per clave and institution (a clave repeated in the file adds up). */
const linesOf = (repeated: boolean) =>
  repeated
    ? `SELECT clave, institution, min(state_code) AS state_code, sum(min)::bigint AS min, sum(max)::bigint AS max
         FROM import_line GROUP BY clave, institution`
    : `SELECT clave, institution, state_code, min, max FROM import_line`;

type LineCounts = { lines: number; inserted: number; updated: number };

/** What applying the copied lines would change (dry run). */
async function countChanges(m: EntityManager, exerciseCode: string, grouped: string): Promise<LineCounts> {
  const [counts] = await m.query<LineCounts[]>(
    `SELECT count(*)::int AS lines,
            count(*) FILTER (WHERE d.clave IS NULL)::int AS inserted,
            count(*) FILTER (WHERE d.clave IS NOT NULL AND (d.state_code, d.min, d.max) IS DISTINCT FROM (g.state_code, g.min, g.max))::int AS updated
       FROM (${grouped}) g
       LEFT JOIN demand_line d ON d.exercise_code = $1 AND d.clave = g.clave AND d.institution = g.institution`,
    [exerciseCode],
  );
  return counts;
}

/**
 * Applies the copied lines: changed ones are updated, new ones inserted (an anti-join), so a
 * re-import of the same file writes nothing.
 */
async function applyChanges(m: EntityManager, exerciseCode: string, grouped: string): Promise<LineCounts> {
  const [{ updated }] = await m.query<{ updated: number }[]>(
    `WITH up AS (
       UPDATE demand_line d SET state_code = g.state_code, min = g.min, max = g.max
         FROM (${grouped}) g
        WHERE d.exercise_code = $1 AND d.clave = g.clave AND d.institution = g.institution
          AND (d.state_code, d.min, d.max) IS DISTINCT FROM (g.state_code, g.min, g.max)
       RETURNING 1)
     SELECT count(*)::int AS updated FROM up`,
    [exerciseCode],
  );
  const [{ inserted, lines }] = await m.query<{ inserted: number; lines: number }[]>(
    `WITH ins AS (
       INSERT INTO demand_line (exercise_code, clave, institution, state_code, min, max)
       SELECT $1, g.clave, g.institution, g.state_code, g.min, g.max FROM (${grouped}) g
        WHERE NOT EXISTS (SELECT 1 FROM demand_line d WHERE d.exercise_code = $1 AND d.clave = g.clave AND d.institution = g.institution)
       RETURNING 1)
     SELECT (SELECT count(*)::int FROM ins) AS inserted, (SELECT count(*)::int FROM (${grouped}) c) AS lines`,
    [exerciseCode],
  );
  return { lines, inserted, updated };
}

/**
 * Applies an import to the exercise (or, with dryRun, only counts what would change): the lines
 * copied into `import_line` (none to apply when they were copied straight into demand_line, whose
 * count is `copiedIntoDemand`), the claves and the institutions. The caller holds the exercise's
 * row lock, so imports of one exercise do not interleave.
 */
export async function applyImport(
  m: EntityManager,
  exerciseCode: string,
  claves: ImportedClave[],
  institutions: { name: string; stateCode: string | null }[],
  options: { dryRun: boolean; repeatedClaves: boolean; copiedIntoDemand: number | null },
): Promise<ApplyCounts> {
  const params = [claves.map((c) => c.clave), claves.map((c) => c.description), claves.map((c) => c.unit), claves.map((c) => c.cucop)];
  const input = `SELECT c, substr(c, 1, 3) AS g, d, u, k FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS t(c, d, u, k)`;
  const grouped = linesOf(options.repeatedClaves);
  if (options.dryRun) {
    const [{ clavesAdded, clavesUpdated }] = await m.query<{ clavesAdded: number; clavesUpdated: number }[]>(
      `SELECT count(*) FILTER (WHERE k.clave IS NULL)::int AS "clavesAdded",
              count(*) FILTER (WHERE (k.unit IS NULL AND i.u IS NOT NULL) OR (k.cucop IS NULL AND i.k IS NOT NULL))::int AS "clavesUpdated"
         FROM (${input}) i LEFT JOIN clave k ON k.clave = i.c`,
      params,
    );
    const lines = await countChanges(m, exerciseCode, grouped);
    return { ...lines, unchanged: lines.lines - lines.inserted - lines.updated, clavesAdded, clavesUpdated };
  }
  // The first description of a clave stays (annexes of different cycles spell it differently); unit and CUCoP fill in.
  const [{ clavesAdded, clavesUpdated }] = await m.query<{ clavesAdded: number; clavesUpdated: number }[]>(
    `WITH up AS (
       INSERT INTO clave (clave, grp, description, unit, cucop) ${input}
       ON CONFLICT (clave) DO UPDATE SET unit = COALESCE(clave.unit, EXCLUDED.unit), cucop = COALESCE(clave.cucop, EXCLUDED.cucop)
        WHERE (clave.unit IS NULL AND EXCLUDED.unit IS NOT NULL) OR (clave.cucop IS NULL AND EXCLUDED.cucop IS NOT NULL)
       RETURNING (xmax = 0) AS inserted)
     SELECT count(*) FILTER (WHERE inserted)::int AS "clavesAdded", count(*) FILTER (WHERE NOT inserted)::int AS "clavesUpdated" FROM up`,
    params,
  );
  const copied = options.copiedIntoDemand;
  const lines = copied === null ? await applyChanges(m, exerciseCode, grouped) : { lines: copied, inserted: copied, updated: 0 };
  // The exercise's institutions (only changed ones are written).
  await m.query(
    `INSERT INTO demand_institution (exercise_code, institution, state_code)
     SELECT $1, i, s FROM unnest($2::text[], $3::text[]) AS t(i, s)
     ON CONFLICT (exercise_code, institution) DO UPDATE SET state_code = EXCLUDED.state_code
      WHERE demand_institution.state_code IS DISTINCT FROM EXCLUDED.state_code`,
    [exerciseCode, institutions.map((i) => i.name), institutions.map((i) => i.stateCode)],
  );
  return { ...lines, unchanged: lines.lines - lines.inserted - lines.updated, clavesAdded, clavesUpdated };
}
