import { EVENT_CATALOGUE, Topics } from '@imb/contracts';
import { testClient } from '@imb/testing';
import { Stack } from '../../robustness/support/stack';
import { callUntilAnswered, DECLINED, Workload } from './workload';

/**
 * The invariants checked once the platform is quiet again after the faults. Each returns how many
 * cases it checked and a line per violation.
 */
export interface InvariantResult {
  invariant: string;
  checked: number;
  violations: string[];
}

/** Every consumer group of the platform, the service whose inbox holds it, and the topics it reads. */
export const SUBSCRIBERS: { service: string; group: string; topics: string[] }[] = [
  { service: 'transfer', group: 'transfer.gates', topics: [Topics.HrRoster, Topics.ProcurementEnrollment] },
  { service: 'hr', group: 'hr.units', topics: [Topics.TransferUnit] },
  { service: 'hr', group: 'hr.formalization-units', topics: [Topics.TransferUnit] },
  { service: 'hr', group: 'hr.hiring', topics: [Topics.HrRoster] },
  { service: 'procurement', group: 'procurement.enrollment', topics: [Topics.TransferStateTransfer] },
  { service: 'dignification', group: 'dignification.units', topics: [Topics.TransferUnit] },
  // The state snapshot every service keeps through @imb/states.
  ...['hr', 'procurement', 'dignification'].map((service) => ({
    service,
    group: `${service}.state-transfer`,
    topics: [Topics.TransferStateTransfer],
  })),
  {
    service: 'gateway',
    group: 'gateway.overview',
    topics: [...new Set(EVENT_CATALOGUE.map((d) => d.topic))].filter((t) => t !== Topics.AuditChain),
  },
  { service: 'gateway', group: 'gateway.audit-anchors', topics: [Topics.AuditChain] },
];

export class Invariants {
  constructor(
    private readonly stack: Stack,
    private readonly workload: Workload,
    private readonly auditorToken: string,
    private readonly federalToken: string,
  ) {}

  private async query<T = Record<string, unknown>>(
    service: string,
    sql: string,
    params: unknown[] = [],
  ): Promise<T[]> {
    const database = this.stack.services.find((s) => s.name === service)!.database;
    const db = testClient(database);
    await db.connect();
    try {
      return (await db.query(sql, params)).rows as T[];
    } finally {
      await db.end();
    }
  }

  private async count(service: string, sql: string, params: unknown[] = []): Promise<number> {
    return Number((await this.query<{ n: string }>(service, sql, params))[0].n);
  }

  /** Quiet: every outbox relayed, no job queued or running, every subscriber caught up. */
  async quiet(): Promise<boolean> {
    for (const s of this.stack.services) {
      if ((await this.count(s.name, `SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`)) > 0)
        return false;
      if (!(await this.hasJobs(s.name))) continue;
      if (
        (await this.count(s.name, `SELECT count(*) AS n FROM job WHERE status IN ('queued', 'running')`)) > 0
      )
        return false;
    }
    return (await this.eventsConsumedOnce()).violations.length === 0;
  }

  /** Whether the service runs jobs (the gateway has none). */
  private async hasJobs(service: string): Promise<boolean> {
    return (await this.query<{ yes: boolean }>(service, `SELECT to_regclass('job') IS NOT NULL AS yes`))[0]
      .yes;
  }

  async all(): Promise<InvariantResult[]> {
    return [
      await this.commandsReflectedOnce(),
      await this.eventsConsumedOnce(),
      await this.projectionsWithoutDuplicates(),
      await this.readModelEqualsServices(),
      await this.jobsFinished(),
      await this.auditChainsVerify(),
    ];
  }

