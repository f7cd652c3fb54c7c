import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { useFormat } from '../ui/format';
import { useVerifyChain } from './audit-queries';
import { AUDIT_SERVICES, type AuditServiceName } from './audit-search';

function VerifyChain({ service }: { service: AuditServiceName }) {
  const { t } = useTranslation();
  const format = useFormat();
  const verify = useVerifyChain(service);
  const name = t(`service.${service}`);
  const result = verify.data;
  return (
    <Group justify="space-between" wrap="wrap" gap="xs">
      <Group gap="sm" wrap="wrap">
        <Button
          size="xs"
          variant="outline"
          data-verify={service}
          aria-label={t('audit.verifyLabel', { service: name })}
          loading={verify.isPending}
          onClick={() =>
            verify.mutate(undefined, {
              onError: (error) => notifications.show({ color: 'red', title: name, message: error.message }),
            })
          }
        >
          {t('audit.verify')}
        </Button>
        <Text fw={600}>{name}</Text>
      </Group>
      <Text
        size="sm"
        role="status"
        data-verify={service}
        data-valid={result ? String(result.valid) : undefined}
        c={result && !result.valid ? 'red.9' : undefined}
      >
        {result &&
          (result.valid
            ? t('audit.valid', { checked: format.number(result.checked) })
            : t('audit.broken', {
                seq: result.firstBrokenAt?.seq ?? '?',
                reason: result.firstBrokenAt?.reason ?? '',
              }))}
        {verify.error && verify.error.message}
      </Text>
    </Group>
  );
}

/** Each service's hash chain, recomputed on request (costly: auditors and federal coordinators only). */
export function VerifyChains() {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="verify-title">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4" id="verify-title">
            {t('audit.verifyTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('audit.verifyIntro')}
          </Text>
        </div>
        {AUDIT_SERVICES.map((service) => (
          <VerifyChain key={service} service={service} />
        ))}
      </Stack>
    </Paper>
  );
}
