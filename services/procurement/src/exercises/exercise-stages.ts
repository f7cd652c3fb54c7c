import { EXERCISE_STAGES, ExerciseStage } from '@imb/contracts';

export { EXERCISE_STAGES } from '@imb/contracts';
export type { ExerciseStage } from '@imb/contracts';

/** Human titles of the stages, as the procurement calendar names them. */
export const EXERCISE_STAGE_TITLES: Record<ExerciseStage, string> = {
  NEEDS_DIAGNOSIS: 'Diagnóstico de necesidades',
  DEMAND_INTEGRATION: 'Integración y validación de la demanda',
  MARKET_RESEARCH: 'Investigación de mercado',
  PRE_BASES: 'Pre-bases y juntas de aclaraciones',
  PROPOSALS: 'Presentación de proposiciones',
  EVALUATION: 'Evaluación',
  AWARD: 'Fallo',
  CONTRACTING: 'Contratos abiertos',
  SUPPLY: 'Órdenes de suministro y entregas',
  CLOSED: 'Cerrado',
};

/** Position of a stage in the calendar (0 = first). */
export const stageIndex = (stage: ExerciseStage): number => EXERCISE_STAGES.indexOf(stage);
