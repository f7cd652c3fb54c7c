import { Badge, Group, Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../ui/format';
import type { JobStatus, JobSummary } from './job-types';

const STATUS_COLOR: Record<JobStatus, string> = {
  queued: 'gray.8',
  running: 'blue.9',
  // Mantine's green.9 reads at 4.2:1 on the striped rows; this green at 6.6:1.
  completed: '#1e6b30',
  failed: 'red.9',
};

/** The job's status as a badge (outlined: its text reads at AA on white). */
export function JobStatusBadge({ status }: { status: JobStatus }) {
  const { t } = useTranslation();
  return (
    <Badge variant="outline" color={STATUS_COLOR[status]} data-status={status} miw="max-content">
      {t(`jobs.status.${status}`)}
    </Badge>
  );
}

/** How far the job has come: a bar named after the job, and "done / total" when the total is known. */
export function JobProgressBar({ job }: { job: JobSummary }) {
  const { t } = useTranslation();
  const format = useFormat();
  const percent = job.status === 'completed' ? 100 : (job.progress?.percent ?? 0);
  const { done = 0, total = null } = job.progress ?? {};
  return (
    <Stack gap={2} miw={140}>
      <Progress
        value={percent}
        color={job.status === 'failed' ? 'red.9' : 'guinda'}
        aria-label={t('jobs.progressOf', { id: job.id })}
        animated={job.status === 'running'}
        size="md"
      />
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="xs" data-testid="percent">
          {format.percent(percent)}
        </Text>
        {total !== null && (
          <Text size="xs" c="dimmed" data-testid="done-of">
            {t('jobs.doneOf', { done: format.number(done), total: format.number(total) })}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
