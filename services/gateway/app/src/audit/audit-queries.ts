import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import { api, ok, type Schemas } from '../api/client';
import { AUDIT_PAGE_SIZE, type AuditSearch, type AuditServiceName } from './audit-search';

export type AuditRecord = Schemas['AuditRecordView'];
export type ChainVerification = Schemas['ChainVerificationView'];

/**
 * One page of audit records for the view; the previous page stays on screen while the next loads.
 * `enabled` waits for what the request depends on (who the user is).
 */
export function useAuditPage(search: AuditSearch, enabled: boolean) {
  return useQuery({
    queryKey: ['audit', search],
    enabled,
    queryFn: () => {
      const { page, ...filters } = search;
      return ok(
        api.GET('/api/audit', { params: { query: { ...filters, page, pageSize: AUDIT_PAGE_SIZE } } }),
      );
    },
    placeholderData: keepPreviousData,
  });
}

/** Recomputes one service's chain (`GET /api/audit/verify?service=`): an action the user starts, never cached. */
export function useVerifyChain(service: AuditServiceName) {
  return useMutation({
    mutationFn: async (): Promise<ChainVerification> => {
      const result = await ok(api.GET('/api/audit/verify', { params: { query: { service } } }));
      // With `service` the gateway answers that service's verification, not every service's.
      if ('services' in result)
        throw new Error(`the gateway answered every service's verification, not ${service}'s`);
      return result;
    },
  });
}
