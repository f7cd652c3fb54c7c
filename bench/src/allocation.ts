import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { ServiceStack, waitFor } from '@imb/testing';
import { BenchResult } from './report';

/** Tipologías in roughly the proportions of a real state catalogue (Hidalgo's), plus units the rules exclude. */
const TYPOLOGIES: [string, string, number][] = [
  ['RURAL DE 01 NÚCLEO BÁSICO', 'RURAL', 58],
  ['RURAL DE 02 NÚCLEOS BÁSICOS', 'RURAL', 4],
  ['RURAL DE 03 NÚCLEOS BÁSICOS Y MÁS', 'RURAL', 1],
  ['URBANO DE 01 NÚCLEOS BÁSICOS', 'URBANO', 8],
  ['URBANO DE 02 NÚCLEOS BÁSICOS', 'URBANO', 8],
  ['URBANO DE 03 NÚCLEOS BÁSICOS', 'URBANO', 12],
  ['URBANO DE 07 NÚCLEOS BÁSICOS', 'URBANO', 2],
  ['CENTRO DE SALUD CON SERVICIOS AMPLIADOS', 'URBANO', 1],
  ['UNIDAD MÓVIL', 'URBANO', 4],
  ['UNIDAD DE ESPECIALIDADES MÉDICAS (UNEMES)', 'URBANO', 2],
];
const JOINED = ['02', '03', '04', '06', '07', '09', '12', '13', '15', '16', '17', '18', '20', '21', '23', '24', '25', '26', '27', '28', '29', '30', '31', '32'];
const PREFIX: Record<string, string> = { '02': 'BC', '03': 'BS', '04': 'CC', '06': 'CL', '07': 'CS', '09': 'DF', '12': 'GR', '13': 'HG', '14': 'JC', '15': 'MC', '16': 'MN', '17': 'MS', '18': 'NT', '20': 'OC', '21': 'PL', '23': 'QR', '24': 'SP', '25': 'SL', '26': 'SR', '27': 'TC', '28': 'TS', '29': 'TL', '30': 'VZ', '31': 'YN', '32': 'ZS' };

/** Peak resident memory (VmHWM) of a process, in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function seedUnits(db: Client, total: number): Promise<void> {
  const weights = TYPOLOGIES.flatMap(([t, s, w]) => Array.from({ length: w }, () => [t, s] as const));
  const states = [...JOINED, '14'];
  const rows = Array.from({ length: total }, (_, i) => {
    const [typology, stratum] = weights[i % weights.length];
    const state = states[i % states.length];
    return { id: randomUUID(), clues: `${PREFIX[state]}IMB${String(i).padStart(6, '0')}`, state, typology, stratum };
  });
  await db.query(
    `INSERT INTO eligible_unit (unit_id, clues, state_code, name, establishment_type, typology, care_level, stratum, eligible, exclusion_reason)
     SELECT id, clues, st, 'CENTRO DE SALUD', 'DE CONSULTA EXTERNA', typ, 'PRIMER NIVEL', str, true, NULL
       FROM unnest($1::uuid[], $2::text[], $3::char(2)[], $4::text[], $5::text[]) AS t(id, clues, st, typ, str)`,
    [rows.map((r) => r.id), rows.map((r) => r.clues), rows.map((r) => r.state), rows.map((r) => r.typology), rows.map((r) => r.stratum)],
  );
  await db.query(
    `INSERT INTO state (state_code, state_name, stage, stage_since, definition_version, last_event_id, last_event_at, updated_at)
     SELECT code, 'State ' || code, CASE WHEN code = '14' THEN 'DECLINED' ELSE 'OPERATION' END, now(), 1, gen_random_uuid(), now(), now()
       FROM unnest($1::char(2)[]) AS code`,
    [states],
  );
}

/**
 * The same allocation by one hand-written statement: tier amounts from the tipología, joined
 * states only, priority order (rural first, fewer núcleos, CLUES) and a running sum cut at the
 * envelope. Returns the total allocated.
 */
