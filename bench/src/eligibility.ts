import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Client } from 'pg';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { ServiceStack, waitFor } from '@imb/testing';
import { BenchResult } from './report';

const UNITS = 200;
const CUTOFF = '2026-01-31';
const CRITERIA = ['contract-type', 'transferable-unit', 'seniority', 'profile', 'performance-training', 'no-permanent-post', 'not-barred'];

/** Peak resident memory (VmHWM) of a process, in MB. */
function peakRssMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * `candidates` Nayarit workers on non-base contracts (plus a tenth as many on base contracts, who
 * are not candidates), spread over posts of four branches and 200 units (one excluded from the
 * transfer), with every criterion failing for some, and the campaign's three lists.
 */
export async function seed(db: Client, candidates: number, campaignId: string): Promise<void> {
  const units = Array.from({ length: UNITS }, () => randomUUID());
  await db.query(
    `INSERT INTO state (state_code, state_name, stage, stage_since, definition_version, last_event_id, last_event_at, updated_at)
     VALUES ('18', 'Nayarit', 'HANDOVER', now(), 1, gen_random_uuid(), now(), now())`,
  );
  await db.query(`INSERT INTO hr_unit (unit_id, clues, state_code, name) SELECT id, 'NTIMB' || lpad(k::text, 6, '0'), '18', 'CENTRO DE SALUD' FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, k)`, [units]);
  await db.query(`INSERT INTO formalization_unit_status (unit_id, status, reason, changed_at) VALUES ($1, 'EXCLUDED', 'inmueble particular', now())`, [units[0]]);
  const people = candidates + Math.floor(candidates / 10);
  await db.query(`CREATE TEMP TABLE seed AS SELECT n, gen_random_uuid() AS worker_id, gen_random_uuid() AS post_id, 'BENC' || lpad(n::text, 14, '0') AS curp,
                         (ARRAY['M01006', 'M02001', 'A01806', 'M03006'])[1 + n % 4] AS code FROM generate_series(0, $1 - 1) AS n`, [people]);
  await db.query(
    `INSERT INTO worker (id, curp, name, profession, licence, state_code)
     SELECT worker_id, curp, 'PERSONA ' || n,
            CASE code WHEN 'M01006' THEN CASE WHEN n % 30 = 11 THEN 'LICENCIADA EN ENFERMERIA' ELSE 'MEDICO CIRUJANO' END
                      WHEN 'M02001' THEN 'LICENCIADA EN ENFERMERIA' WHEN 'M03006' THEN 'TECNICO RADIOLOGO' END,
            CASE WHEN n % 45 = 7 THEN NULL ELSE (1000000 + n)::text END, '18'
       FROM seed`,
  );
  await db.query(
    `INSERT INTO post (id, state_code, number, code, unit_id, funded, status, status_reason)
     SELECT post_id, '18', 'P' || lpad(n::text, 7, '0'), code, ($1::uuid[])[1 + n % ${UNITS}], true, 'occupied', 'roster' FROM seed`,
    [units],
  );
  await db.query(
    `INSERT INTO contract (id, post_id, worker_id, state_code, type, origin, starts_on, ends_on)
     SELECT gen_random_uuid(), post_id, worker_id, '18',
            CASE WHEN n >= $1 THEN 'base' WHEN n % 10 = 3 THEN 'honorarios' WHEN n % 2 = 0 THEN 'eventual' ELSE 'temporal' END,
            'state-payroll', date '2021-01-01' + (n % 1900), CASE WHEN n % 97 = 5 THEN date '2025-12-31' END
       FROM seed`,
    [candidates],
  );
  await db.query(
    `INSERT INTO formalization_campaign (id, name, states, cutoff_date, rules, created_by) VALUES ($1, 'bench', '{18}', $2, $3, 'bench')`,
    [campaignId, CUTOFF, JSON.stringify({ minSeniorityMonths: 6, minPerformanceScore: 70, minTrainingHours: 20 })],
  );
  const lists: [string, string, string][] = [
    ['evaluations', 'n % 40 <> 13', `60 + n % 40, 10 + n % 50`],
    ['permanent-posts', 'n % 50 = 5', 'NULL::numeric, NULL::int'],
    ['barred', 'n % 50 = 9', 'NULL::numeric, NULL::int'],
  ];
  for (const [kind, where, values] of lists) {
    await db.query(`INSERT INTO formalization_list (campaign_id, kind, file_name, sha256, entries, uploaded_by) VALUES ($1, $2, 'bench.csv', $3, 0, 'bench')`, [campaignId, kind, '0'.repeat(64)]);
    await db.query(`INSERT INTO formalization_list_entry (campaign_id, kind, curp, row, detail, score, training_hours) SELECT $1, $2, curp, n + 2, NULL, ${values} FROM seed WHERE ${where}`, [campaignId, kind]);
  }
  await db.query(`ANALYZE`);
}

