/** Stages of a state's transfer to IMSS-BIENESTAR, in order (DOMAIN.md §1), plus the two off-path stages. */
export const TRANSFER_STAGES = [
  'DIAGNOSIS',
  'AGREEMENT',
  'PUBLICATION',
  'ANNEXES',
  'HANDOVER',
  'PAYROLL',
  'OPERATION',
] as const;
export const OFF_PATH_STAGES = ['DECLINED', 'SUSPENDED'] as const;
export const ALL_STAGES = [...TRANSFER_STAGES, ...OFF_PATH_STAGES] as const;
export type TransferStage = (typeof ALL_STAGES)[number];
