import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { STATES } from '@imb/contracts';
import { generatedCurp, generateRoster, isVacant, plantedFault } from '../../support/roster';
import { sleep } from './faults';

/**
 * The scripted workload of the fault suite, driven through the real HTTP APIs while faults are
 * injected, in rounds, one declined state each: its transfer journey step by step through the
 * gateway, a units catalogue import into transfer, and (once HR has learnt those units from
 * transfer's events) a roster import, whose roster-reconciled event closes the HANDOVER gate.
 * Every call is retried while the platform is unreachable (connection refused, 5xx), as a client
 * would; every command answered 2xx is written to the ledger the invariants check against.
 */
/** The states that declined to join (reference history): each round walks one of them through its transfer. */
export const DECLINED = ['14', '11', '01', '05', '08', '10', '19', '22'];

export interface Profile {
  /** Units and roster rows of the first round; later rounds use `nextUnits`/`nextRosterRows`. */
  units: number;
  rosterRows: number;
  nextUnits: number;
  nextRosterRows: number;
  faults: number;
  /** Pause before each fault, ms: [min, max). */
  pause: [number, number];
  /** Longest the workload waits for anything (a job, an event to arrive) before it stops with what it waited for. */
  waitLimitMs: number;
}

export const PROFILES: Record<'short' | 'full', Profile> = {
  short: {
    units: 2000,
    rosterRows: 3000,
    nextUnits: 1000,
    nextRosterRows: 1000,
    faults: 5,
    pause: [500, 3000],
    waitLimitMs: 4 * 60 * 1000,
  },
  full: {
    units: 64000,
    rosterRows: 100000,
    nextUnits: 4000,
    nextRosterRows: 5000,
    faults: 24,
    pause: [2000, 12000],
    waitLimitMs: 15 * 60 * 1000,
  },
};

/** A command the platform answered with 2xx. */
export interface AcceptedCommand {
  service: string;
  command: string;
  status: number;
  /** What it changed, for the invariants: e.g. { stateCode, item }, { stateCode, toStage }, { stateCode, jobId }. */
  key: Record<string, string>;
}

/** One round: a declined state, its units and its roster. */
export interface Round {
  stateCode: string;
  abbr: string;
  units: number;
  /** Rows of its roster; `candidates`: people on a non-base contract, whom a formalization campaign evaluates. */
  roster: { rows: number; occupied: number; vacant: number; candidates: number };
}

export interface Endpoints {
  gateway: string;
  transfer: string;
  hr: string;
  procurement: string;
  dignification: string;
  /** federal-coordinator, and procurement-officer for the procurement routes. */
  tokens: { federal: string; procurement: string };
}

/** The 2025-2026 consolidated-purchase annex (government file, 3,900 rows). */
export const ANNEX_2025 = join(__dirname, '..', '..', '..', '..', 'shared', 'data', 'demanda-2025-2026.xlsx');

/** The fields of the platform's answers this suite reads (job, transfer, error, verification, overview). */
export interface ApiBody {
  jobId: string;
  id: string;
  status: string;
  stage: string;
  code: string;
  failureReason?: string | null;
  valid: boolean;
  result?: { lines?: number; changed?: boolean; candidates?: number };
  items?: { id: string; name: string }[];
  checklist?: { id: string; done: boolean }[];
  states: {
    stateCode: string;
    stage: string | null;
    units: { total: number; byStatus: Record<string, number> };
  }[];
}

export interface Response {
  status: number;
  body: ApiBody | null;
}

/** Calls until the platform answers below 500 (a killed process refuses connections; the gateway answers 502/503 for it). */
export async function callUntilAnswered(
  url: string,
  init: RequestInit | (() => RequestInit),
  deadlineMs = 240000,
): Promise<Response> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    try {
      const res = await fetch(url, typeof init === 'function' ? init() : init);
      const text = await res.text();
      if (res.status < 500) return { status: res.status, body: text ? (JSON.parse(text) as ApiBody) : null };
    } catch {
      // connection refused or reset: the process is down
    }
    if (Date.now() > deadline) throw new Error(`no answer below 500 from ${url} in ${deadlineMs} ms`);
    await sleep(250);
  }
}

