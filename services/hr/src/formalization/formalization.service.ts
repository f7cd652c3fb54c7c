import { Injectable } from '@nestjs/common';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { assertStateAccess, canAccessState, NATIONAL_ROLES, Principal } from '@imb/auth';
import { curpProblem, stateByCode } from '@imb/contracts';
import { JobsService } from '@imb/jobs';
import { DomainError, XlsxLimitsConfig, XlsxTooLarge } from '@imb/platform';
import { assertCampaignAccess, CampaignScope, readableStates } from './campaign-access';
import { Campaign, loadCampaign } from './campaign-record';
import { CampaignRules, CRITERIA, CriterionOutcome, DEFAULT_RULES } from './criteria';
import { ELIGIBILITY_JOB, EligibilityRequest } from './eligibility.processor';
import type { BulkMoveDto, CreateCampaignDto, ListCandidatesQuery, MoveStepDto, PageQuery } from './formalization.dto';
import type { ReceivedList } from './list-upload.interceptor';
import { LIST_KINDS, LIST_TITLES, ListKind, parseList, readListRows, UnreadableList } from './reference-list';
import { appointCandidates, appointmentProblem, applySteps, lockCandidates } from './step-moves';
import { STEP_MOVES_JOB, StepMovesRequest } from './step-moves.processor';
import { checkStepMove, STEPS } from './steps';

const LABELS = new Map<string, string>(CRITERIA.map((c) => [c.id, c.label]));

interface CandidateRow {
  curp: string;
  name: string;
  stateCode: string;
  postNumber: string | null;
  postCode: string | null;
  clues: string | null;
  contractType: string | null;
  eligible: boolean | null;
  failed: string[];
  criteria: CriterionOutcome[] | null;
  step: string;
  stepReason: string | null;
  stepChangedAt: Date | null;
  evaluatedAt: Date | null;
  appointedAt: Date | null;
}

const CANDIDATE_SELECT = `
  SELECT c.curp, w.name, c.state_code AS "stateCode", p.number AS "postNumber", p.code AS "postCode", u.clues, k.type AS "contractType",
         c.eligible, c.failed, c.outcomes AS criteria, c.step, c.step_reason AS "stepReason", c.step_changed_at AS "stepChangedAt",
         c.evaluated_at AS "evaluatedAt", a.appointed_at AS "appointedAt"
    FROM formalization_candidate c
    JOIN worker w ON w.id = c.worker_id
    LEFT JOIN contract k ON k.id = c.contract_id
    LEFT JOIN post p ON p.id = c.post_id
    LEFT JOIN hr_unit u ON u.unit_id = p.unit_id
    LEFT JOIN formalization_appointment a ON a.candidate_id = c.id`;

const view = (r: CandidateRow) => ({ ...r, criteria: r.criteria?.map((o) => ({ ...o, label: LABELS.get(o.criterion) })) ?? null });

