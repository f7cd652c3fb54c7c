import { readFileSync } from 'node:fs';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { STATES } from '@imb/contracts';
import { ServiceStack, testClient, waitFor } from '@imb/testing';
import { BenchResult } from './report';

/** Old-generation heap cap of the service under test (MB), BENCH_HEAP_MB to change it. */
const HEAP_CAP_MB = Number(process.env.BENCH_HEAP_MB ?? 160);
/** Young-generation semi-space (MB): a small heap cap would otherwise shrink it too, and collect far more often. */
const SEMI_SPACE_MB = Number(process.env.BENCH_SEMI_SPACE_MB ?? 32);

/** Columns of the generated catalogue: the published names of the columns the import keeps. */
const COLUMNS = [
  'CLUES', 'CLAVE DE LA ENTIDAD', 'NOMBRE DE LA UNIDAD', 'NOMBRE TIPO ESTABLECIMIENTO', 'NOMBRE DE TIPOLOGIA',
  'NIVEL ATENCION', 'ESTRATO UNIDAD', 'CLAVE DEL MUNICIPIO', 'CLAVE DE LA LOCALIDAD', 'LOCALIDAD', 'LATITUD',
  'LONGITUD', 'PROPIEDAD DEL INMUEBLE', 'ESTATUS DE OPERACION',
];
const TYPOLOGIES = ['RURAL DE 01 NÚCLEO BÁSICO', 'RURAL DE 02 NÚCLEOS BÁSICOS', 'URBANO DE 03 NÚCLEOS BÁSICOS', 'HOSPITAL INTEGRAL (COMUNITARIO)', 'HOSPITAL GENERAL'];
const OWNERSHIP = ['PROPIO', 'PROPIO', 'PROPIO', 'DE COMODATO', 'RENTADO', 'OTRO'];

