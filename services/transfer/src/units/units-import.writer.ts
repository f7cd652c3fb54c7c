import type { EntityManager } from 'typeorm';
import { UnitInventoried, UnitReRegistered, UnitStatusChanged, UnitStatus } from '@imb/contracts';
import type { JobRowError } from '@imb/jobs';
import { publishValidatedEvents } from '@imb/messaging';
import { copyRows, CopyValue } from '@imb/platform';
import type { CatalogueUnit } from './clues-catalogue';
import { inventoriedPayload } from './unit-events';

/**
 * The database side of a units import, one chunk at a time, always inside the chunk's
 * transaction. Catalogue rows are upserted by CLUES in one statement that skips unchanged rows
 * (same row hash) and rows whose key a unit has left behind when it was re-registered.
 * Re-registration rows (CLUES + CLUES_SSH) link the new key to the unit that holds the old one.
 */

/** What a chunk did (or, in a dry run, would do). */
export interface ChunkOutcome {
  inserted: string[];
  updated: string[];
  unchanged: number;
  reRegistered: { from: string; to: string }[];
  /** Valid rows that could not be linked: no CLUES_SSH, or no unit with that old key. */
  unmatched: UnmatchedKey[];
  /** Rows refused on database grounds (a key already taken by another unit). */
  errors: JobRowError[];
}

/** A new key of a re-registration file that links to no known unit. */
export interface UnmatchedKey {
  row: number;
  clues: string;
  cluesSsh: string | null;
  name: string;
  reason: string;
}

const emptyOutcome = (): ChunkOutcome => ({ inserted: [], updated: [], unchanged: 0, reRegistered: [], unmatched: [], errors: [] });

const col = <K extends keyof CatalogueUnit>(units: CatalogueUnit[], key: K) => units.map((u) => u[key]);

/** Columns of the staging table, in the order of the unit table's insert below (a new unit's id is drawn there). */
const STAGE_COLUMNS = [
  'clues', 'state_code', 'name', 'institution', 'establishment_type', 'typology', 'care_level', 'stratum',
  'municipality_code', 'locality_code', 'locality', 'latitude', 'longitude', 'operation_status', 'ownership', 'row_hash',
] as const;

/** One staging row per valid catalogue row. */
function* stageRows(units: CatalogueUnit[]): Generator<CopyValue[]> {
  for (const u of units) {
    yield [
      u.clues, u.stateCode, u.name, u.institution, u.establishmentType, u.typology, u.careLevel, u.stratum,
      u.municipalityCode, u.localityCode, u.locality, u.latitude, u.longitude, u.operationStatus, u.ownership, u.rowHash,
    ];
  }
}

/**
 * Splits catalogue rows into those that would change something and those that would not: a row
 * whose key is a unit's previous key (the unit was re-registered) or whose hash matches the
 * unit's is unchanged. One indexed lookup per chunk.
 */
async function pendingRows(m: EntityManager, units: CatalogueUnit[]): Promise<{ pending: CatalogueUnit[]; known: Set<string> }> {
  const found = await m.query<{ clues: string; previous_clues: string | null; row_hash: string }[]>(
    `SELECT clues, previous_clues, row_hash FROM unit WHERE clues = ANY($1::text[]) OR previous_clues = ANY($1::text[])`,
    [col(units, 'clues')],
  );
  const hashOf = new Map<string, string | null>();
  for (const f of found) {
    hashOf.set(f.clues, f.row_hash);
    // A key a unit left behind when re-registered describes that unit's past: never re-imported.
    if (f.previous_clues) hashOf.set(f.previous_clues, null);
  }
  return {
    pending: units.filter((u) => !hashOf.has(u.clues) || (hashOf.get(u.clues) !== null && hashOf.get(u.clues) !== u.rowHash)),
    known: new Set(found.map((f) => f.clues)),
  };
}

/**
 * Catalogue rows, set-based: the chunk is COPYed into a temporary staging table (emptied at
 * commit), then one statement inserts the new units and updates the changed ones — skipping
 * rows whose hash matches the unit's and keys a unit left behind when re-registered — and
 * returns what it changed; unit-inventoried events for those go to the outbox in one statement.
 */