async function handWrittenSql(db: Client, envelope: number): Promise<number> {
  const { rows } = await db.query<{ total: string }>(
      `WITH sized AS (
         SELECT u.unit_id, u.clues, u.stratum = 'RURAL' AS rural,
                CASE WHEN u.typology LIKE '%SERVICIOS AMPLIADOS%' THEN NULL ELSE substring(u.typology FROM '(\\d+) N')::int END AS nucleos,
                CASE WHEN u.typology LIKE '%SERVICIOS AMPLIADOS%' THEN 1200000
                     WHEN substring(u.typology FROM '(\\d+) N')::int = 1 THEN 400000
                     WHEN substring(u.typology FROM '(\\d+) N')::int = 2 THEN 600000
                     WHEN substring(u.typology FROM '(\\d+) N')::int <= 5 THEN 800000
                     ELSE 1000000 END AS amount
           FROM eligible_unit u JOIN state s ON s.state_code = u.state_code AND s.stage = 'OPERATION'
          WHERE u.typology NOT LIKE '%MÓVIL%' AND u.typology NOT LIKE '%ESPECIALIDADES%'
       ), ranked AS (
         SELECT unit_id, amount, sum(amount) OVER (ORDER BY rural DESC, nucleos ASC NULLS LAST, clues) AS running FROM sized
       ), stored AS (
         INSERT INTO bench_baseline (unit_id, amount) SELECT unit_id, amount FROM ranked WHERE running <= $1 RETURNING amount
       )
       SELECT coalesce(sum(amount), 0) AS total FROM stored`,
      [envelope],
    );
  return Number(rows[0].total);
}

export async function benchAllocation(total = Number(process.env.BENCH_ALLOCATION_UNITS ?? 12000)): Promise<BenchResult> {
  const stack = new ServiceStack('bench-dignification');
  try {
    const service = await stack.start('dignification', { LOG_LEVEL: 'warn' });
    const db = await stack.connect('dignification');
    await seedUnits(db, total);
    const token = await new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' })).sign({ sub: 'bench', roles: ['federal-coordinator'], states: [] });
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${service.url}/api/${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      });
      return (await res.json()) as Record<string, unknown>;
    };
    // An envelope short of the need (about 80 %), so the priority rule decides who is left out.
    const envelope = Math.round(total * 0.8 * 560_000);
    const { id } = (await call('POST', 'dignification/programmes', { year: 2030, envelope })) as { id: string };

    const start = process.hrtime.bigint();
    const { jobId } = (await call('POST', `dignification/programmes/${id}/allocate`)) as { jobId: string };
    let job: Record<string, unknown> = {};
    await waitFor(
      async () => {
        job = await call('GET', `jobs/${jobId}`);
        if (job.status === 'failed') throw new Error(`allocation failed: ${String(job.failureReason)}`);
        return job.status === 'completed';
      },
      { timeoutMs: 300000, intervalMs: 20, what: 'the allocation job' },
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rss = peakRssMb(service.process.pid!);
    const ours = (job.result as { total: number }).total;

    await db.query(`CREATE TABLE bench_baseline (unit_id uuid PRIMARY KEY, amount numeric NOT NULL)`);
    const sqlStart = process.hrtime.bigint();
    const sqlTotal = await handWrittenSql(db, envelope);
    const sqlSeconds = Number(process.hrtime.bigint() - sqlStart) / 1e9;
    if (sqlTotal !== ours) throw new Error(`the allocation (${ours}) differs from the hand-written SQL (${sqlTotal})`);

    const value = total / seconds;
    const baseline = total / sqlSeconds;
    return {
      name: `dignification allocation job over ${total} units (HTTP → BullMQ → store + audit + event) vs one hand-written SQL statement`,
      value,
      unit: 'units/s',
      baseline,
      ratio: value / baseline,
      target: '≥ 0.1 × SQL, service peak RSS < 300 MB',
      met: value / baseline >= 0.1 && rss < 300,
      notes: `MXN ${ours} allocated of ${envelope}; job ${seconds.toFixed(2)} s incl. enqueue and polling; SQL ${sqlSeconds.toFixed(3)} s; service peak RSS ${rss.toFixed(0)} MB`,
    };
  } finally {
    await stack.stop();
  }
}