/** A national catalogue of `total` units spread over the 32 states, as the CSV export would give it. */
function nationalCatalogue(total: number): string {
  const lines = [COLUMNS.join(',')];
  for (let i = 0; i < total; i++) {
    const state = STATES[i % 32];
    const n = Math.floor(i / 32) + 1;
    const municipality = (n % 120) + 1;
    const hospital = n % 25 === 0;
    lines.push(
      [
        `${state.abbr}SSA${String(n).padStart(6, '0')}`,
        state.code,
        `"${hospital ? 'HOSPITAL GENERAL' : 'CENTRO DE SALUD'} ${state.name.toUpperCase()} ${n}"`,
        hospital ? 'DE HOSPITALIZACIÓN' : 'DE CONSULTA EXTERNA',
        `"${TYPOLOGIES[hospital ? 3 + (n % 2) : n % 3]}"`,
        hospital ? 'SEGUNDO NIVEL' : 'PRIMER NIVEL',
        n % 3 === 0 ? 'URBANO' : 'RURAL',
        municipality,
        (n % 400) + 1,
        `LOCALIDAD ${n % 400}`,
        (14.5 + ((i * 7) % 1800) / 100).toFixed(6),
        (-117 + ((i * 13) % 3000) / 100).toFixed(6),
        OWNERSHIP[n % OWNERSHIP.length],
        'EN OPERACION',
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Buffer): void;
  endCopyFrom(): void;
}

/** COPY … FROM STDIN of a buffer through node-postgres, which has no COPY helper of its own. */
class CopyFromStdin {
  readonly done: Promise<number>;
  private resolve!: (rows: number) => void;
  private reject!: (err: Error) => void;
  private rows = 0;
  private failed = false;

  constructor(
    private readonly text: string,
    private readonly data: Buffer,
  ) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  submit(connection: unknown): void {
    (connection as CopyConnection).query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    for (let at = 0; at < this.data.length; at += 1 << 16) connection.sendCopyFromChunk(this.data.subarray(at, at + (1 << 16)));
    connection.endCopyFrom();
  }

  handleCommandComplete(msg: { text: string }): void {
    this.rows = Number(msg.text.split(' ').pop());
  }

  handleError(err: Error): void {
    this.failed = true;
    this.reject(err);
  }

  handleReadyForQuery(): void {
    if (!this.failed) this.resolve(this.rows);
  }
}

/** Rows/s of a raw COPY of the catalogue into a plain table with the same columns (best of three). */
async function rawCopy(database: string, csv: Buffer, total: number): Promise<number> {
  const client = testClient(database);
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_unit_copy (${COLUMNS.map((_, i) => `c${i} text`).join(', ')})`);
    let best = 0;
    for (let run = 0; run < 3; run++) {
      await client.query('TRUNCATE bench_unit_copy');
      const start = process.hrtime.bigint();
      const copy = client.query(new CopyFromStdin(`COPY bench_unit_copy FROM STDIN WITH (FORMAT csv, HEADER true)`, csv));
      const rows = await copy.done;
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (rows !== total) throw new Error(`COPY loaded ${rows} rows, expected ${total}`);
      best = Math.max(best, total / seconds);
    }
    return best;
  } finally {
    await client.end();
  }
}

/**
 * Rows/s of the same writes done by hand in SQL, with no validation, job or service around them:
 * in one transaction the CSV is COPYed into a staging table, one INSERT … SELECT fills a copy of
 * the unit table (same columns, keys, checks and indexes) and, from its RETURNING, a copy of the
 * outbox gets one unit-inventoried event per unit (the CloudEvent built by json_build_object).
 * This is the floor of any import that keeps the issue's promises (one event per unit, written
 * with the unit): how far the service is from it is what the implementation can still win.
 * Needs the service's schema in `database` (run after the service has started). Best of three.
 */
async function handWrittenFloor(database: string, csv: Buffer, total: number): Promise<number> {
  const client = testClient(database);
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_unit_floor (LIKE unit INCLUDING ALL)`);
    await client.query(`CREATE TABLE bench_outbox_floor (LIKE outbox INCLUDING ALL)`);
    let best = 0;
    for (let run = 0; run < 3; run++) {
      await client.query('TRUNCATE bench_unit_floor, bench_outbox_floor');
      const start = process.hrtime.bigint();
      await client.query('BEGIN');
      await client.query(`CREATE TEMP TABLE bench_floor_stage (${COLUMNS.map((_, i) => `c${i} text`).join(', ')}) ON COMMIT DROP`);
      await client.query(new CopyFromStdin(`COPY bench_floor_stage FROM STDIN WITH (FORMAT csv, HEADER true)`, csv)).done;
      const inserted = await client.query(`
        WITH units AS (
          INSERT INTO bench_unit_floor (id, clues, state_code, name, institution, establishment_type, typology, care_level,
                                        stratum, municipality_code, locality_code, locality, latitude, longitude,
                                        operation_status, ownership, row_hash, status)
          SELECT gen_random_uuid(), c0, lpad(c1, 2, '0'), c2, substr(c0, 3, 3), c3, c4, c5, c6,
                 lpad(c1, 2, '0') || lpad(c7, 3, '0'), lpad(c1, 2, '0') || lpad(c7, 3, '0') || lpad(c8, 4, '0'), c9,
                 c10::float8, c11::float8, c13,
                 CASE c12 WHEN 'PROPIO' THEN 'propio' WHEN 'DE COMODATO' THEN 'comodato' WHEN 'RENTADO' THEN 'rentado' ELSE 'otro' END,
                 md5(concat_ws('|', c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13)), 'INVENTORIED'
            FROM bench_floor_stage
          ON CONFLICT (clues) DO NOTHING
          RETURNING *)
        INSERT INTO bench_outbox_floor (event_id, topic, key, type, correlation_id, event)
        SELECT u.event_id, 'transfer.unit.v1', u.id::text, 'mx.imb.transfer.unit-inventoried.v1', 'bench',
               json_build_object('specversion', '1.0', 'id', u.event_id, 'source', '/imb/transfer', 'type', 'mx.imb.transfer.unit-inventoried.v1',
                 'time', now(), 'subject', u.id, 'datacontenttype', 'application/json', 'statecode', u.state_code,
                 'correlationid', 'bench', 'actor', 'system:transfer',
                 'data', json_strip_nulls(json_build_object('unitId', u.id, 'clues', u.clues, 'stateCode', u.state_code, 'name', u.name,
                   'institution', u.institution, 'establishmentType', u.establishment_type, 'typology', u.typology,
                   'careLevel', u.care_level, 'stratum', u.stratum, 'municipalityCode', u.municipality_code,
                   'localityCode', u.locality_code, 'locality', u.locality, 'latitude', u.latitude, 'longitude', u.longitude,
                   'ownership', u.ownership, 'inventoriedAt', now())))::text
          FROM (SELECT units.*, gen_random_uuid() AS event_id FROM units) u`);
      await client.query('COMMIT');
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (inserted.rowCount !== total) throw new Error(`the hand-written floor wrote ${inserted.rowCount} events, expected ${total}`);
      best = Math.max(best, total / seconds);
    }
    return best;
  } finally {
    await client.end();
  }
}