export async function upsertCatalogueChunk(m: EntityManager, units: CatalogueUnit[]): Promise<ChunkOutcome> {
  const outcome = emptyOutcome();
  if (!units.length) return outcome;
  await m.query(
    `CREATE TEMP TABLE IF NOT EXISTS unit_import_stage (
       clues text, state_code text, name text, institution text, establishment_type text, typology text,
       care_level text, stratum text, municipality_code text, locality_code text, locality text, latitude float8,
       longitude float8, operation_status text, ownership text, row_hash text
     ) ON COMMIT DELETE ROWS`,
  );
  await copyRows(m, 'unit_import_stage', STAGE_COLUMNS, stageRows(units));
  // The NOT EXISTS filters leave unchanged rows alone (no row lock, no write); the ON CONFLICT
  // guard keeps the statement right if another import or a re-registration committed meanwhile.
  // OFFSET 0 keeps each NOT EXISTS a probe of the unique index per staged row: as an anti-join
  // the planner may hash the whole table for every chunk, its statistics lagging behind an
  // import that fills it from empty (which made imports quadratic).
  const changed = await m.query<{ id: string; clues: string; inserted: boolean }[]>(
    `INSERT INTO unit (id, ${STAGE_COLUMNS.join(', ')}, status)
     SELECT gen_random_uuid(), ${STAGE_COLUMNS.map((c) => `s.${c}`).join(', ')}, 'INVENTORIED'
       FROM unit_import_stage s
      WHERE NOT EXISTS (SELECT 1 FROM unit u WHERE u.clues = s.clues AND u.row_hash = s.row_hash OFFSET 0)
        AND NOT EXISTS (SELECT 1 FROM unit p WHERE p.previous_clues = s.clues OFFSET 0)
     ON CONFLICT (clues) DO UPDATE SET
       name = EXCLUDED.name, establishment_type = EXCLUDED.establishment_type, typology = EXCLUDED.typology,
       care_level = EXCLUDED.care_level, stratum = EXCLUDED.stratum, municipality_code = EXCLUDED.municipality_code,
       locality_code = EXCLUDED.locality_code, locality = EXCLUDED.locality, latitude = EXCLUDED.latitude,
       longitude = EXCLUDED.longitude, operation_status = EXCLUDED.operation_status,
       ownership = coalesce(unit.ownership, EXCLUDED.ownership), row_hash = EXCLUDED.row_hash, updated_at = now()
     WHERE unit.row_hash <> EXCLUDED.row_hash
     RETURNING id, clues, (xmax = 0) AS inserted`,
  );
  outcome.unchanged = units.length - changed.length;
  if (!changed.length) return outcome;
  const byClues = new Map(units.map((u) => [u.clues, u]));
  const at = new Date().toISOString();
  for (const c of changed) (c.inserted ? outcome.inserted : outcome.updated).push(c.clues);
  await publishValidatedEvents(
    m,
    UnitInventoried,
    changed.map((c) => inventoriedPayload(c.id, byClues.get(c.clues)!, at)),
  );
  return outcome;
}

/** Dry run of {@link upsertCatalogueChunk}: counts what it would do, writes nothing. */
export async function classifyCatalogueChunk(m: EntityManager, units: CatalogueUnit[]): Promise<ChunkOutcome> {
  const outcome = emptyOutcome();
  if (!units.length) return outcome;
  const { pending, known } = await pendingRows(m, units);
  for (const u of pending) (known.has(u.clues) ? outcome.updated : outcome.inserted).push(u.clues);
  outcome.unchanged = units.length - pending.length;
  return outcome;
}

interface KnownUnit {
  id: string;
  clues: string;
  previous_clues: string | null;
  status: UnitStatus;
  row_hash: string;
  ownership: string | null;
}

interface UnitUpdate {
  id: string;
  unit: CatalogueUnit;
  previousClues: string | null;
  status: UnitStatus;
}

/**
 * Re-registration rows: links each new key to the unit holding its old key (the unit keeps its
 * id; `clues` becomes the new key, `previous_clues` the old one, status RE_REGISTERED) and emits
 * unit-re-registered and unit-status-changed; already linked rows are unchanged unless their
 * catalogue data changed. With `dryRun` nothing is written.
 */
