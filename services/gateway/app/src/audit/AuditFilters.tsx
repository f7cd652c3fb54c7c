import { Button, Group, NativeSelect, SimpleGrid, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { stateLabel } from '../ui/states';
import { AUDIT_SERVICES, fromLocalInput, toLocalInput, type AuditSearch } from './audit-search';

interface Props {
  search: AuditSearch;
  /** The states the user may read; undefined for national roles (any state, or none). */
  ownStates?: string[];
  /** Validation messages of the last search, by query field. */
  fieldErrors: Readonly<Record<string, string[]>>;
  onSearch: (search: AuditSearch) => void;
}

/**
 * The filters, edited locally and applied together (page 1) on submit. The parent remounts it
 * when the URL changes, so back and forward show the filters of the view on screen.
 */
export function AuditFilters({ search, ownStates, fieldErrors, onSearch }: Props) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState({
    service: search.service ?? '',
    entity: search.entity ?? '',
    entityId: search.entityId ?? '',
    actor: search.actor ?? '',
    stateCode: search.stateCode ?? ownStates?.[0] ?? '',
    from: toLocalInput(search.from),
    to: toLocalInput(search.to),
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
    const service = AUDIT_SERVICES.find((s) => s === draft.service);
    onSearch({
      service,
      entity: draft.entity.trim() || undefined,
      entityId: draft.entityId.trim() || undefined,
      actor: draft.actor.trim() || undefined,
      stateCode: draft.stateCode.trim() || undefined,
      from: fromLocalInput(draft.from),
      to: fromLocalInput(draft.to),
      page: 1,
    });
  };

  return (
    <form onSubmit={submit} aria-label={t('audit.filters')} data-testid="audit-filters">
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="sm">
        <NativeSelect
          label={t('audit.service')}
          {...field('service')}
          data={[
            { value: '', label: t('audit.allServices') },
            ...AUDIT_SERVICES.map((s) => ({ value: s, label: t(`service.${s}`) })),
          ]}
        />
        <TextInput label={t('audit.entity')} placeholder="StateTransfer" {...field('entity')} />
        <TextInput label={t('audit.entityId')} {...field('entityId')} />
        <TextInput label={t('audit.actor')} {...field('actor')} />
        {ownStates ? (
          <NativeSelect
            label={t('audit.state')}
            {...field('stateCode')}
            data={ownStates.map((code) => ({ value: code, label: stateLabel(code) }))}
          />
        ) : (
          <TextInput
            label={t('audit.state')}
            placeholder="13"
            maxLength={2}
            inputMode="numeric"
            {...field('stateCode')}
          />
        )}
        <TextInput label={t('audit.from')} type="datetime-local" {...field('from')} />
        <TextInput label={t('audit.to')} type="datetime-local" {...field('to')} />
        <Group align="flex-end" gap="xs">
          <Button type="submit">{t('audit.search')}</Button>
          <Button variant="default" onClick={() => onSearch({ page: 1, stateCode: ownStates?.[0] })}>
            {t('audit.clear')}
          </Button>
        </Group>
      </SimpleGrid>
    </form>
  );
}