  /** Every command answered 2xx is in its service's database exactly once. */
  async commandsReflectedOnce(): Promise<InvariantResult> {
    const violations: string[] = [];
    const expectOnce = (what: string, n: number) =>
      n !== 1 && violations.push(`${what}: ${n} times, expected once`);
    const itemClosures = (stateCode: string, item: string) =>
      this.count(
        'transfer',
        `SELECT count(*) AS n FROM audit_log WHERE action = 'transfer.checklist-item-completed' AND entity_id = $1`,
        [`${stateCode}/${item}`],
      );
    for (const c of this.workload.accepted) {
      const { stateCode } = c.key;
      const round = this.workload.rounds.find((r) => r.stateCode === stateCode)!;
      if (c.command === 'close item') {
        expectOnce(
          `${stateCode}: item ${c.key.item} closed (audit)`,
          await itemClosures(stateCode, c.key.item),
        );
      } else if (c.command === 'advance') {
        const audited = await this.count(
          'transfer',
          `SELECT count(*) AS n FROM audit_log WHERE action = 'transfer.stage-changed' AND state_code = $1 AND after->>'stage' = $2`,
          [stateCode, c.key.toStage],
        );
        expectOnce(`${stateCode}: advance to ${c.key.toStage} (audit)`, audited);
        const events = await this.count(
          'transfer',
          `SELECT count(*) AS n FROM outbox WHERE type = 'transfer.stage-changed.v1' AND key = $1 AND (event::jsonb)->'data'->>'toStage' = $2`,
          [stateCode, c.key.toStage],
        );
        expectOnce(`${stateCode}: advance to ${c.key.toStage} (stage-changed event)`, events);
      } else if (c.command === 'units import') {
        const rows = await this.count('transfer', `SELECT count(*) AS n FROM unit WHERE state_code = $1`, [
          stateCode,
        ]);
        if (rows !== round.units)
          violations.push(
            `${stateCode}: units import ${c.key.jobId}: ${rows} units stored, expected ${round.units}`,
          );
        const events = await this.count(
          'transfer',
          `SELECT count(*) AS n FROM outbox WHERE type = 'transfer.unit-inventoried.v1' AND (event::jsonb)->'data'->>'stateCode' = $1`,
          [stateCode],
        );
        if (events !== round.units)
          violations.push(
            `${stateCode}: units import ${c.key.jobId}: ${events} unit-inventoried events, expected ${round.units}`,
          );
      } else if (c.command === 'roster import') {
        const { occupied, vacant } = round.roster;
        const posts = await this.count('hr', `SELECT count(*) AS n FROM post WHERE state_code = $1`, [
          stateCode,
        ]);
        const workers = await this.count('hr', `SELECT count(*) AS n FROM worker WHERE state_code = $1`, [
          stateCode,
        ]);
        if (workers !== occupied)
          violations.push(
            `${stateCode}: roster import ${c.key.jobId}: ${workers} workers, expected ${occupied}`,
          );
        if (posts !== occupied + vacant)
          violations.push(
            `${stateCode}: roster import ${c.key.jobId}: ${posts} posts, expected ${occupied + vacant}`,
          );
        const reconciled = await this.count(
          'hr',
          `SELECT count(*) AS n FROM outbox WHERE type = 'hr.roster-reconciled.v1' AND key = $1`,
          [stateCode],
        );
        expectOnce(`${stateCode}: roster import ${c.key.jobId} (roster-reconciled event)`, reconciled);
        if (DECLINED.includes(stateCode))
          expectOnce(
            `${stateCode}: roster-reconciled gate item closed by the event (audit)`,
            await itemClosures(stateCode, 'roster-reconciled'),
          );
      } else if (c.command === 'create exercise' || c.command === 'advance exercise') {
        const stage = c.key.toStage ?? 'NEEDS_DIAGNOSIS';
        const events = await this.count(
          'procurement',
          `SELECT count(*) AS n FROM outbox WHERE type = 'procurement.exercise-stage-changed.v1' AND (event::jsonb)->'data'->>'toStage' = $1`,
          [stage],
        );
        expectOnce(`exercise ${c.key.code} to ${stage} (stage-changed event)`, events);
      } else if (c.command === 'consolidate') {
        const lines = this.workload.once.demandLines;
        const stored = await this.count('procurement', `SELECT count(*) AS n FROM demand_line`);
        if (typeof lines === 'number' && stored !== lines)
          violations.push(`demand import: ${stored} demand lines stored, the job reported ${lines}`);
        expectOnce(
          'consolidation (demand-consolidated event)',
          await this.count(
            'procurement',
            `SELECT count(*) AS n FROM outbox WHERE type = 'procurement.demand-consolidated.v1'`,
          ),
        );
      } else if (c.command === 'create programme') {
        expectOnce(
          `programme ${c.key.id}`,
          await this.count('dignification', `SELECT count(*) AS n FROM programme WHERE id = $1`, [c.key.id]),
        );
      } else if (c.command === 'eligibility') {
        // Every person on a non-base contract of the state is a candidate once, evaluated, and the job says so.
        const [row] = await this.query<{ candidates: number; evaluated: number }>(
          'hr',
          `SELECT count(*)::int AS candidates, count(*) FILTER (WHERE eligible IS NOT NULL AND evaluated_at IS NOT NULL)::int AS evaluated
             FROM formalization_candidate WHERE campaign_id = $1`,
          [c.key.campaignId],
        );
        const expected = round.roster.candidates;
        const reported = this.workload.once.eligibilityCandidates;
        if (row.candidates !== expected || row.evaluated !== expected || reported !== expected)
          violations.push(
            `eligibility ${c.key.jobId}: ${row.candidates} candidates, ${row.evaluated} evaluated, job reported ${reported}; expected ${expected}`,
          );
      } else if (c.command === 'allocate') {
        const computed = await this.count(
          'dignification',
          `SELECT count(*) AS n FROM outbox WHERE type = 'dignification.allocation-computed.v1'`,
        );
        if (computed !== (this.workload.once.allocationChanged ? 1 : 0))
          violations.push(
            `allocation ${c.key.jobId}: ${computed} allocation-computed events, changed = ${this.workload.once.allocationChanged}`,
          );
      }
    }
    return {
      invariant: 'every 2xx command reflected exactly once',
      checked: this.workload.accepted.length,
      violations,
    };
  }

