import { Anchor, Code, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { useFormat } from '../ui/format';
import { stateLabel } from '../ui/states';
import { useLiveJob } from './job-stream';
import type { JobSummary } from './job-types';
import { serviceOf } from './jobs-search';
import { JobProgressBar, JobStatusBadge } from './JobParts';
import classes from './Jobs.module.css';

/** One job; its progress follows the job's stream while it is queued or running. */
function JobRow({ job: listed, onFinish }: { job: JobSummary; onFinish: () => void }) {
  const { t } = useTranslation();
  const format = useFormat();
  const job = useLiveJob(listed, onFinish);
  const { search } = useLocation();
  const service = serviceOf(job);
  return (
    <Table.Tr data-job={job.id} data-status={job.status}>
      <Table.Td>
        <Anchor component={Link} to={`/jobs/${encodeURIComponent(job.id)}`}
          state={{ from: search }} className={classes.id}>
          <Code>{job.id}</Code>
        </Anchor>
      </Table.Td>
      <Table.Td>{t(`service.${service}`, { defaultValue: service })}</Table.Td>
      <Table.Td className={classes.nowrap}>{job.kind}</Table.Td>
      <Table.Td>
        <JobStatusBadge status={job.status} />
        {job.failureReason && (
          <Text size="xs" c="red.9">
            {job.failureReason}
          </Text>
        )}
      </Table.Td>
      <Table.Td>
        <JobProgressBar job={job} />
      </Table.Td>
      <Table.Td data-col="errors">{format.number(job.errorCount ?? 0)}</Table.Td>
      <Table.Td>{job.stateCodes.length ? job.stateCodes.map(stateLabel).join(', ') : t('jobs.national')}</Table.Td>
      <Table.Td className={classes.nowrap}>{format.dateTime(job.createdAt)}</Table.Td>
      <Table.Td>{job.createdBy ?? '—'}</Table.Td>
    </Table.Tr>
  );
}

/** A page of jobs, newest first. */
export function JobsTable({ jobs, busy, onFinish }: { jobs: JobSummary[]; busy: boolean; onFinish: () => void }) {
  const { t } = useTranslation();
  return (
    <Table.ScrollContainer minWidth={1080}>
      <Table
        striped
        withTableBorder
        aria-label={t('jobs.results')}
        aria-busy={busy}
        data-testid="jobs-table"
        className={classes.table}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('jobs.id')}</Table.Th>
            <Table.Th scope="col">{t('jobs.service')}</Table.Th>
            <Table.Th scope="col">{t('jobs.kind')}</Table.Th>
            <Table.Th scope="col">{t('jobs.statusLabel')}</Table.Th>
            <Table.Th scope="col">{t('jobs.progress')}</Table.Th>
            <Table.Th scope="col">{t('jobs.errors')}</Table.Th>
            <Table.Th scope="col">{t('jobs.state')}</Table.Th>
            <Table.Th scope="col">{t('jobs.created')}</Table.Th>
            <Table.Th scope="col">{t('jobs.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {jobs.map((job) => (
            <JobRow key={job.id} job={job} onFinish={onFinish} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
