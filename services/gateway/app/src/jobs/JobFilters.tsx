import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { STATE_NAMES, stateLabel } from '../ui/states';
import { JOB_STATUSES } from './job-types';
import { JOB_SERVICES, readJobsSearch, type JobsSearch } from './jobs-search';

interface Props {
  search: JobsSearch;
  fieldErrors: Readonly<Record<string, string[]>>;
  onSearch: (search: JobsSearch) => void;
}

/** The filters, edited locally and applied together (page 1); remounted when the URL changes. */
export function JobFilters({ search, fieldErrors, onSearch }: Props) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({
    service: search.service ?? '',
    kind: search.kind ?? '',
    status: search.status ?? '',
    state: search.state ?? '',
  });
  const field = (name: keyof typeof draft) => ({
    name,
    value: draft[name],
    error: fieldErrors[name]?.join('; '),
    onChange: (event: { currentTarget: { value: string } }) => {
      const { value } = event.currentTarget;
      setDraft((previous) => ({ ...previous, [name]: value }));
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Read back through the URL's own rules, so what is applied is what a link would reopen.
    onSearch(readJobsSearch(new URLSearchParams({ ...draft, kind: draft.kind.trim() })));
  };

  return (
    <form onSubmit={submit} aria-label={t('jobs.filters')} data-testid="jobs-filters">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 5 }} spacing="sm">
        <NativeSelect
          label={t('jobs.service')}
          {...field('service')}
          data={[
            { value: '', label: t('jobs.allServices') },
            ...JOB_SERVICES.map((s) => ({ value: s, label: t(`service.${s}`) })),
          ]}
        />
        <TextInput label={t('jobs.kind')} placeholder="units.import" {...field('kind')} />
        <NativeSelect
          label={t('jobs.statusLabel')}
          {...field('status')}
          data={[
            { value: '', label: t('jobs.allStatuses') },
            ...JOB_STATUSES.map((s) => ({ value: s, label: t(`jobs.status.${s}`) })),
          ]}
        />
        <NativeSelect
          label={t('jobs.state')}
          {...field('state')}
          data={[
            { value: '', label: t('jobs.allStates') },
            ...Object.keys(STATE_NAMES).map((code) => ({ value: code, label: stateLabel(code) })),
          ]}
        />
        <Group align="flex-end" gap="xs">
          <Button type="submit">{t('jobs.search')}</Button>
          <Button variant="default" onClick={() => onSearch({ page: 1 })}>
            {t('jobs.clear')}
          </Button>
        </Group>
      </SimpleGrid>
    </form>
  );
}
