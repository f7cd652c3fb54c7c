import type { Schemas } from '../api/client';

/** A demo identity of the login picker (dev issuer only); the same as the classic dashboard's. */
export interface DemoIdentity {
  key: 'federal' | 'state13' | 'state14' | 'hr' | 'procurement' | 'dignification' | 'auditor';
  sub: string;
  roles: Schemas['DevTokenRequestDto']['roles'];
  states: string[];
}

export const DEMO_IDENTITIES: readonly DemoIdentity[] = [
  { key: 'federal', sub: 'fernanda.federal', roles: ['federal-coordinator'], states: [] },
  { key: 'state13', sub: 'hilda.hidalgo', roles: ['state-coordinator'], states: ['13'] },
  { key: 'state14', sub: 'jorge.jalisco', roles: ['state-coordinator'], states: ['14'] },
  { key: 'hr', sub: 'rosa.rh', roles: ['hr-officer'], states: ['13', '18'] },
  { key: 'procurement', sub: 'carlos.compras', roles: ['procurement-officer'], states: [] },
  {
    key: 'dignification',
    sub: 'diana.dignificacion',
    roles: ['dignification-officer'],
    states: ['13', '18'],
  },
  { key: 'auditor', sub: 'aurora.auditoria', roles: ['auditor'], states: [] },
];