export async function reRegisterChunk(m: EntityManager, units: CatalogueUnit[], dryRun: boolean): Promise<ChunkOutcome> {
  const outcome = emptyOutcome();
  if (!units.length) return outcome;
  const oldKeys = units.flatMap((u) => (u.cluesSsh ? [u.cluesSsh] : []));
  const known = await m.query<KnownUnit[]>(
    `SELECT id, clues, previous_clues, status, row_hash, ownership FROM unit
      WHERE clues = ANY($1::text[]) OR previous_clues = ANY($2::text[])
      ${dryRun ? '' : 'FOR UPDATE'}`,
    [[...col(units, 'clues'), ...oldKeys], oldKeys],
  );
  const byClues = new Map(known.map((k) => [k.clues, k]));
  const byPrevious = new Map(known.filter((k) => k.previous_clues).map((k) => [k.previous_clues!, k]));
  const links: (UnitUpdate & { from: string; fromStatus: UnitStatus })[] = [];
  const updates: UnitUpdate[] = [];
  const refuse = (u: CatalogueUnit, field: string, message: string) => outcome.errors.push({ row: u.row, field, message });

  for (const u of units) {
    const holder = byClues.get(u.clues);
    if (holder) {
      if (u.cluesSsh && holder.previous_clues !== u.cluesSsh) {
        refuse(
          u,
          'CLUES',
          holder.previous_clues
            ? `${u.clues} is already the new key of ${holder.previous_clues}; it cannot also replace ${u.cluesSsh}`
            : `${u.clues} is already the key of an inventoried unit; it cannot also replace ${u.cluesSsh}`,
        );
      } else if (holder.row_hash === u.rowHash) {
        outcome.unchanged++;
      } else {
        updates.push({ id: holder.id, unit: u, previousClues: holder.previous_clues, status: holder.status });
      }
      continue;
    }
    if (!u.cluesSsh) {
      outcome.unmatched.push({ row: u.row, clues: u.clues, cluesSsh: null, name: u.name, reason: 'no CLUES_SSH: the row names no old key to link' });
      continue;
    }
    const old = byClues.get(u.cluesSsh);
    if (old) {
      links.push({ id: old.id, unit: u, previousClues: u.cluesSsh, status: 'RE_REGISTERED', from: u.cluesSsh, fromStatus: old.status });
      continue;
    }
    const successor = byPrevious.get(u.cluesSsh);
    if (successor) {
      refuse(u, 'CLUES_SSH', `${u.cluesSsh} was already re-registered as ${successor.clues}; it cannot also become ${u.clues}`);
      continue;
    }
    outcome.unmatched.push({
      row: u.row,
      clues: u.clues,
      cluesSsh: u.cluesSsh,
      name: u.name,
      reason: `no unit with CLUES ${u.cluesSsh} has been inventoried`,
    });
  }

  outcome.reRegistered = links.map((l) => ({ from: l.from, to: l.unit.clues }));
  outcome.updated = updates.map((l) => l.unit.clues);
  if (dryRun || (!links.length && !updates.length)) return outcome;

  const all = [...links, ...updates];
  await m.query(
    `UPDATE unit u SET
       clues = v.clues, previous_clues = v.previous_clues, status = v.status, institution = v.institution, name = v.name,
       establishment_type = v.establishment_type, typology = v.typology, care_level = v.care_level, stratum = v.stratum,
       municipality_code = v.municipality_code, locality_code = v.locality_code, locality = v.locality,
       latitude = v.latitude, longitude = v.longitude, operation_status = v.operation_status,
       ownership = coalesce(u.ownership, v.ownership), row_hash = v.row_hash, updated_at = now()
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                 $10::text[], $11::text[], $12::text[], $13::text[], $14::float8[], $15::float8[], $16::text[], $17::text[], $18::text[])
       AS v(id, clues, previous_clues, status, institution, name, establishment_type, typology, care_level, stratum,
            municipality_code, locality_code, locality, latitude, longitude, operation_status, ownership, row_hash)
     WHERE u.id = v.id`,
    [
      all.map((a) => a.id),
      all.map((a) => a.unit.clues),
      all.map((a) => a.previousClues),
      all.map((a) => a.status),
      all.map((a) => a.unit.institution),
      all.map((a) => a.unit.name),
      all.map((a) => a.unit.establishmentType),
      all.map((a) => a.unit.typology),
      all.map((a) => a.unit.careLevel),
      all.map((a) => a.unit.stratum),
      all.map((a) => a.unit.municipalityCode),
      all.map((a) => a.unit.localityCode),
      all.map((a) => a.unit.locality),
      all.map((a) => a.unit.latitude),
      all.map((a) => a.unit.longitude),
      all.map((a) => a.unit.operationStatus),
      all.map((a) => a.unit.ownership),
      all.map((a) => a.unit.rowHash),
    ],
  );
  const at = new Date().toISOString();
  if (links.length) {
    await publishValidatedEvents(
      m,
      UnitReRegistered,
      links.map((l) => ({ unitId: l.id, stateCode: l.unit.stateCode, previousClues: l.from, clues: l.unit.clues, reRegisteredAt: at })),
    );
    const moved = links.filter((l) => l.fromStatus !== 'RE_REGISTERED');
    await publishValidatedEvents(
      m,
      UnitStatusChanged,
      moved.map((l) => ({
        unitId: l.id,
        clues: l.unit.clues,
        stateCode: l.unit.stateCode,
        fromStatus: l.fromStatus,
        toStatus: 'RE_REGISTERED' as const,
        reason: `re-registered in the CLUES catalogue as ${l.unit.clues} (was ${l.from})`,
        changedAt: at,
      })),
    );
  }
  if (updates.length) {
    await publishValidatedEvents(
      m,
      UnitInventoried,
      updates.map((up) => inventoriedPayload(up.id, up.unit, at)),
    );
  }
  return outcome;
}

/**
 * Units of the given states and institutions that still carry an old key (not re-registered,
 * not excluded), for the "old units left without a new key" part of a re-registration report.
 */
export async function unitsWithoutNewKey(
  m: EntityManager,
  states: string[],
  institutions: string[],
): Promise<{ clues: string; name: string; status: UnitStatus }[]> {
  if (!states.length || !institutions.length) return [];
  return m.query(
    `SELECT clues, name, status FROM unit
      WHERE state_code = ANY($1::text[]) AND institution = ANY($2::text[]) AND previous_clues IS NULL
        AND status NOT IN ('EXCLUDED', 'RE_REGISTERED', 'OPERATING')
      ORDER BY clues`,
    [states, institutions],
  );
}
