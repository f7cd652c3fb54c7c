import { STATES, TransferStage } from '@imb/contracts';

/**
 * Where each state stands, from the public joining history (DOMAIN.md): the 2022 and 2023
 * joiners operate under IMSS-BIENESTAR; Yucatán's agreement is in force since 1 Jan 2026 and its
 * units are being handed over; the eight states that did not join declined. Only the year of
 * joining is public for most states, so `stageSince` is 1 January of that year (our convention).
 */
const JOINED_2022 = ['18', '29', '06', '25', '26', '03', '30', '12', '04'];
const JOINED_2023 = ['16', '17', '24', '32', '20', '13', '28', '23', '02', '27', '07', '09', '21', '15'];

export interface ReferenceTransfer {
  stateCode: string;
  stateName: string;
  stage: TransferStage;
  stageSince: string;
  joinedYear: number | null;
}

export function referenceTransfers(): ReferenceTransfer[] {
  return STATES.map((s) => {
    if (JOINED_2022.includes(s.code)) return { stateCode: s.code, stateName: s.name, stage: 'OPERATION', stageSince: '2022-01-01T00:00:00.000Z', joinedYear: 2022 };
    if (JOINED_2023.includes(s.code)) return { stateCode: s.code, stateName: s.name, stage: 'OPERATION', stageSince: '2023-01-01T00:00:00.000Z', joinedYear: 2023 };
    if (s.code === '31') return { stateCode: s.code, stateName: s.name, stage: 'HANDOVER', stageSince: '2026-01-01T00:00:00.000Z', joinedYear: 2026 };
    return { stateCode: s.code, stateName: s.name, stage: 'DECLINED', stageSince: '2023-12-31T00:00:00.000Z', joinedYear: null };
  });
}
