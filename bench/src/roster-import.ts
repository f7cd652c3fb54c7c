import { randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { curpCheckDigit } from '@imb/contracts';
import { ServiceStack, waitFor } from '@imb/testing';
import { BenchResult } from './report';

/** Old-generation heap cap of the service under test (MB), BENCH_HEAP_MB to change it. */
const HEAP_CAP_MB = Number(process.env.BENCH_HEAP_MB ?? 160);
/** Young-generation semi-space (MB): a small heap cap would otherwise shrink it too, and collect far more often. */
const SEMI_SPACE_MB = Number(process.env.BENCH_SEMI_SPACE_MB ?? 32);

const UNITS = 200;
const CONSONANTS = 'BCDFGHJKLMNPQRSTVWXZ';
const POST_CODES = ['M01006', 'M01004', 'M02001', 'M02035', 'M03006', 'A01806'];
const HEADER = 'PLAZA,CODIGO_PUESTO,CLUES,FINANCIADA,ESTATUS_PLAZA,CURP,RFC,NOMBRE,PROFESION,CEDULA,TIPO_CONTRATO,FECHA_INICIO,FECHA_FIN,ORIGEN';

function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** A clean Nayarit roster of `rows` people, one per post, spread over the units. */
function roster(rows: number): string {
  const lines = [HEADER];
  const c = (k: number) => CONSONANTS[k % 20];
  for (let n = 0; n < rows; n++) {
    const body = `GOMA${70 + (n % 30)}${String(1 + (Math.floor(n / 30) % 12)).padStart(2, '0')}15HNT${c(Math.floor(n / 360))}${c(Math.floor(n / 7200))}${c(Math.floor(n / 144000))}0`;
    const curp = body + curpCheckDigit(body);
    lines.push(
      `P${String(n).padStart(7, '0')},${POST_CODES[n % POST_CODES.length]},NTIMB${String(n % UNITS).padStart(6, '0')},SI,OCUPADA,${curp},${curp.slice(0, 10)}AB1,PERSONA ${n},MEDICINA,${1000000 + n},EVENTUAL,2020-01-15,,ESTATAL`,
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * Seconds the same writes take done by hand in SQL, with no validation, job or service around
 * them: in one transaction the CSV (`file`, readable by the server) is COPYed into a staging
 * table and three INSERT … SELECTs fill the service's own worker, post and contract tables (their
 * keys, checks, foreign keys and indexes), as a first import of the roster does into empty
 * tables. The transaction is rolled back and the tables vacuumed, so each run starts alike.
 * The floor of any import that writes the rows into this schema: how far the service is from it
 * is what the implementation can still win.
 */
async function handWrittenFloor(db: Client, file: string, rows: number): Promise<number> {
  const start = process.hrtime.bigint();
  await db.query('BEGIN');
  try {
    await db.query(
      `CREATE TEMP TABLE bench_floor_stage (plaza text, codigo text, clues text, financiada text, estatus text, curp text, rfc text,
         nombre text, profesion text, cedula text, tipo text, inicio date, fin date, origen text) ON COMMIT DROP`,
    );
    await db.query(`COPY bench_floor_stage FROM '${file}' WITH (FORMAT csv, HEADER true)`);
    await db.query(
      `INSERT INTO worker (id, curp, rfc, name, profession, licence, state_code)
       SELECT gen_random_uuid(), curp, rfc, nombre, profesion, cedula, '18' FROM bench_floor_stage`,
    );
    await db.query(
      `INSERT INTO post (id, state_code, number, code, unit_id, funded, status, status_reason)
       SELECT gen_random_uuid(), '18', s.plaza, s.codigo, u.unit_id, s.financiada = 'SI', 'occupied', 'floor'
         FROM bench_floor_stage s JOIN hr_unit u ON u.clues = s.clues`,
    );
    const contracts = await db.query(
      `INSERT INTO contract (id, post_id, worker_id, state_code, type, origin, starts_on, ends_on)
       SELECT gen_random_uuid(), p.id, w.id, '18', lower(s.tipo), 'state-payroll', s.inicio, s.fin
         FROM bench_floor_stage s
         JOIN post p ON p.state_code = '18' AND p.number = s.plaza
         JOIN worker w ON w.curp = s.curp`,
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (contracts.rowCount !== rows) throw new Error(`the hand-written floor wrote ${contracts.rowCount} contracts, expected ${rows}`);
    return seconds;
  } finally {
    await db.query('ROLLBACK');
    await db.query('VACUUM worker, post, contract');
  }
}

/**
 * HR roster import of `rows` rows (HTTP upload → BullMQ job → validated, upserted workers, posts
 * and contracts with audit and checkpoints) against a raw server-side COPY of the same CSV into one
 * table of the same columns, in the same database.
 */
export async function benchRosterImport(rows = Number(process.env.BENCH_ROSTER_ROWS ?? 100000)): Promise<BenchResult> {
  const stack = new ServiceStack('bench-hr');
  // The CSV for the server-side COPY, in a folder the database's OS user can read.
  const copyDir = mkdtempSync(join(tmpdir(), 'bench-hr-'));
  try {
    const service = await stack.start('hr', {
      LOG_LEVEL: 'warn',
      // The heap cap a deployment would give the service: the import streams in bounded chunks, and
      // without a cap V8 lets garbage pile up to several hundred MB before collecting it.
      NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB} --max-semi-space-size=${SEMI_SPACE_MB}`,
    });
    const db = await stack.connect('hr');
    await db.query(
      `INSERT INTO hr_unit (unit_id, clues, state_code, name) SELECT id, clues, '18', 'CENTRO DE SALUD' FROM unnest($1::uuid[], $2::text[]) AS t(id, clues)`,
      [Array.from({ length: UNITS }, () => randomUUID()), Array.from({ length: UNITS }, (_, k) => `NTIMB${String(k).padStart(6, '0')}`)],
    );
    const csv = roster(rows);
    const file = join(copyDir, 'copy.csv');
    writeFileSync(file, csv);
    chmodSync(copyDir, 0o755);
    chmodSync(file, 0o644);
    const token = await new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' })).sign({ sub: 'bench', roles: ['federal-coordinator'], states: [] });

    const start = process.hrtime.bigint();
    const form = new FormData();
    form.append('file', new Blob([csv]), 'plantilla-nayarit.csv');
    const res = await fetch(`${service.url}/api/hr/rosters/imports?stateCode=18`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
    const { jobId } = (await res.json()) as { jobId: string };
    let job: Record<string, unknown> = {};
    await waitFor(
      async () => {
        const r = await fetch(`${service.url}/api/jobs/${jobId}`, { headers: { authorization: `Bearer ${token}` } });
        job = (await r.json()) as Record<string, unknown>;
        if (job.status === 'failed') throw new Error(`roster import failed: ${String(job.failureReason)}`);
        return job.status === 'completed';
      },
      { timeoutMs: 600000, intervalMs: 50, what: 'the roster import job' },
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const jobSeconds = (Date.parse(String(job.finishedAt)) - Date.parse(String(job.startedAt))) / 1000;
    const rss = peakRssMb(service.process.pid!);
    const imported = (job.result as { contractsInserted: number }).contractsInserted;
    if (imported !== rows) throw new Error(`the import wrote ${imported} contracts for ${rows} rows`);
    // The floor on the same tables, emptied again, as the service's import found them (best of 3).
    await service.stop();
    await db.query('TRUNCATE contract, post, worker CASCADE');
    let floorSeconds = Infinity;
    for (let run = 0; run < 3; run++) floorSeconds = Math.min(floorSeconds, await handWrittenFloor(db, file, rows));

    await db.query(
      `CREATE TABLE bench_copy (plaza text, codigo text, clues text, financiada text, estatus text, curp text, rfc text, nombre text,
                                profesion text, cedula text, tipo text, inicio date, fin date, origen text)`,
    );
    const copyStart = process.hrtime.bigint();
    await db.query(`COPY bench_copy FROM '${file}' WITH (FORMAT csv, HEADER true)`);
    const copySeconds = Number(process.hrtime.bigint() - copyStart) / 1e9;

    const value = rows / seconds;
    const baseline = rows / copySeconds;
    return {
      name: `hr roster import of ${rows} rows (HTTP → BullMQ → validate + upsert workers, posts, contracts + audit) vs raw COPY`,
      value,
      unit: 'rows/s',
      baseline,
      ratio: value / baseline,
      target: '≥ 0.5 × COPY, service peak RSS < 300 MB',
      met: value / baseline >= 0.5 && rss < 300,
      notes:
        `import ${seconds.toFixed(2)} s incl. upload and polling (the job itself ${jobSeconds.toFixed(2)} s, ${Math.round(rows / jobSeconds)} rows/s); ` +
        `COPY ${copySeconds.toFixed(3)} s; hand-written SQL floor (COPY to staging + INSERT … SELECT into worker, post and contract) ` +
        `${floorSeconds.toFixed(3)} s = ${(copySeconds / floorSeconds).toFixed(2)} × COPY, the job at ${(floorSeconds / jobSeconds).toFixed(2)} × that floor; service peak RSS ${rss.toFixed(0)} MB (old-space heap cap ${HEAP_CAP_MB} MB)`,
    };
  } finally {
    await stack.stop();
    rmSync(copyDir, { recursive: true, force: true });
  }
}