/**
 * The same 7 criteria as one hand-written statement over the same tables (the population, the
 * facts and the decision in SQL), stored in a table; returns the failures per criterion.
 */
async function handWrittenSql(db: Client, campaignId: string): Promise<Record<string, number>> {
  await db.query(
    `CREATE TABLE bench_baseline AS
     WITH pop AS (
       SELECT DISTINCT ON (k.worker_id) k.worker_id, k.type, k.starts_on, k.ends_on, w.curp, w.profession, w.licence, p.code, p.unit_id
         FROM contract k JOIN worker w ON w.id = k.worker_id JOIN post p ON p.id = k.post_id
        WHERE k.state_code = ANY('{18}') AND k.type <> 'base'
        ORDER BY k.worker_id, (k.type IN ('eventual', 'temporal')) DESC, k.starts_on, p.number
     ), facts AS (
       SELECT pop.*, pc.branch, s.stage, us.status AS unit_status, ev.score, ev.training_hours, pp.curp IS NOT NULL AS permanent, b.curp IS NOT NULL AS barred,
              (SELECT min(k2.starts_on) FROM contract k2 WHERE k2.worker_id = pop.worker_id) AS first_start
         FROM pop JOIN post_code pc ON pc.code = pop.code JOIN hr_unit u ON u.unit_id = pop.unit_id
         LEFT JOIN state s ON s.state_code = u.state_code LEFT JOIN formalization_unit_status us ON us.unit_id = pop.unit_id
         LEFT JOIN formalization_list_entry ev ON ev.campaign_id = $1 AND ev.kind = 'evaluations' AND ev.curp = pop.curp
         LEFT JOIN formalization_list_entry pp ON pp.campaign_id = $1 AND pp.kind = 'permanent-posts' AND pp.curp = pop.curp
         LEFT JOIN formalization_list_entry b ON b.campaign_id = $1 AND b.kind = 'barred' AND b.curp = pop.curp
     )
     SELECT worker_id,
            type IN ('eventual', 'temporal') AND starts_on <= $2::date AND (ends_on IS NULL OR ends_on >= $2::date) AS c1,
            coalesce(stage NOT IN ('DIAGNOSIS', 'DECLINED', 'SUSPENDED'), false) AND unit_status IS DISTINCT FROM 'EXCLUDED' AS c2,
            extract(year FROM age($2::date, first_start)) * 12 + extract(month FROM age($2::date, first_start)) >= 6 AS c3,
            branch = 'afin' OR (coalesce(profession, '') <> '' AND coalesce(licence, '') <> ''
              AND (branch = 'paramedica' OR (branch = 'medica' AND profession ~ 'MEDIC|CIRUJAN|ODONTOLOG|DENTIST|ESPECIALISTA') OR (branch = 'enfermeria' AND profession ~ 'ENFERMER'))) AS c4,
            coalesce(score >= 70 AND training_hours >= 20, false) AS c5,
            NOT permanent AS c6,
            NOT barred AS c7
       FROM facts`,
    [campaignId, CUTOFF],
  );
  const { rows } = await db.query<Record<string, number>>(
    `SELECT count(*) FILTER (WHERE NOT c1)::int AS c1, count(*) FILTER (WHERE NOT c2)::int AS c2, count(*) FILTER (WHERE NOT c3)::int AS c3,
            count(*) FILTER (WHERE NOT c4)::int AS c4, count(*) FILTER (WHERE NOT c5)::int AS c5, count(*) FILTER (WHERE NOT c6)::int AS c6,
            count(*) FILTER (WHERE NOT c7)::int AS c7 FROM bench_baseline`,
  );
  return Object.fromEntries(CRITERIA.map((c, i) => [c, rows[0][`c${i + 1}`]]));
}

