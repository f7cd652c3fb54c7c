import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { currentContext, ExerciseStageChanged } from '@imb/contracts';
import { publishEvent } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { Exercise } from './exercise.entity';
import { EXERCISE_STAGE_TITLES, EXERCISE_STAGES, ExerciseStage, stageIndex } from './exercise-stages';
import type { CreateExerciseDto, PlannedStageDto } from './exercises.dto';

/** An exercise as the API shows it. */
export interface ExerciseView {
  code: string;
  name: string;
  stage: ExerciseStage;
  stageSince: Date;
  createdAt: Date;
}

/** One stage of an exercise's calendar: its planned dates and when it was actually reached. */
export interface CalendarStage {
  stage: ExerciseStage;
  title: string;
  plannedStart: string | null;
  plannedEnd: string | null;
  /** When the exercise last entered the stage; null if it never did. */
  reachedAt: Date | null;
  current: boolean;
}

const view = (e: Exercise): ExerciseView => ({ code: e.code, name: e.name, stage: e.stage, stageSince: e.stageSince, createdAt: e.createdAt });

/** The exercise, or 404 naming it. Pass `lock` inside a transaction that will change it. */
export async function requireExercise(m: EntityManager, code: string, lock = false): Promise<Exercise> {
  const exercise = await m.getRepository(Exercise).findOne({ where: { code }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
  if (!exercise) throw new DomainError('EXERCISE_NOT_FOUND', `No exercise ${code}: create it first with POST /api/procurement/exercises`, 404);
  return exercise;
}

const actor = () => currentContext()?.actor ?? 'system:procurement';

/** Exercises of the consolidated purchase and their calendar of stages. */
@Injectable()
export class ExercisesService {
  constructor(private readonly dataSource: DataSource) {}

  /** Creates an exercise at the first stage of its calendar: the row, its plan, audit and event together. */
  create(body: CreateExerciseDto): Promise<ExerciseView & { calendar: CalendarStage[] }> {
    return this.dataSource.transaction(async (m) => {
      const [inserted] = await m.query<{ stage_since: Date }[]>(
        `INSERT INTO exercise (code, name, stage, stage_since) VALUES ($1, $2, $3, now())
         ON CONFLICT (code) DO NOTHING RETURNING stage_since`,
        [body.code, body.name.trim(), EXERCISE_STAGES[0]],
      );
      if (!inserted) throw new DomainError('EXERCISE_EXISTS', `Exercise ${body.code} already exists`, 409);
      await this.savePlan(m, body.code, body.calendar ?? []);
      const changedAt = new Date(inserted.stage_since);
      await m.query(
        `INSERT INTO exercise_stage_change (exercise_code, from_stage, to_stage, actor, changed_at) VALUES ($1, NULL, $2, $3, $4)`,
        [body.code, EXERCISE_STAGES[0], actor(), changedAt],
      );
      await recordAudit(m, {
        action: 'exercise.created',
        entity: 'Exercise',
        entityId: body.code,
        after: { code: body.code, name: body.name.trim(), stage: EXERCISE_STAGES[0], calendar: body.calendar ?? [] },
      });
      await publishEvent(m, ExerciseStageChanged, { exerciseCode: body.code, fromStage: null, toStage: EXERCISE_STAGES[0], changedAt: changedAt.toISOString() });
      return this.detail(m, body.code);
    });
  }

  async list(page: number, pageSize: number) {
    const [items, total] = await this.dataSource.getRepository(Exercise).findAndCount({
      order: { code: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items: items.map(view), total, page, pageSize };
  }

  get(code: string) {
    return this.detail(this.dataSource.manager, code);
  }

  /** Replaces the planned dates of the stages named (others keep theirs). */
  updateCalendar(code: string, calendar: PlannedStageDto[]) {
    return this.dataSource.transaction(async (m) => {
      await requireExercise(m, code, true);
      const before = await this.plan(m, code);
      await this.savePlan(m, code, calendar);
      await recordAudit(m, { action: 'exercise.calendar-updated', entity: 'Exercise', entityId: code, before, after: await this.plan(m, code) });
      return this.detail(m, code);
    });
  }

  /** Moves the exercise to another stage; going back needs a reason. Audited, with its event. */
  advance(code: string, toStage: ExerciseStage, reason?: string) {
    return this.dataSource.transaction(async (m) => {
      const exercise = await requireExercise(m, code, true);
      const from = exercise.stage;
      if (from === toStage) throw new DomainError('ALREADY_IN_STAGE', `Exercise ${code} is already in ${toStage}`, 409);
      const back = stageIndex(toStage) < stageIndex(from);
      if (back && !reason?.trim()) {
        throw new DomainError('REASON_REQUIRED', `Going back from ${from} to ${toStage} needs a reason: say why in "reason"`, 400);
      }
      const [{ now }] = await m.query<{ now: Date }[]>(
        `WITH moved AS (UPDATE exercise SET stage = $2, stage_since = now() WHERE code = $1 RETURNING stage_since) SELECT stage_since AS now FROM moved`,
        [code, toStage],
      );
      const changedAt = new Date(now);
      await m.query(
        `INSERT INTO exercise_stage_change (exercise_code, from_stage, to_stage, reason, actor, changed_at) VALUES ($1, $2, $3, $4, $5, $6)`,
        [code, from, toStage, reason?.trim() ?? null, actor(), changedAt],
      );
      await recordAudit(m, {
        action: back ? 'exercise.stage-reverted' : 'exercise.stage-advanced',
        entity: 'Exercise',
        entityId: code,
        before: { stage: from },
        after: { stage: toStage },
        reason: reason?.trim() ?? null,
      });
      await publishEvent(m, ExerciseStageChanged, {
        exerciseCode: code,
        fromStage: from,
        toStage,
        ...(reason?.trim() ? { reason: reason.trim() } : {}),
        changedAt: changedAt.toISOString(),
      });
      return this.detail(m, code);
    });
  }

  private async detail(m: EntityManager, code: string) {
    const exercise = await requireExercise(m, code);
    const plan = new Map((await this.plan(m, code)).map((p) => [p.stage, p]));
    const reached = new Map(
      (
        await m.query<{ to_stage: ExerciseStage; at: Date }[]>(
          `SELECT to_stage, max(changed_at) AS at FROM exercise_stage_change WHERE exercise_code = $1 GROUP BY to_stage`,
          [code],
        )
      ).map((r) => [r.to_stage, r.at]),
    );
    const history = await m.query<{ fromStage: string | null; toStage: string; reason: string | null; actor: string; changedAt: Date }[]>(
      `SELECT from_stage AS "fromStage", to_stage AS "toStage", reason, actor, changed_at AS "changedAt"
         FROM exercise_stage_change WHERE exercise_code = $1 ORDER BY id`,
      [code],
    );
    const calendar: CalendarStage[] = EXERCISE_STAGES.map((stage) => ({
      stage,
      title: EXERCISE_STAGE_TITLES[stage],
      plannedStart: plan.get(stage)?.plannedStart ?? null,
      plannedEnd: plan.get(stage)?.plannedEnd ?? null,
      reachedAt: reached.get(stage) ?? null,
      current: stage === exercise.stage,
    }));
    return { ...view(exercise), calendar, history };
  }

  private plan(m: EntityManager, code: string) {
    return m.query<{ stage: ExerciseStage; plannedStart: string | null; plannedEnd: string | null }[]>(
      `SELECT stage, to_char(planned_start, 'YYYY-MM-DD') AS "plannedStart", to_char(planned_end, 'YYYY-MM-DD') AS "plannedEnd"
         FROM exercise_stage_plan WHERE exercise_code = $1 ORDER BY stage`,
      [code],
    );
  }

  private async savePlan(m: EntityManager, code: string, calendar: PlannedStageDto[]): Promise<void> {
    const stages = calendar.map((c) => c.stage);
    const duplicate = stages.find((s, i) => stages.indexOf(s) !== i);
    if (duplicate) throw new DomainError('DUPLICATE_STAGE', `The calendar names ${duplicate} twice`, 400);
    for (const c of calendar) {
      if (c.plannedStart && c.plannedEnd && c.plannedEnd < c.plannedStart) {
        throw new DomainError('INVALID_DATES', `${c.stage}: plannedEnd ${c.plannedEnd} is before plannedStart ${c.plannedStart}`, 400);
      }
    }
    if (!calendar.length) return;
    await m.query(
      `INSERT INTO exercise_stage_plan (exercise_code, stage, planned_start, planned_end)
       SELECT $1, s, ps, pe FROM unnest($2::text[], $3::date[], $4::date[]) AS t(s, ps, pe)
       ON CONFLICT (exercise_code, stage) DO UPDATE SET planned_start = EXCLUDED.planned_start, planned_end = EXCLUDED.planned_end`,
      [code, stages, calendar.map((c) => c.plannedStart ?? null), calendar.map((c) => c.plannedEnd ?? null)],
    );
  }
}