/** Peak and current resident memory of a process, in MB (Linux). */
function memoryOf(pid: number): { peak: number; now: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peak: Math.round(kb('VmHWM') / 1024), now: Math.round(kb('VmRSS') / 1024) };
}

interface JobView {
  status: string;
  startedAt: string;
  finishedAt: string;
  failureReason: string | null;
  result: { inserted: number; unchanged: number; errors: number };
}

/**
 * The import of a generated national catalogue through the real path: multipart upload to the
 * built transfer service, the `units.import` job streaming and validating rows, upserting units
 * and writing one unit-inventoried event per unit to the outbox, chunk by chunk. Its rows/s (job
 * start to finish, as recorded by the job) against a raw COPY of the same CSV into a plain table.
 */
export async function benchUnitsImport(total = Number(process.env.BENCH_UNITS ?? 64000)): Promise<BenchResult> {
  const stack = new ServiceStack('bench-units');
  try {
    const csv = Buffer.from(nationalCatalogue(total));
    const service = await stack.start('transfer', {
      LOG_LEVEL: 'warn',
      // The heap cap a deployment would give the service: the import streams in bounded chunks, and
      // without a cap V8 lets garbage pile up to several hundred MB before collecting it.
      // BENCH_NODE_OPTIONS adds flags, say `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the service.
      NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB} --max-semi-space-size=${SEMI_SPACE_MB} ${process.env.BENCH_NODE_OPTIONS ?? ''}`.trim(),
    });
    const database = stack.database('transfer');
    // The baseline in the same database, into a plain table of its own.
    const copyRate = await rawCopy(database, csv, total);
    const idle = memoryOf(service.process.pid!);
    const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
    const bearer = await issuer.sign({ sub: 'bench', roles: ['federal-coordinator'], states: [] });

    const importOnce = async () => {
      const form = new FormData();
      form.append('file', new Blob([csv]), 'catalogo-nacional.csv');
      const posted = Date.now();
      const res = await fetch(`${service.url}/api/transfers/units/imports`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: form });
      if (res.status !== 202) throw new Error(`import refused: ${res.status} ${await res.text()}`);
      const { jobId } = (await res.json()) as { jobId: string };
      const job = await waitFor(
        async () => {
          const view = (await (await fetch(`${service.url}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as JobView;
          return view.status === 'completed' || view.status === 'failed' ? view : undefined;
        },
        { timeoutMs: 600000, intervalMs: 50, what: `import job ${jobId}` },
      );
      if (job?.status !== 'completed') throw new Error(`import failed: ${job?.failureReason}`);
      const seconds = (Date.parse(job.finishedAt) - Date.parse(job.startedAt)) / 1000;
      return { job, rate: total / seconds, endToEnd: total / ((Date.now() - posted) / 1000) };
    };

    const first = await importOnce();
    if (first.job.result.inserted !== total) throw new Error(`expected ${total} units inserted, got ${JSON.stringify(first.job.result)}`);
    const again = await importOnce();
    if (again.job.result.unchanged !== total) throw new Error(`re-import changed rows: ${JSON.stringify(again.job.result)}`);
    const memory = memoryOf(service.process.pid!);
    const floorRate = await handWrittenFloor(database, csv, total);

    const ratio = first.rate / copyRate;
    return {
      name: `units import (${total} CLUES, national CSV) vs raw PostgreSQL COPY of the same rows`,
      value: first.rate,
      unit: 'rows/s',
      baseline: copyRate,
      ratio,
      target: '≥ 0.5 × COPY',
      met: ratio >= 0.5,
      notes:
        `first import ${Math.round(first.rate)} rows/s (job start to finish; ${Math.round(first.endToEnd)} rows/s from upload to completion), ` +
        `writing ${total} units and ${total} unit-inventoried events; idempotent re-import ${Math.round(again.rate)} rows/s ` +
        `(ratio ${(again.rate / copyRate).toFixed(2)}, nothing written); COPY best of 3; ` +
        `hand-written SQL floor (COPY to staging + INSERT … SELECT into the unit table + one outbox event per unit, one transaction) ` +
        `${Math.round(floorRate)} rows/s = ${(floorRate / copyRate).toFixed(2)} × COPY, the service at ${(first.rate / floorRate).toFixed(2)} × that floor; ` +
        `transfer service RSS ${idle.now} MB idle, peak ${memory.peak} MB (old-space heap cap ${HEAP_CAP_MB} MB)`,
    };
  } finally {
    await stack.stop();
  }
}