/**
 * Formalization eligibility of `candidates` people (HTTP → BullMQ job → population, facts joined
 * per chunk, the rule functions, outcomes written with audit and checkpoints) against one
 * hand-written SQL statement deciding the same criteria over the same tables.
 */
export async function benchEligibility(candidates = Number(process.env.BENCH_ELIGIBILITY_CANDIDATES ?? 100000)): Promise<BenchResult> {
  const stack = new ServiceStack('bench-hr-eligibility');
  try {
    const service = await stack.start('hr', { LOG_LEVEL: 'warn' });
    const db = await stack.connect('hr');
    const campaignId = randomUUID();
    await seed(db, candidates, campaignId);
    const token = await new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' })).sign({ sub: 'bench', roles: ['federal-coordinator'], states: [] });
    const call = async (method: string, path: string) => {
      const res = await fetch(`${service.url}/api/${path}`, { method, headers: { authorization: `Bearer ${token}` } });
      return (await res.json()) as Record<string, unknown>;
    };

    const idleRss = peakRssMb(service.process.pid!);
    const start = process.hrtime.bigint();
    const { jobId } = (await call('POST', `hr/formalization/campaigns/${campaignId}/eligibility`)) as { jobId: string };
    let job: Record<string, unknown> = {};
    await waitFor(
      async () => {
        job = await call('GET', `jobs/${jobId}`);
        if (job.status === 'failed') throw new Error(`eligibility failed: ${String(job.failureReason)}`);
        return job.status === 'completed';
      },
      { timeoutMs: 600000, intervalMs: 50, what: 'the eligibility job' },
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const rss = peakRssMb(service.process.pid!);
    const result = job.result as { candidates: number; eligible: number; failedBy: Record<string, number> };
    const running = (Date.parse(String(job.finishedAt)) - Date.parse(String(job.startedAt))) / 1000;
    if (result.candidates !== candidates) throw new Error(`the job evaluated ${result.candidates} candidates of ${candidates}`);

    const sqlStart = process.hrtime.bigint();
    const sqlFailed = await handWrittenSql(db, campaignId);
    const sqlSeconds = Number(process.hrtime.bigint() - sqlStart) / 1e9;
    for (const c of CRITERIA) {
      if (sqlFailed[c] !== result.failedBy[c]) throw new Error(`criterion ${c}: the job fails ${result.failedBy[c]} people, the hand-written SQL ${sqlFailed[c]}`);
    }

    const value = candidates / seconds;
    const baseline = candidates / sqlSeconds;
    return {
      name: `hr formalization eligibility of ${candidates} candidates × 7 criteria (HTTP → BullMQ → chunked facts + rule functions + outcomes, audit, checkpoints) vs one hand-written SQL statement`,
      value,
      unit: 'candidates/s',
      baseline,
      ratio: value / baseline,
      target: '≥ 0.1 × SQL, service peak RSS < 300 MB',
      met: value / baseline >= 0.1 && rss < 300,
      notes: `${result.eligible} eligible; job ${seconds.toFixed(2)} s incl. enqueue and polling (${running.toFixed(2)} s running); SQL ${sqlSeconds.toFixed(3)} s; service peak RSS ${rss.toFixed(0)} MB (${idleRss.toFixed(0)} MB before the job)`,
    };
  } finally {
    await stack.stop();
  }
}