  /** Every event of every outbox was recorded once in the inbox of every group reading its topic, and nothing else was. */
  async eventsConsumedOnce(): Promise<InvariantResult> {
    const violations: string[] = [];
    let published: { event_id: string; topic: string }[] = [];
    // One service's outbox can hold hundreds of thousands of events: concat, not push(...rows).
    for (const s of this.stack.services)
      published = published.concat(
        await this.query<{ event_id: string; topic: string }>(s.name, `SELECT event_id, topic FROM outbox`),
      );
    const unsent = (
      await Promise.all(
        this.stack.services.map((s) =>
          this.count(s.name, `SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL`),
        ),
      )
    ).reduce((a, b) => a + b, 0);
    if (unsent) violations.push(`${unsent} outbox events never relayed`);
    for (const sub of SUBSCRIBERS) {
      const expected = new Set(published.filter((e) => sub.topics.includes(e.topic)).map((e) => e.event_id));
      const rows = await this.query<{ event_id: string }>(
        sub.service,
        `SELECT event_id FROM inbox WHERE consumer_group LIKE '%' || $1`,
        [sub.group],
      );
      const seen = new Set(rows.map((r) => r.event_id));
      const missing = [...expected].filter((id) => !seen.has(id)).length;
      const unknown = [...seen].filter((id) => !expected.has(id)).length;
      if (rows.length !== seen.size)
        violations.push(`${sub.group}: ${rows.length - seen.size} events recorded twice`);
      if (missing) violations.push(`${sub.group}: ${missing} of ${expected.size} events never consumed`);
      if (unknown) violations.push(`${sub.group}: ${unknown} consumed events published by no outbox`);
    }
    return {
      invariant: 'every outbox event consumed once by every subscriber (inbox = outbox)',
      checked: published.length,
      violations,
    };
  }

  /** The projections built from events hold each entity once: HR's and the gateway's units equal transfer's. */
  async projectionsWithoutDuplicates(): Promise<InvariantResult> {
    const violations: string[] = [];
    const units = await this.count('transfer', `SELECT count(*) AS n FROM unit`);
    const hrUnits = await this.count('hr', `SELECT count(*) AS n FROM hr_unit`);
    if (hrUnits !== units) violations.push(`hr_unit holds ${hrUnits} units, transfer ${units}`);
    const twice = await this.count(
      'transfer',
      `SELECT count(*) AS n FROM (SELECT 1 FROM audit_log WHERE action = 'transfer.checklist-item-completed' GROUP BY entity_id HAVING count(*) > 1) d`,
    );
    if (twice) violations.push(`${twice} checklist items completed twice`);
    return {
      invariant: 'projections hold each entity once (hr_unit = transfer units)',
      checked: units,
      violations,
    };
  }