/** The body of an answer that must be `status` (202 with a job, 201 with a record), else the workload stops with it. */
function accepted(res: Response, status: number, what: string): ApiBody {
  if (res.status !== status || !res.body)
    throw new Error(`${what} refused: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

const json = (method: string, bearer: string, body?: unknown): RequestInit => ({
  method,
  headers: {
    authorization: `Bearer ${bearer}`,
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
  },
  body: body === undefined ? undefined : JSON.stringify(body),
});

const upload = (bearer: string, content: string | Buffer, name: string) => (): RequestInit => {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  return { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: form };
};

// Jalisco's gates (stage-definition version 1): the manual items closed by people, stage by stage.
const JOURNEY: { stage: string; manual: string[]; event: string[] }[] = [
  {
    stage: 'DIAGNOSIS',
    manual: ['transition-tables', 'units-inventory', 'staff-inventory', 'equipment-inventory'],
    event: [],
  },
  { stage: 'AGREEMENT', manual: ['agreement-signed'], event: [] },
  { stage: 'PUBLICATION', manual: ['agreement-published'], event: [] },
  { stage: 'ANNEXES', manual: ['annex-units', 'annex-posts', 'annex-amounts'], event: [] },
  { stage: 'HANDOVER', manual: ['handover-actas', 'clues-re-registered'], event: ['roster-reconciled'] },
  { stage: 'PAYROLL', manual: [], event: [] },
];

export class Workload {
  readonly accepted: AcceptedCommand[] = [];
  readonly jobs: { service: string; jobId: string; kind: string }[] = [];
  readonly rounds: Round[] = [];

  constructor(
    private readonly api: Endpoints,
    private readonly profile: Profile,
  ) {}

  /** A check to call on each turn of a wait: throws once the profile's `waitLimitMs` have passed. */
  private deadline(what: string): () => void {
    const limit = this.profile.waitLimitMs;
    const until = Date.now() + limit;
    return () => {
      if (Date.now() > until) throw new Error(`the workload waited ${limit / 60000} min for ${what}`);
    };
  }

  /** Set by the suite: whether HR's read model holds these CLUES (checked in its database). */
  hrKnowsUnits: (clues: string[]) => Promise<boolean> = () => Promise.resolve(true);

  /** The results of the procurement and dignification lane, for the invariants. */
  readonly once: { demandLines?: number; allocationChanged?: boolean; eligibilityCandidates?: number } = {};

  private firstRosterImported!: () => void;
  /** Resolves once the first round's roster is imported: the formalization campaign evaluates its people. */
  private readonly firstRoster = new Promise<void>((resolve) => (this.firstRosterImported = resolve));

  /**
   * Rounds until `stop` resolves (at least one): the declined states first, each walked through its
   * transfer, then the others (units and roster only), then the same files again (re-imports). Beside
   * the first rounds, once: a demand import and its consolidation, a dignification allocation, and
   * (once the first roster is in) HR's eligibility evaluation of a formalization campaign.
   */
  async run(stop: Promise<unknown>): Promise<void> {
    const started = Date.now();
    await Promise.all([this.runRounds(stop, started), this.demandAndAllocation(), this.eligibility(started)]);
    console.log(
      `workload done in ${((Date.now() - started) / 1000).toFixed(1)} s: ${this.rounds.length} rounds, ${this.accepted.length} commands accepted`,
    );
  }

  private async runRounds(stop: Promise<unknown>, started: number): Promise<void> {
    let stopped = false;
    void stop.then(() => (stopped = true));
    const order = [...DECLINED, ...STATES.map((s) => s.code).filter((c) => !DECLINED.includes(c))];
    // Past the last state the rounds start over with the same files: re-imports, which must change nothing.
    for (let n = 0; n === 0 || !stopped; n++) {
      const stateCode = order[n % order.length];
      const again = n >= order.length;
      const round = again ? this.rounds[n % order.length] : this.newRound(stateCode, n === 0);
      if (!again) this.rounds.push(round);
      const units = this.importUnits(round);
      const roster = units.then(() => this.importRoster(round));
      if (n === 0) void roster.then(this.firstRosterImported);
      await Promise.all([
        DECLINED.includes(stateCode) && !again ? this.journey(round, units) : units,
        roster,
      ]);
      const at = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `workload round ${n + 1} (state ${stateCode}${again ? ', re-import' : ''}) done at ${at} s`,
      );
    }
  }

  private newRound(stateCode: string, first: boolean): Round {
    const rows = first ? this.profile.rosterRows : this.profile.nextRosterRows;
    const roster = { rows, occupied: 0, vacant: 0, candidates: 0 };
    for (let i = 0; i < rows; i++) {
      if (plantedFault(i)) continue;
      if (isVacant(i)) roster.vacant++;
      else roster.occupied++;
      // Contracts cycle EVENTUAL, HONORARIOS, TEMPORAL, BASE (e2e/support/roster.ts).
      if (!isVacant(i) && i % 4 !== 3) roster.candidates++;
    }
    const abbr = STATES.find((s) => s.code === stateCode)!.abbr;
    return { stateCode, abbr, units: first ? this.profile.units : this.profile.nextUnits, roster };
  }

  /** Procurement: an exercise, its demand annex imported and consolidated. Dignification: a programme allocated. */
  private async demandAndAllocation(): Promise<void> {
    const officer = this.api.tokens.procurement;
    const procurement = `${this.api.procurement}/api/procurement/exercises`;
    const created = await callUntilAnswered(
      procurement,
      json('POST', officer, { code: '2025-2026', name: 'Licitación 2025-2026' }),
    );
    this.record('procurement', 'create exercise', created, { code: '2025-2026' });
    const advanced = await callUntilAnswered(
      `${procurement}/2025-2026/advance`,
      json('POST', officer, { toStage: 'DEMAND_INTEGRATION' }),
    );
    this.record('procurement', 'advance exercise', advanced, {
      code: '2025-2026',
      toStage: 'DEMAND_INTEGRATION',
    });
    const imported = await callUntilAnswered(
      `${procurement}/2025-2026/demand/imports`,
      upload(officer, readFileSync(ANNEX_2025), 'demanda-2025-2026.xlsx'),
    );
    const importJobId = accepted(imported, 202, 'demand import').jobId;
    this.jobs.push({ service: 'procurement', jobId: importJobId, kind: 'demand import 2025-2026' });
    const importJob = await this.finished('procurement', importJobId, officer);
    this.once.demandLines = importJob.result?.lines;
    const consolidated = await callUntilAnswered(
      `${procurement}/2025-2026/consolidate`,
      json('POST', officer),
    );
    const consolidationJobId = accepted(consolidated, 202, 'consolidation').jobId;
    this.record('procurement', 'consolidate', consolidated, { code: '2025-2026', jobId: consolidationJobId });
    this.jobs.push({ service: 'procurement', jobId: consolidationJobId, kind: 'consolidation 2025-2026' });
    await this.finished('procurement', consolidationJobId, officer);

    const federal = this.api.tokens.federal;
    const programme = await callUntilAnswered(
      `${this.api.dignification}/api/dignification/programmes`,
      json('POST', federal, { year: 2027, envelope: 1_000_000_000 }),
    );
    const { id } = accepted(programme, 201, 'programme');
    this.record('dignification', 'create programme', programme, { id });
    const allocate = await callUntilAnswered(
      `${this.api.dignification}/api/dignification/programmes/${id}/allocate`,
      json('POST', federal),
    );
    const allocationJobId = accepted(allocate, 202, 'allocation').jobId;
    this.record('dignification', 'allocate', allocate, { id, jobId: allocationJobId });
    this.jobs.push({ service: 'dignification', jobId: allocationJobId, kind: 'allocation 2027' });
    const job = await this.finished('dignification', allocationJobId);
    this.once.allocationChanged = job.result?.changed;
  }

  /**
   * HR: a formalization campaign over the first round's state, its three reference lists, and its
   * eligibility evaluation. A retried call whose first answer was lost finds the campaign, or the
   * evaluation, already there.
   */
  private async eligibility(started: number): Promise<void> {
    await this.firstRoster;
    const { stateCode, abbr } = this.rounds[0];
    const federal = this.api.tokens.federal;
    const campaigns = `${this.api.hr}/api/hr/formalization/campaigns`;
    const name = `Basificación ${stateCode} (fault suite)`;
    const created = await callUntilAnswered(
      campaigns,
      json('POST', federal, { name, states: [stateCode], cutoffDate: '2026-01-31' }),
    );
    let id = created.body?.id;
    if (created.status === 409) {
      const listed = await callUntilAnswered(`${campaigns}?pageSize=100`, json('GET', federal));
      id = listed.body?.items?.find((c) => c.name === name)?.id;
    } else accepted(created, 201, 'campaign');
    if (!id) throw new Error(`campaign ${name}: ${created.status} ${JSON.stringify(created.body)}`);
    const curps = [0, 1, 2].map((n) => generatedCurp(n, abbr));
    const lists: [string, string][] = [
      ['permanent-posts', `CURP,INSTITUCION\n${curps[0]},IMSS\n`],
      ['barred', `CURP,SANCION\n${curps[1]},INHABILITACION\n`],
      ['evaluations', `CURP,CALIFICACION,HORAS_CAPACITACION\n${curps[2]},90,40\n`],
    ];
    for (const [kind, csv] of lists)
      accepted(
        await callUntilAnswered(`${campaigns}/${id}/lists/${kind}`, upload(federal, csv, `${kind}.csv`)),
        201,
        `${kind} list`,
      );
    const evaluate = await callUntilAnswered(`${campaigns}/${id}/eligibility`, json('POST', federal));
    const jobId =
      evaluate.status === 409 && evaluate.body?.code === 'EVALUATION_RUNNING'
        ? evaluate.body.jobId
        : accepted(evaluate, 202, 'eligibility').jobId;
    this.accepted.push({
      service: 'hr',
      command: 'eligibility',
      status: evaluate.status,
      key: { stateCode, campaignId: id, jobId },
    });
    this.jobs.push({ service: 'hr', jobId, kind: `eligibility ${stateCode}` });
    const job = await this.finished('hr', jobId);
    this.once.eligibilityCandidates = job.result?.candidates;
    const at = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `workload eligibility (state ${stateCode}, ${job.result?.candidates} candidates) done at ${at} s`,
    );
  }

  private record(service: string, command: string, res: Response, key: Record<string, string>): void {
    if (res.status >= 200 && res.status < 300)
      this.accepted.push({ service, command, status: res.status, key });
  }

  /**
   * Waits for a job by polling its service (the service may be down meanwhile) and returns its
   * record once completed; a failed workload job stops the workload at once with its reason.
   */
  async finished(
    service: 'transfer' | 'hr' | 'procurement' | 'dignification',
    jobId: string,
    bearer = this.api.tokens.federal,
  ): Promise<ApiBody> {
    const base = this.api[service];
    for (const giveUp = this.deadline(`${service} job ${jobId} to finish`); ; giveUp()) {
      const job = await callUntilAnswered(`${base}/api/jobs/${jobId}`, json('GET', bearer));
      if (job.body?.status === 'completed') return job.body;
      if (job.body?.status === 'failed') throw new Error(`${service} job ${jobId} failed: ${job.body.failureReason}`);
      await sleep(500);
    }
  }

  unitKey = (round: Round, k: number) => `${round.abbr}SSA${String(k).padStart(6, '0')}`;

  private async importUnits(round: Round): Promise<void> {
    const lines = ['CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD'];
    for (let k = 1; k <= round.units; k++)
      lines.push(`${this.unitKey(round, k)},${round.stateCode},CENTRO DE SALUD ${k}`);
    const res = await callUntilAnswered(
      `${this.api.gateway}/api/transfers/${round.stateCode}/units/imports`,
      upload(this.api.tokens.federal, lines.join('\n') + '\n', `clues-${round.stateCode}.csv`),
    );
    const { jobId } = accepted(res, 202, 'units import');
    this.record('transfer', 'units import', res, { stateCode: round.stateCode, jobId });
    this.jobs.push({ service: 'transfer', jobId, kind: `units import ${round.stateCode}` });
    await this.finished('transfer', jobId);
  }

  /** HR learns units from transfer's events; the roster names the first 40 of them. */
  private async importRoster(round: Round): Promise<void> {
    const clues = Array.from({ length: Math.min(40, round.units) }, (_, k) => this.unitKey(round, k + 1));
    for (const giveUp = this.deadline('HR to learn the round\'s units'); !(await this.hrKnowsUnits(clues)); giveUp()) await sleep(500);
    const csv = generateRoster({ rows: round.roster.rows, abbr: round.abbr, clues });
    const res = await callUntilAnswered(
      `${this.api.hr}/api/hr/rosters/imports?stateCode=${round.stateCode}`,
      upload(this.api.tokens.federal, csv, `plantilla-${round.stateCode}.csv`),
    );
    const { jobId } = accepted(res, 202, 'roster import');
    this.record('hr', 'roster import', res, { stateCode: round.stateCode, jobId });
    this.jobs.push({ service: 'hr', jobId, kind: `roster import ${round.stateCode}` });
    await this.finished('hr', jobId);
  }

  /** The declined state restarts and walks its gates through the gateway, item by item. */
  private async journey(round: Round, unitsImported: Promise<void>): Promise<void> {
    const { stateCode } = round;
    const transfers = `${this.api.gateway}/api/transfers/${stateCode}`;
    const advance = async (toStage: string, reason?: string) => {
      const res = await callUntilAnswered(
        `${transfers}/advance`,
        json('POST', this.api.tokens.federal, { toStage, ...(reason ? { reason } : {}) }),
      );
      this.record('transfer', 'advance', res, { stateCode, toStage });
      if (res.status !== 200 && (await this.state(stateCode)).stage !== toStage)
        throw new Error(`advance ${stateCode} to ${toStage}: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await advance('DIAGNOSIS', 'the state signed a letter of intent to join');
    for (const [n, gate] of JOURNEY.entries()) {
      for (const item of gate.manual) {
        const evidence = { evidence: { reference: `${round.abbr}/${item}/2026`, date: '2026-03-02' } };
        const res = await callUntilAnswered(
          `${transfers}/checklist/${item}`,
          json('POST', this.api.tokens.federal, evidence),
        );
        this.record('transfer', 'close item', res, { stateCode, item });
        // Retried after an answer lost to a fault, the item is already closed: that is the earlier call's effect.
        if (res.status !== 200 && res.body?.code !== 'ITEM_ALREADY_DONE')
          throw new Error(`close ${stateCode}/${item}: ${res.status} ${JSON.stringify(res.body)}`);
      }
      const next = JOURNEY[n + 1];
      if (!next) break;
      if (gate.event.length) {
        // HR's roster import for the state emits roster-reconciled, which closes the gate's event item.
        await unitsImported;
        await this.waitForItems(stateCode, gate.event);
      }
      await advance(next.stage);
    }
  }

  private async state(stateCode: string): Promise<Partial<ApiBody>> {
    return (
      (
        await callUntilAnswered(
          `${this.api.gateway}/api/transfers/${stateCode}`,
          json('GET', this.api.tokens.federal),
        )
      ).body ?? {}
    );
  }

  private async waitForItems(stateCode: string, items: string[]): Promise<void> {
    for (const giveUp = this.deadline(`state ${stateCode}'s gate items ${items.join(', ')} to close`); ; giveUp()) {
      const state = await this.state(stateCode);
      const open = (state.checklist ?? []).filter((i) => items.includes(i.id) && !i.done);
      if (state.stage && open.length === 0) return;
      await sleep(500);
    }
  }
}
