import { Code, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../ui/format';
import { stateLabel } from '../ui/states';
import type { AuditRecord } from './audit-queries';
import classes from './AuditTable.module.css';

/** A page of audit records, newest first; before/after open on demand. */
export function AuditTable({ records, busy }: { records: AuditRecord[]; busy: boolean }) {
  const { t } = useTranslation();
  const format = useFormat();
  return (
    <Table.ScrollContainer minWidth={960}>
      <Table
        striped
        withTableBorder
        aria-label={t('audit.results')}
        aria-busy={busy}
        data-testid="audit-table"
        className={classes.table}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('audit.when')}</Table.Th>
            <Table.Th scope="col">{t('audit.service')}</Table.Th>
            <Table.Th scope="col">{t('audit.actor')}</Table.Th>
            <Table.Th scope="col">{t('audit.action')}</Table.Th>
            <Table.Th scope="col">{t('audit.entity')}</Table.Th>
            <Table.Th scope="col">{t('audit.entityId')}</Table.Th>
            <Table.Th scope="col">{t('audit.state')}</Table.Th>
            <Table.Th scope="col">{t('audit.reason')}</Table.Th>
            <Table.Th scope="col">{t('audit.details')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {records.map((record) => (
            <Table.Tr
              key={`${record.service}-${record.seq}`}
              data-service={record.service}
              data-action={record.action}
              data-entity-id={record.entityId}
            >
              <Table.Td className={classes.nowrap}>{format.dateTime(record.occurredAt)}</Table.Td>
              <Table.Td>{t(`service.${record.service}`)}</Table.Td>
              <Table.Td>{record.actor}</Table.Td>
              <Table.Td className={classes.nowrap}>
                <Code>{record.action}</Code>
              </Table.Td>
              <Table.Td>{record.entity}</Table.Td>
              <Table.Td>{record.entityId}</Table.Td>
              <Table.Td>{record.stateCode ? stateLabel(record.stateCode) : '—'}</Table.Td>
              <Table.Td>{record.reason ?? '—'}</Table.Td>
              <Table.Td>
                <details>
                  <summary>
                    <Text span size="sm">
                      {t('audit.show')}
                    </Text>
                  </summary>
                  <pre className={classes.json}>
                    {JSON.stringify({ before: record.before, after: record.after }, null, 2)}
                  </pre>
                </details>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