  /** The gateway's national overview equals the services' own figures, state by state. */
  async readModelEqualsServices(): Promise<InvariantResult> {
    const violations: string[] = [];
    const gateway = this.stack.services.find((s) => s.name === 'gateway')!.url;
    const overview = await callUntilAnswered(`${gateway}/api/overview`, {
      headers: { authorization: `Bearer ${this.federalToken}` },
    });
    const stages = new Map(
      (
        await this.query<{ state_code: string; stage: string }>(
          'transfer',
          `SELECT state_code, stage FROM state_transfer`,
        )
      ).map((r) => [r.state_code, r.stage]),
    );
    const units = await this.query<{ state_code: string; status: string; n: string }>(
      'transfer',
      `SELECT state_code, status, count(*) AS n FROM unit GROUP BY 1, 2`,
    );
    const states = overview.body?.states ?? [];
    if (!states.length) violations.push(`the overview lists no states (${overview.status})`);
    for (const s of states) {
      if ((stages.get(s.stateCode) ?? null) !== s.stage)
        violations.push(
          `state ${s.stateCode}: overview stage ${s.stage}, transfer ${stages.get(s.stateCode)}`,
        );
      const mine = units.filter((u) => u.state_code === s.stateCode);
      const total = mine.reduce((a, u) => a + Number(u.n), 0);
      if (total !== s.units.total)
        violations.push(`state ${s.stateCode}: overview ${s.units.total} units, transfer ${total}`);
      for (const u of mine) {
        if ((s.units.byStatus[u.status] ?? 0) !== Number(u.n))
          violations.push(
            `state ${s.stateCode}: overview ${s.units.byStatus[u.status] ?? 0} ${u.status} units, transfer ${u.n}`,
          );
      }
    }
    return {
      invariant: 'gateway overview = transfer figures (stage, units by status, per state)',
      checked: states.length,
      violations,
    };
  }

  /** No job left queued or running; every failed job says why. */
  async jobsFinished(): Promise<InvariantResult> {
    const violations: string[] = [];
    let checked = 0;
    for (const s of this.stack.services) {
      if (!(await this.hasJobs(s.name))) continue;
      const rows = await this.query<{ id: string; status: string; failure_reason: string | null }>(
        s.name,
        `SELECT id, status, failure_reason FROM job`,
      );
      checked += rows.length;
      for (const j of rows) {
        if (j.status === 'queued' || j.status === 'running')
          violations.push(`${s.name} job ${j.id} stuck ${j.status}`);
        if (j.status === 'failed' && !j.failure_reason)
          violations.push(`${s.name} job ${j.id} failed without a reason`);
      }
    }
    for (const j of this.workload.jobs) {
      const [row] = await this.query<{ status: string; failure_reason: string | null }>(
        j.service,
        `SELECT status, failure_reason FROM job WHERE id = $1`,
        [j.jobId],
      );
      if (row?.status !== 'completed')
        violations.push(`${j.kind} ${j.jobId}: ${row?.status ?? 'missing'} ${row?.failure_reason ?? ''}`);
    }
    return {
      invariant: 'every job completed or failed with a reason (workload jobs completed)',
      checked,
      violations,
    };
  }

  /** Every service's audit chain verifies. */
  async auditChainsVerify(): Promise<InvariantResult> {
    const violations: string[] = [];
    for (const s of this.stack.services) {
      const res = await callUntilAnswered(`${s.url}/api/audit/verify`, {
        headers: { authorization: `Bearer ${this.auditorToken}` },
      });
      if (res.status !== 200 || res.body?.valid !== true)
        violations.push(`${s.name}: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return {
      invariant: 'audit chain of every service verifies',
      checked: this.stack.services.length,
      violations,
    };
  }
}
