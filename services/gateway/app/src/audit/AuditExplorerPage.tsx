import { Alert, Group, Pagination, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { hasRole, isNational, useMe } from '../session/use-me';
import { useFormat } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/PageStates';
import { useAuditPage } from './audit-queries';
import { AUDIT_PAGE_SIZE, auditSearchParams, readAuditSearch, type AuditSearch } from './audit-search';
import { AuditFilters } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { VerifyChains } from './VerifyChains';

/**
 * The audit explorer: every service's audit records, filtered and paged by the server, the view
 * in the URL; and, for auditors and federal coordinators, each chain's verification.
 */
export default function AuditExplorerPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const me = useMe();
  const [params, setParams] = useSearchParams();
  const search = readAuditSearch(params);
  // A caller without a national role reads only its own states' records: the API needs one named.
  const ownStates = me.data && !isNational(me.data) ? me.data.states : undefined;
  const mustNameState = ownStates !== undefined && !search.stateCode;
  const records = useAuditPage(mustNameState ? { ...search, stateCode: ownStates[0] } : search, me.isSuccess);
  const go = (next: AuditSearch) => setParams(auditSearchParams(next));

  if (me.isPending) return <LoadingState />;
  if (me.error) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  const page = records.data;
  const pages = page ? Math.max(1, Math.ceil(page.total / AUDIT_PAGE_SIZE)) : 1;

  return (
    <Stack gap="lg">
      <Title order={2}>{t('audit.title')}</Title>
      <AuditFilters
        key={params.toString()}
        search={search}
        ownStates={ownStates}
        fieldErrors={records.error instanceof ApiError ? records.error.fieldErrors : {}}
        onSearch={go}
      />
      {hasRole(me.data, 'auditor', 'federal-coordinator') && <VerifyChains />}
      <section aria-label={t('audit.results')}>
        {records.isPending ? (
          <LoadingState />
        ) : records.error ? (
          <ErrorState error={records.error} onRetry={() => void records.refetch()} />
        ) : page && page.items.length === 0 ? (
          <EmptyState title={t('audit.none')} hint={t('audit.noneHint')} />
        ) : page ? (
          <Stack gap="sm">
            {page.unavailable.length > 0 && (
              <Alert color="gold.9" variant="outline">
                {t('audit.unavailable', {
                  services: page.unavailable.map((u) => t(`service.${u.service}`)).join(', '),
                })}
              </Alert>
            )}
            <AuditTable records={page.items} busy={records.isPlaceholderData} />
            <Group justify="space-between" wrap="wrap">
              <Text size="sm" data-testid="page-of">
                {t('audit.pageOf', {
                  page: format.number(search.page),
                  pages: format.number(pages),
                  total: format.number(page.total),
                })}
              </Text>
              <Pagination
                total={pages}
                value={search.page}
                onChange={(n) => go({ ...search, page: n })}
                withEdges
                aria-label={t('page.label')}
                getItemProps={(n) => ({ 'aria-label': t('page.number', { page: n }) })}
                getControlProps={(control) => ({ 'aria-label': t(`page.${control}`) })}
              />
            </Group>
          </Stack>
        ) : null}
      </section>
    </Stack>
  );
}
