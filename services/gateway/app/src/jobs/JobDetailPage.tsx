import { Alert, Anchor, Button, Card, Code, Group, Pagination, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { useFormat } from '../ui/format';
import { EmptyState, ErrorState, LoadingState } from '../ui/PageStates';
import { stateLabel } from '../ui/states';
import { useLiveJob } from './job-stream';
import type { JobView } from './job-types';
import { downloadErrors, useJob, useJobErrors } from './jobs-queries';
import { ERRORS_PAGE_SIZE, readErrorsPage, serviceOf } from './jobs-search';
import { JobProgressBar, JobStatusBadge } from './JobParts';
import classes from './Jobs.module.css';

/** A job's row errors, paged by its service (`?errorsPage=` in the URL), and saved whole as CSV. */
function JobErrors({ job }: { job: JobView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const [params, setParams] = useSearchParams();
  const page = readErrorsPage(params);
  const errors = useJobErrors(job.id, page, job.errorCount > 0);
  const [saving, setSaving] = useState(false);
  const save = () => {
    setSaving(true);
    downloadErrors(job.id)
      .catch((error: unknown) =>
        notifications.show({
          color: 'red.9',
          title: t('jobs.downloadFailed'),
          message: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => setSaving(false));
  };

  const header = (
    <Group justify="space-between" wrap="wrap">
      <Title order={3} size="h4">
        {t('jobs.rowErrors', { n: format.number(job.errorCount) })}
      </Title>
      {job.errorCount > 0 && (
        <Button onClick={save} loading={saving} data-testid="download-errors">
          {t('jobs.download')}
        </Button>
      )}
    </Group>
  );
  if (job.errorCount === 0)
    return (
      <section aria-label={t('jobs.errors')}>
        {header}
        <EmptyState title={t('jobs.noErrors')} />
      </section>
    );
  const data = errors.data;
  const pages = data ? Math.max(1, Math.ceil(data.total / ERRORS_PAGE_SIZE)) : 1;
  return (
    <Stack component="section" aria-label={t('jobs.errors')} gap="sm">
      {header}
      {errors.isPending ? (
        <LoadingState />
      ) : errors.error ? (
        <ErrorState error={errors.error} onRetry={() => void errors.refetch()} />
      ) : data ? (
        <>
          <Table
            striped
            withTableBorder
            aria-label={t('jobs.errors')}
            aria-busy={errors.isPlaceholderData}
            data-testid="errors-table"
            className={classes.table}
          >
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('jobs.row')}</Table.Th>
                <Table.Th scope="col">{t('jobs.field')}</Table.Th>
                <Table.Th scope="col">{t('jobs.message')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {data.items.map((e, i) => (
                <Table.Tr key={`${e.row}-${e.field}-${i}`} data-row={e.row}>
                  <Table.Td>{format.number(e.row)}</Table.Td>
                  <Table.Td>{e.field}</Table.Td>
                  <Table.Td>{e.message}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {pages > 1 && (
            <Pagination
              total={pages}
              value={page}
              onChange={(n) => {
                const next = new URLSearchParams(params);
                if (n > 1) next.set('errorsPage', String(n));
                else next.delete('errorsPage');
                setParams(next);
              }}
              withEdges
              aria-label={t('page.label')}
              getItemProps={(n) => ({ 'aria-label': t('page.number', { page: n }) })}
              getControlProps={(control) => ({ 'aria-label': t(`page.${control}`) })}
            />
          )}
        </>
      ) : null}
    </Stack>
  );
}

function JobDetail({ job: loaded }: { job: JobView }) {
  const { t } = useTranslation();
  const format = useFormat();
  const queryClient = useQueryClient();
  // When the stream shows the job finish, read it again in full (result, errors).
  const job = useLiveJob(loaded, () => {
    void queryClient.invalidateQueries({ queryKey: ['jobs', 'job', loaded.id] });
    void queryClient.invalidateQueries({ queryKey: ['jobs', 'errors', loaded.id] });
  });
  const service = serviceOf(job);
  const when = (value: string | null) => (value ? format.dateTime(value) : '—');
  return (
    <Stack gap="lg" data-job={job.id} data-status={job.status} data-testid="job-detail">
      <Card withBorder>
        <Stack gap="md">
          <Group gap="sm" wrap="wrap">
            <JobStatusBadge status={job.status} />
            <Text fw={600}>{job.kind}</Text>
          </Group>
          <JobProgressBar job={job} />
          {job.failureReason && (
            <Alert color="red.9" variant="outline" title={t('jobs.failureReason')}>
              {job.failureReason}
            </Alert>
          )}
          <dl className={classes.facts}>
            <dt>{t('jobs.service')}</dt>
            <dd>{t(`service.${service}`, { defaultValue: service })}</dd>
            <dt>{t('jobs.state')}</dt>
            <dd>{job.stateCodes.length ? job.stateCodes.map(stateLabel).join(', ') : t('jobs.national')}</dd>
            <dt>{t('jobs.by')}</dt>
            <dd>{job.createdBy ?? '—'}</dd>
            <dt>{t('jobs.created')}</dt>
            <dd>{when(job.createdAt)}</dd>
            <dt>{t('jobs.started')}</dt>
            <dd>{when(job.startedAt)}</dd>
            <dt>{t('jobs.finished')}</dt>
            <dd>{when(job.finishedAt)}</dd>
            <dt>{t('jobs.attempts')}</dt>
            <dd>{format.number(job.attempts)}</dd>
            <dt>{t('jobs.errors')}</dt>
            <dd data-testid="error-count">{format.number(job.errorCount)}</dd>
          </dl>
        </Stack>
      </Card>
      <JobErrors job={{ ...loaded, ...job }} />
    </Stack>
  );
}

/** One job: its facts, live progress while it runs, and its row errors. */
export default function JobDetailPage() {
  const { t } = useTranslation();
  const { jobId = '' } = useParams();
  const job = useJob(jobId);
  // Back to the list as it was (its filters and page), when the user came from it.
  const from = (useLocation().state as { from?: unknown } | null)?.from;
  const back = typeof from === 'string' && from.startsWith('?') ? `/jobs${from}` : '/jobs';
  return (
    <Stack gap="lg">
      <Anchor component={Link} to={back} size="sm">
        ← {t('jobs.back')}
      </Anchor>
      <Title order={2}>
        {t('jobs.detailTitle')} <Code fz="lg">{jobId}</Code>
      </Title>
      {job.isPending ? (
        <LoadingState />
      ) : job.error ? (
        <ErrorState error={job.error} onRetry={() => void job.refetch()} />
      ) : (
        <JobDetail key={job.data.id} job={job.data} />
      )}
    </Stack>
  );
}
