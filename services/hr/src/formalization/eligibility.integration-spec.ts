import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createEvent, curpCheckDigit, runInContext, UnitStatusChanged, UnitStatusChangedV1 } from '@imb/contracts';
import type { JobContext, JobProcessorRegistry } from '@imb/jobs';
import { createTestDataSource } from '@imb/testing';
import { hrSchema } from '../schema';
import { loadCampaign } from './campaign-record';
import { EligibilityProcessor, EligibilityRequest } from './eligibility.processor';
import { FormalizationConfig } from './formalization.config';
import { appointCandidates, lockCandidates } from './step-moves';
import { applyUnitStatusChanged } from './unit-status.consumer';

/**
 * The eligibility job on real PostgreSQL over a crafted population: one person per case, each
 * with the criteria they are expected to fail, so every criterion is checked against every person.
 */
const CUTOFF = '2026-01-31';
const curp = (n: number, abbr = 'NT') => {
  const body = `PERA${String(70 + n).padStart(2, '0')}0115H${abbr}BBB0`.slice(0, 16) + 'A';
  return body + curpCheckDigit(body);
};

interface Person {
  case: string;
  state?: string;
  unit?: 'ok' | 'excluded' | 'colima';
  code?: string;
  profession?: string | null;
  licence?: string | null;
  contracts: { type: string; startsOn: string; endsOn?: string }[];
  evaluation?: [number, number] | null;
  permanentPost?: boolean;
  barred?: boolean;
  /** Criteria this person must fail; null: not a candidate at all. */
  fails: string[] | null;
}

const PEOPLE: Person[] = [
  { case: 'meets every criterion', contracts: [{ type: 'eventual', startsOn: '2024-03-01' }], fails: [] },
  { case: 'temporary contract, exactly 6 months', contracts: [{ type: 'temporal', startsOn: '2025-07-31' }], fails: [] },
  { case: 'honorarios', contracts: [{ type: 'honorarios', startsOn: '2023-01-01' }], fails: ['contract-type'] },
  { case: 'contract ended before the cut-off', contracts: [{ type: 'eventual', startsOn: '2023-01-01', endsOn: '2025-12-31' }], fails: ['contract-type'] },
  { case: 'unit excluded from the transfer', unit: 'excluded', contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: ['transferable-unit'] },
  { case: 'state has not joined', state: '06', unit: 'colima', contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: ['transferable-unit'] },
  { case: '5 months of seniority', contracts: [{ type: 'eventual', startsOn: '2025-08-01' }], fails: ['seniority'] },
  {
    case: 'earlier honorarios contract counts for seniority; the eventual one is put forward',
    contracts: [
      { type: 'honorarios', startsOn: '2020-05-01' },
      { type: 'eventual', startsOn: '2025-12-01' },
    ],
    fails: [],
  },
  { case: 'nursing profession on a doctor post', profession: 'LICENCIADA EN ENFERMERIA', contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: ['profile'] },
  { case: 'no licence', licence: null, contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: ['profile'] },
  { case: 'administrative post without profession', code: 'A01806', profession: null, licence: null, contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: [] },
  { case: 'no evaluation', evaluation: null, contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: ['performance-training'] },
  { case: 'low performance score', evaluation: [60, 40], contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: ['performance-training'] },
  { case: 'permanent post at IMSS', permanentPost: true, contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: ['no-permanent-post'] },
  { case: 'barred from public service', barred: true, contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: ['not-barred'] },
  {
    case: 'several failures at once',
    evaluation: [90, 5],
    barred: true,
    contracts: [{ type: 'honorarios', startsOn: '2025-10-01' }],
    fails: ['contract-type', 'seniority', 'performance-training', 'not-barred'],
  },
  { case: 'base contract only: not a candidate', contracts: [{ type: 'base', startsOn: '2015-01-01' }], fails: null },
  { case: 'works in a state outside the campaign: not a candidate', state: '13', contracts: [{ type: 'eventual', startsOn: '2023-01-01' }], fails: null },
];

