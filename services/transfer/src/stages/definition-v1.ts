import { PayrollTransferred, RosterReconciled, StateEnrolled } from '@imb/contracts';
import { StageDefinitionBody } from './stage-definition';

/**
 * Version 1 of the stage definitions, seeded by migration (our rule, from the published
 * agreements; DOMAIN.md §1). Never edit it: transfers running on version 1 depend on it; a change
 * is a new version created through `POST /api/transfers/stage-definitions`.
 */
export const STAGE_DEFINITION_V1: StageDefinitionBody = {
  stages: [
    {
      stage: 'DIAGNOSIS',
      gate: [
        { id: 'transition-tables', title: 'Transition tables installed', source: 'manual' },
        { id: 'units-inventory', title: 'Inventory of health units (CLUES)', source: 'manual' },
        { id: 'staff-inventory', title: 'Inventory of staff', source: 'manual' },
        { id: 'equipment-inventory', title: 'Inventory of equipment', source: 'manual' },
      ],
    },
    {
      stage: 'AGREEMENT',
      gate: [{ id: 'agreement-signed', title: 'Coordination agreement (convenio de coordinación) signed', source: 'manual' }],
    },
    {
      stage: 'PUBLICATION',
      gate: [{ id: 'agreement-published', title: 'Agreement published in the DOF', source: 'manual' }],
    },
    {
      stage: 'ANNEXES',
      gate: [
        { id: 'annex-units', title: 'Units annex agreed', source: 'manual' },
        { id: 'annex-posts', title: 'Posts annex agreed', source: 'manual' },
        { id: 'annex-amounts', title: 'Amounts annex agreed', source: 'manual' },
      ],
    },
    {
      stage: 'HANDOVER',
      gate: [
        { id: 'handover-actas', title: 'Handover actas (entrega-recepción) signed for the included units', source: 'manual' },
        { id: 'clues-re-registered', title: 'CLUES re-registered from SSA to IMB', source: 'manual' },
        { id: 'roster-reconciled', title: 'Staff roster reconciled by HR', source: 'event', eventType: RosterReconciled.type },
      ],
    },
    {
      stage: 'PAYROLL',
      gate: [{ id: 'payroll-federalized', title: 'Payroll federalized by HR', source: 'event', eventType: PayrollTransferred.type }],
    },
    {
      stage: 'OPERATION',
      // Nothing leaves OPERATION forward, so this item never blocks; it shows what is still pending.
      gate: [
        {
          id: 'consolidated-purchase-enrollment',
          title: 'State enrolled in the consolidated purchase',
          source: 'event',
          eventType: StateEnrolled.type,
        },
      ],
    },
  ],
};