/** Formalization campaigns: creation, reference lists, the eligibility job, candidates and their steps. */
@Injectable()
export class FormalizationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly xlsxLimits: XlsxLimitsConfig,
  ) {}

  async create(user: Principal, dto: CreateCampaignDto) {
    const states = [...new Set(dto.states)].sort();
    for (const s of states) assertStateAccess(user, s, 'write');
    // Rules not given keep the defaults (the DTO instance carries absent fields as undefined).
    const given = Object.entries(dto.rules ?? {}).filter(([, v]) => v !== undefined);
    const rules: CampaignRules = { ...DEFAULT_RULES, ...Object.fromEntries(given) };
    const id = randomUUID();
    await this.dataSource.transaction(async (m) => {
      const inserted = await m.query<unknown[]>(
        `INSERT INTO formalization_campaign (id, name, states, cutoff_date, rules, created_by) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (name) DO NOTHING RETURNING id`,
        [id, dto.name.trim(), states, dto.cutoffDate, JSON.stringify(rules), user.sub],
      );
      if (!inserted.length) throw new DomainError('CAMPAIGN_EXISTS', `There is already a campaign named "${dto.name.trim()}"; choose another name or use that one`, 409);
      await recordAudit(m, { action: 'formalization.campaign-created', entity: 'FormalizationCampaign', entityId: id, after: { name: dto.name.trim(), states, cutoffDate: dto.cutoffDate, rules } });
    });
    return this.get(user, id);
  }

  async list(user: Principal, q: PageQuery) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const national = user.roles.some((r) => NATIONAL_ROLES.includes(r));
    const where = `($1::boolean OR states && $2::char(2)[])`;
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM formalization_campaign WHERE ${where}`, [national, user.states]);
    const items = await this.dataSource.query<unknown[]>(
      `SELECT id, name, states::text[] AS states, cutoff_date::text AS "cutoffDate", rules, created_at AS "createdAt", evaluated_at AS "evaluatedAt"
         FROM formalization_campaign WHERE ${where} ORDER BY created_at DESC, id LIMIT $3 OFFSET $4`,
      [national, user.states, pageSize, (page - 1) * pageSize],
    );
    return { items, total, page, pageSize };
  }

  async get(user: Principal, id: string) {
    const campaign = await loadCampaign(this.dataSource, id);
    readableStates(user, campaign);
    const lists = await this.dataSource.query<{ kind: ListKind }[]>(
      `SELECT kind, file_name AS "fileName", sha256, entries, uploaded_by AS "uploadedBy", uploaded_at AS "uploadedAt"
         FROM formalization_list WHERE campaign_id = $1 ORDER BY kind`,
      [id],
    );
    return { ...campaign, lists: lists.map((l) => ({ ...l, title: LIST_TITLES[l.kind] })) };
  }

  /** Replaces the campaign's list of `kind` with the file's entries, or refuses the whole file with its row errors. */
  async uploadList(user: Principal, id: string, kind: string, file: ReceivedList) {
    if (!(LIST_KINDS as readonly string[]).includes(kind)) {
      throw new DomainError('UNKNOWN_LIST', `"${kind.slice(0, 50)}" is not a list of a campaign; upload one of ${LIST_KINDS.join(', ')}`, 404);
    }
    const listKind = kind as ListKind;
    const campaign = await loadCampaign(this.dataSource, id);
    assertCampaignAccess(user, campaign, 'write');
    let parsed;
    try {
      parsed = parseList(listKind, await readListRows(file.content, file.format, this.xlsxLimits));
    } catch (err) {
      if (err instanceof XlsxTooLarge) throw new DomainError(err.code, `${err.detail}. Nothing was stored.`, 413);
      if (err instanceof UnreadableList) throw new DomainError('UNREADABLE_FILE', `${err.message}. Nothing was stored.`, 400);
      throw err;
    }
    if (parsed.errors.length) {
      const rows = new Set(parsed.errors.map((e) => e.row)).size;
      const first = parsed.errors[0];
      throw new DomainError(
        'INVALID_LIST',
        `${rows} rows of the list have errors (first: row ${first.row}, ${first.field}: ${first.message}); nothing was stored. Correct them and upload the file again`,
        400,
        { errors: parsed.errors.slice(0, 1000), errorCount: parsed.errors.length },
      );
    }
    const sha256 = createHash('sha256').update(file.content).digest('hex');
    const e = parsed.entries;
    return this.dataSource.transaction(async (m) => {
      await loadCampaign(m, id, true);
      const [before] = await m.query<unknown[]>(`SELECT file_name AS "fileName", sha256, entries FROM formalization_list WHERE campaign_id = $1 AND kind = $2`, [id, listKind]);
      await m.query(`DELETE FROM formalization_list WHERE campaign_id = $1 AND kind = $2`, [id, listKind]);
      const [list] = await m.query<{ uploadedAt: Date }[]>(
        `INSERT INTO formalization_list (campaign_id, kind, file_name, sha256, entries, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6) RETURNING uploaded_at AS "uploadedAt"`,
        [id, listKind, file.name, sha256, e.length, user.sub],
      );
      await m.query(
        `INSERT INTO formalization_list_entry (campaign_id, kind, curp, row, detail, score, training_hours)
         SELECT $1, $2, * FROM unnest($3::text[], $4::int[], $5::text[], $6::numeric[], $7::int[])`,
        [id, listKind, e.map((x) => x.curp), e.map((x) => x.row), e.map((x) => x.detail), e.map((x) => x.score), e.map((x) => x.trainingHours)],
      );
      const after = { kind: listKind, fileName: file.name, sha256, entries: e.length };
      await recordAudit(m, { action: 'formalization.list-uploaded', entity: 'FormalizationCampaign', entityId: id, before: before ?? null, after, reason: `${LIST_TITLES[listKind]} for campaign "${campaign.name}"` });
      return { campaignId: id, ...after, title: LIST_TITLES[listKind], duplicates: parsed.duplicates, uploadedAt: list.uploadedAt };
    });
  }

  async requestEligibility(user: Principal, id: string): Promise<{ jobId: string }> {
    const campaign = await loadCampaign(this.dataSource, id);
    assertCampaignAccess(user, campaign, 'write');
    const present = new Set(
      (await this.dataSource.query<{ kind: string }[]>(`SELECT kind FROM formalization_list WHERE campaign_id = $1`, [id])).map((l) => l.kind),
    );
    const missing = LIST_KINDS.filter((k) => !present.has(k));
    if (missing.length) {
      throw new DomainError(
        'LISTS_MISSING',
        `Upload the campaign's ${missing.map((k) => `${k} list (${LIST_TITLES[k]})`).join(' and ')} before evaluating eligibility: POST …/campaigns/${id}/lists/{kind}`,
        409,
        { missing },
      );
    }
    const [running] = await this.dataSource.query<{ id: string }[]>(
      `SELECT id FROM job WHERE kind = $1 AND status IN ('queued', 'running') AND request->>'campaignId' = $2 LIMIT 1`,
      [ELIGIBILITY_JOB, id],
    );
    if (running) throw new DomainError('EVALUATION_RUNNING', `The eligibility of campaign "${campaign.name}" is being evaluated by job ${running.id}; wait for it to finish`, 409, { jobId: running.id });
    return { jobId: await this.jobs.enqueue(ELIGIBILITY_JOB, { campaignId: id } satisfies EligibilityRequest, { stateCodes: campaign.states }) };
  }

  async candidates(user: Principal, id: string, q: ListCandidatesQuery) {
    const campaign = await loadCampaign(this.dataSource, id);
    const states = this.statesFor(user, campaign, q.stateCode);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const where = `c.campaign_id = $1 AND c.state_code = ANY($2::char(2)[])
      AND ($3::text IS NULL OR ($3 = 'eligible' AND c.eligible) OR ($3 = 'ineligible' AND NOT c.eligible) OR ($3 = 'pending' AND c.eligible IS NULL))
      AND ($4::text IS NULL OR $4 = ANY(c.failed)) AND ($5::text IS NULL OR c.step = $5)`;
    const params = [id, states, q.outcome ?? null, q.criterion ?? null, q.step ?? null];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM formalization_candidate c WHERE ${where}`, params);
    const rows = await this.dataSource.query<CandidateRow[]>(`${CANDIDATE_SELECT} WHERE ${where} ORDER BY c.state_code, c.curp LIMIT $6 OFFSET $7`, [
      ...params,
      pageSize,
      (page - 1) * pageSize,
    ]);
    return { items: rows.map(view), total, page, pageSize };
  }

  async candidate(user: Principal, id: string, curp: string) {
    const campaign = await loadCampaign(this.dataSource, id);
    const states = readableStates(user, campaign);
    // Looked up in the caller's states only: a candidate elsewhere answers like no candidate, so
    // the answer never tells whether a CURP is in another state's campaign.
    const [row] = await this.dataSource.query<CandidateRow[]>(`${CANDIDATE_SELECT} WHERE c.campaign_id = $1 AND c.curp = $2 AND c.state_code = ANY($3::char(2)[])`, [
      id,
      curp.toUpperCase(),
      states,
    ]);
    if (!row) throw notACandidate(curp, campaign);
    return view(row);
  }

  /** Candidates, eligibility, failures by criterion and steps, per state the caller may read. */
  async counts(user: Principal, id: string) {
    const campaign = await loadCampaign(this.dataSource, id);
    const states = readableStates(user, campaign);
    const rows = await this.dataSource.query<Record<string, number | string>[]>(
      `SELECT state_code AS "stateCode", count(*)::int AS candidates, count(*) FILTER (WHERE eligible)::int AS eligible,
              count(*) FILTER (WHERE NOT eligible)::int AS ineligible, count(*) FILTER (WHERE eligible IS NULL)::int AS pending,
              ${STEPS.map((s) => `count(*) FILTER (WHERE step = '${s}')::int AS "step_${s}"`).join(', ')}
         FROM formalization_candidate WHERE campaign_id = $1 AND state_code = ANY($2::char(2)[]) GROUP BY state_code`,
      [id, states],
    );
    const failed = await this.dataSource.query<{ stateCode: string; criterion: string; n: number }[]>(
      `SELECT state_code AS "stateCode", f AS criterion, count(*)::int AS n
         FROM formalization_candidate, unnest(failed) AS f WHERE campaign_id = $1 AND state_code = ANY($2::char(2)[]) GROUP BY state_code, f`,
      [id, states],
    );
    return {
      campaignId: id,
      evaluatedAt: campaign.evaluatedAt,
      states: states.map((stateCode) => {
        const r = rows.find((x) => x.stateCode === stateCode);
        const n = (k: string) => Number(r?.[k] ?? 0);
        return {
          stateCode,
          stateName: stateByCode(stateCode)?.name ?? stateCode,
          candidates: n('candidates'),
          eligible: n('eligible'),
          ineligible: n('ineligible'),
          pending: n('pending'),
          failedBy: Object.fromEntries(CRITERIA.map((c) => [c.id, failed.find((f) => f.stateCode === stateCode && f.criterion === c.id)?.n ?? 0])),
          steps: Object.fromEntries(STEPS.map((s) => [s, n(`step_${s}`)])),
        };
      }),
    };
  }

  async moveStep(user: Principal, id: string, curp: string, dto: MoveStepDto) {
    const key = curp.toUpperCase();
    await this.dataSource.transaction(async (m) => {
      const campaign = await loadCampaign(m, id);
      readableStates(user, campaign);
      const candidate = (await lockCandidates(m, id, [key])).get(key);
      // A candidate of a state the caller may not read answers like no candidate (no CURP oracle).
      if (!candidate || !canAccessState(user, candidate.stateCode, 'read')) throw notACandidate(key, campaign);
      assertStateAccess(user, candidate.stateCode, 'write');
      checkStepMove(candidate, dto.toStep, dto.reason);
      if (dto.toStep !== 'appointed') return applySteps(m, campaign, dto.toStep, [{ candidate, reason: dto.reason ?? null }]);
      const problem = appointmentProblem(candidate);
      if (problem) throw new DomainError('CONTRACT_NOT_APPOINTABLE', problem, 409);
      const appointed = await appointCandidates(m, campaign, [candidate], null);
      if (!appointed.length) throw new DomainError('ALREADY_APPOINTED', `CURP ${key} or its contract was already appointed; nothing changed`, 409);
    });
    return this.candidate(user, id, key);
  }

  async requestBulkMove(user: Principal, id: string, dto: BulkMoveDto): Promise<{ jobId: string }> {
    const curps = dto.curps.map((c) => c.trim().toUpperCase());
    const bad = curps.flatMap((c, i) => {
      const problem = curpProblem(c);
      return problem ? [`position ${i + 1}: ${problem}`] : [];
    });
    if (bad.length) throw new DomainError('INVALID_CURPS', `${bad.length} CURPs are malformed; nothing was queued: ${bad.slice(0, 10).join('; ')}`, 400);
    if (dto.toStep === 'rejected' && !dto.reason?.trim()) throw new DomainError('REASON_REQUIRED', 'Give the reason for rejecting these people', 400);
    const campaign = await loadCampaign(this.dataSource, id);
    readableStates(user, campaign);
    const states = await this.dataSource.query<{ state_code: string }[]>(
      `SELECT DISTINCT state_code FROM formalization_candidate WHERE campaign_id = $1 AND curp = ANY($2::text[])`,
      [id, curps],
    );
    for (const { state_code } of states) assertStateAccess(user, state_code, 'write');
    const request: StepMovesRequest = { campaignId: id, toStep: dto.toStep, reason: dto.reason, curps };
    return { jobId: await this.jobs.enqueue(STEP_MOVES_JOB, request, { stateCodes: states.length ? states.map((s) => s.state_code) : readableStates(user, campaign) }) };
  }

  /** The states a candidates query covers: the one asked for (403 if the caller may not read it), else every readable one. */
  private statesFor(user: Principal, campaign: Campaign, stateCode: string | undefined): string[] {
    const readable = readableStates(user, campaign);
    if (stateCode === undefined) return readable;
    if (!campaign.states.includes(stateCode)) {
      throw new DomainError('STATE_NOT_IN_CAMPAIGN', `State ${stateCode} is not part of campaign "${campaign.name}" (states ${campaign.states.join(', ')})`, 400);
    }
    assertStateAccess(user, stateCode, 'read');
    return [stateCode];
  }
}

function notACandidate(curp: string, campaign: CampaignScope): DomainError {
  return new DomainError('CANDIDATE_NOT_FOUND', `CURP ${curp.slice(0, 18)} is not a candidate of campaign "${campaign.name}" in your states`, 404);
}