describe('formalization eligibility on PostgreSQL', () => {
  let ctx: Awaited<ReturnType<typeof createTestDataSource>>;
  let ds: DataSource;
  let processor: EligibilityProcessor;
  const campaignId = randomUUID();
  const units = { ok: randomUUID(), excluded: randomUUID(), colima: randomUUID(), hidalgo: randomUUID() };
  const config = Object.assign(new FormalizationConfig(), { FORMALIZATION_EVALUATION_CHUNK: 5 });

  /**
   * Runs the job as the job runner would, keeping the checkpoint in memory; `crashAfter` chunks it
   * fails as a killed process would (its last transaction rolled back), and returns the checkpoint.
   */
  const runJob = async (attempt = 1, from: unknown = null, crashAfter = Infinity) => {
    let checkpoint: unknown = from;
    let saved = 0;
    const job = {
      jobId: `hr-${randomUUID()}`,
      kind: 'hr.formalization-eligibility',
      request: { campaignId },
      get checkpoint() {
        return checkpoint;
      },
      attempt,
      saveCheckpoint: async (c: unknown) => {
        if (++saved > crashAfter) throw new Error(`killed after ${crashAfter} chunks`);
        checkpoint = c;
      },
      progress: async () => undefined,
      addErrors: async () => undefined,
      heartbeat: async () => undefined,
    } as unknown as JobContext<EligibilityRequest, never>;
    const run = runInContext({ correlationId: randomUUID(), actor: 'test' }, () => processor.run(job));
    return crashAfter === Infinity ? run : run.then(() => Promise.reject(new Error('the job was meant to be killed')), () => checkpoint);
  };

  beforeAll(async () => {
    ctx = await createTestDataSource({ name: 'hr_formalization', ...hrSchema });
    ds = ctx.dataSource;
    processor = new EligibilityProcessor(ds, { register: () => undefined } as unknown as JobProcessorRegistry, config);
    await ds.query(
      `INSERT INTO state (state_code, state_name, stage, stage_since, definition_version, last_event_id, last_event_at, updated_at)
       VALUES ('18', 'Nayarit', 'HANDOVER', now(), 1, gen_random_uuid(), now(), now()), ('06', 'Colima', 'DIAGNOSIS', now(), 1, gen_random_uuid(), now(), now()),
              ('13', 'Hidalgo', 'OPERATION', now(), 1, gen_random_uuid(), now(), now())`,
    );
    await ds.query(
      `INSERT INTO hr_unit (unit_id, clues, state_code, name) VALUES ($1, 'NTIMB000001', '18', 'TEPIC'), ($2, 'NTIMB000002', '18', 'XALISCO'),
              ($3, 'CLIMB000001', '06', 'COLIMA'), ($4, 'HGIMB000001', '13', 'PACHUCA')`,
      [units.ok, units.excluded, units.colima, units.hidalgo],
    );
    await ds.transaction((m) =>
      applyUnitStatusChanged(
        m,
        createEvent(UnitStatusChanged, {
          unitId: units.excluded,
          clues: 'NTIMB000002',
          stateCode: '18',
          fromStatus: 'INVENTORIED',
          toStatus: 'EXCLUDED',
          reason: 'private property',
          changedAt: '2025-06-01T00:00:00.000Z',
        } satisfies UnitStatusChangedV1),
      ),
    );
    await ds.query(
      `INSERT INTO formalization_campaign (id, name, states, cutoff_date, rules, created_by) VALUES ($1, 'wave 1', '{18,06}', $2, $3, 'test')`,
      [campaignId, CUTOFF, JSON.stringify({ minSeniorityMonths: 6, minPerformanceScore: 70, minTrainingHours: 20 })],
    );
    for (const kind of ['permanent-posts', 'barred', 'evaluations']) {
      await ds.query(`INSERT INTO formalization_list (campaign_id, kind, file_name, sha256, entries, uploaded_by) VALUES ($1, $2, 'f.csv', $3, 0, 'test')`, [campaignId, kind, '0'.repeat(64)]);
    }
    let post = 0;
    for (const [i, p] of PEOPLE.entries()) {
      const state = p.state ?? '18';
      const workerId = randomUUID();
      await ds.query(`INSERT INTO worker (id, curp, name, profession, licence, state_code) VALUES ($1, $2, $3, $4, $5, $6)`, [
        workerId,
        curp(i),
        p.case,
        p.profession === undefined ? 'MEDICO CIRUJANO' : p.profession,
        p.licence === undefined ? '7654321' : p.licence,
        state,
      ]);
      for (const k of p.contracts) {
        const postId = randomUUID();
        const unit = state === '13' ? units.hidalgo : units[p.unit ?? 'ok'];
        await ds.query(`INSERT INTO post (id, state_code, number, code, unit_id, funded, status, status_reason) VALUES ($1, $2, $3, $4, $5, true, 'occupied', 'roster')`, [
          postId,
          state,
          `P${++post}`,
          p.code ?? 'M01006',
          unit,
        ]);
        await ds.query(`INSERT INTO contract (id, post_id, worker_id, state_code, type, origin, starts_on, ends_on) VALUES ($1, $2, $3, $4, $5, 'state-payroll', $6, $7)`, [
          randomUUID(),
          postId,
          workerId,
          state,
          k.type,
          k.startsOn,
          k.endsOn ?? null,
        ]);
      }
      const entry = (kind: string, detail: string | null, score: number | null, hours: number | null) =>
        ds.query(`INSERT INTO formalization_list_entry (campaign_id, kind, curp, row, detail, score, training_hours) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
          campaignId,
          kind,
          curp(i),
          i + 2,
          detail,
          score,
          hours,
        ]);
      const evaluation = p.evaluation === undefined ? [85, 40] : p.evaluation;
      if (evaluation) await entry('evaluations', null, evaluation[0], evaluation[1]);
      if (p.permanentPost) await entry('permanent-posts', 'IMSS', null, null);
      if (p.barred) await entry('barred', 'inhabilitación por 5 años', null, null);
    }
  });
  afterAll(() => ctx?.destroy());

  const stored = async () =>
    new Map(
      (
        await ds.query<{ curp: string; eligible: boolean; failed: string[]; outcomes: unknown; evaluated_at: Date }[]>(
          `SELECT curp, eligible, failed, outcomes, evaluated_at FROM formalization_candidate WHERE campaign_id = $1`,
          [campaignId],
        )
      ).map((r) => [r.curp, r]),
    );

  it('stores, criterion by criterion, the expected outcome for every person, resuming after a crash', async () => {
    // Killed after two chunks of five: those stay written, and the next attempt resumes after them.
    const checkpoint = await runJob(1, null, 2);
    expect(checkpoint).toMatchObject({ evaluated: 10, added: 10 });
    expect(await ds.query(`SELECT count(*)::int AS n FROM formalization_candidate`)).toEqual([{ n: 10 }]);
    const result = await runJob(2, checkpoint);
    const expected = PEOPLE.filter((p) => p.fails !== null);
    expect(result).toMatchObject({ candidates: expected.length, eligible: expected.filter((p) => !p.fails!.length).length, changed: expected.length, added: expected.length });
    const rows = await stored();
    expect(rows.size).toBe(expected.length);
    for (const [i, p] of PEOPLE.entries()) {
      const row = rows.get(curp(i));
      if (p.fails === null) {
        expect({ case: p.case, row }).toEqual({ case: p.case, row: undefined });
        continue;
      }
      expect({ case: p.case, eligible: row?.eligible, failed: row?.failed }).toEqual({ case: p.case, eligible: p.fails.length === 0, failed: p.fails });
      expect((row!.outcomes as { criterion: string; pass: boolean }[]).map((o) => [o.criterion, o.pass])).toEqual(
        ['contract-type', 'transferable-unit', 'seniority', 'profile', 'performance-training', 'no-permanent-post', 'not-barred'].map((c) => [c, !p.fails!.includes(c)]),
      );
    }
    const excluded = rows.get(curp(PEOPLE.findIndex((p) => p.unit === 'excluded')))!.outcomes as { reason: string }[];
    expect(excluded[1].reason).toBe('unit NTIMB000002 was excluded from the transfer (private property)');
    const barred = rows.get(curp(PEOPLE.findIndex((p) => p.case === 'barred from public service')))!.outcomes as { reason: string }[];
    expect(barred[6].reason).toBe('barred from public service (list row 16: inhabilitación por 5 años)');
    expect(result.failedBy).toEqual({
      'contract-type': 3,
      'transferable-unit': 2,
      seniority: 2,
      profile: 2,
      'performance-training': 3,
      'no-permanent-post': 1,
      'not-barred': 2,
    });
  });

  it('changes nothing when run again', async () => {
    const before = await stored();
    const again = await runJob();
    expect(again).toMatchObject({ changed: 0, added: 0, removed: 0 });
    expect(await stored()).toEqual(before);
  });

  it('drops a candidate whose last non-base contract left the roster', async () => {
    const gone = curp(PEOPLE.findIndex((p) => p.case === 'no licence'));
    await ds.query(`UPDATE contract SET type = 'base' FROM worker w WHERE w.id = contract.worker_id AND w.curp = $1`, [gone]);
    expect(await runJob()).toMatchObject({ removed: 1, changed: 1, added: 0 });
    expect((await stored()).has(gone)).toBe(false);
  });

  it('appoints a person once: the contract becomes base and the post permanent, one event', async () => {
    const person = curp(0);
    const campaign = await loadCampaign(ds, campaignId);
    const appoint = () =>
      runInContext({ correlationId: randomUUID(), actor: 'test' }, () =>
        ds.transaction(async (m) => appointCandidates(m, campaign, [...(await lockCandidates(m, campaignId, [person])).values()], null)),
      );
    expect((await appoint()).map((c) => c.curp)).toEqual([person]);
    expect(await appoint()).toEqual([]);
    const [state] = await ds.query(
      `SELECT k.type, k.ends_on, p.permanent, c.step, (SELECT count(*)::int FROM formalization_appointment) AS appointments,
              (SELECT count(*)::int FROM outbox WHERE type = 'hr.worker-formalized.v1') AS events,
              (SELECT count(*)::int FROM audit_log WHERE action = 'worker.formalized') AS audits
         FROM formalization_candidate c JOIN contract k ON k.id = c.contract_id JOIN post p ON p.id = c.post_id WHERE c.curp = $1`,
      [person],
    );
    expect(state).toEqual({ type: 'base', ends_on: null, permanent: true, step: 'appointed', appointments: 1, events: 1, audits: 1 });
    // The appointed person is final: a new evaluation leaves them as they were.
    const rerun = await runJob();
    expect(rerun).toMatchObject({ changed: 0, removed: 0 });
    expect((await stored()).get(person)?.eligible).toBe(true);
  });
});
