import { useQuery } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../api/client';
import { useSession } from './session';

export type Me = Schemas['MeView'];
export type Role = Me['roles'][number];

/** Roles that read every state. */
const NATIONAL_ROLES: readonly Role[] = ['federal-coordinator', 'auditor'];

/** Who the token says the user is (`GET /api/me`), refetched for each new token. */
export function useMe() {
  const token = useSession()?.token;
  return useQuery({
    queryKey: ['me', token],
    queryFn: () => ok(api.GET('/api/me')),
    enabled: token !== undefined,
    staleTime: Infinity,
  });
}

export const hasRole = (me: Me | undefined, ...roles: Role[]): boolean =>
  me?.roles.some((role) => roles.includes(role)) ?? false;
export const isNational = (me: Me | undefined): boolean => hasRole(me, ...NATIONAL_ROLES);
