import { Alert, Button, Group, Pagination, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { ApiError } from '../api/api-error';
import { useFormat } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/PageStates';
import { useJobsPage } from './jobs-queries';
import { JOBS_PAGE_SIZE, jobsSearchParams, matchesLocally, readJobsSearch, type JobsSearch } from './jobs-search';
import { JobFilters } from './JobFilters';
import { JobsTable } from './JobsTable';

/**
 * The jobs centre: every service's jobs, newest first, paged by the gateway, the view in the URL;
 * the queued and running ones follow their progress live.
 */
export default function JobsPage() {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const search = readJobsSearch(params);
  const jobs = useJobsPage(search);
  const go = (next: JobsSearch) => setParams(jobsSearchParams(next));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: ['jobs', 'list'] });

  const page = jobs.data;
  const pages = page ? Math.max(1, Math.ceil(page.total / JOBS_PAGE_SIZE)) : 1;
  const shown = page ? page.items.filter((job) => matchesLocally(job, search)) : [];
  const narrowed = Boolean(search.service || search.state);

  return (
    <Stack gap="lg">
      <Group justify="space-between" wrap="wrap">
        <Title order={2}>{t('jobs.title')}</Title>
        <Button variant="default" onClick={refresh} loading={jobs.isFetching && !jobs.isPending}>
          {t('jobs.refresh')}
        </Button>
      </Group>
      <JobFilters
        key={params.toString()}
        search={search}
        fieldErrors={jobs.error instanceof ApiError ? jobs.error.fieldErrors : {}}
        onSearch={go}
      />
      <section aria-label={t('jobs.results')}>
        {jobs.isPending ? (
          <LoadingState />
        ) : jobs.error ? (
          <ErrorState error={jobs.error} onRetry={() => void jobs.refetch()} />
        ) : page ? (
          <Stack gap="sm">
            {page.unavailable.length > 0 && (
              <Alert color="gold.9" variant="outline">
                {t('jobs.unavailable', {
                  services: page.unavailable
                    .map((u) => t(`service.${u.service}`, { defaultValue: u.service }))
                    .join(', '),
                })}
              </Alert>
            )}
            {narrowed && (
              <Text size="sm" c="dimmed" data-testid="narrowed">
                {t('jobs.narrowed')}
              </Text>
            )}
            {shown.length === 0 ? (
              <EmptyState title={t('jobs.none')} hint={t('jobs.noneHint')} />
            ) : (
              <JobsTable jobs={shown} busy={jobs.isPlaceholderData} onFinish={refresh} />
            )}
            <Group justify="space-between" wrap="wrap">
              <Text size="sm" data-testid="page-of">
                {t('jobs.pageOf', {
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
