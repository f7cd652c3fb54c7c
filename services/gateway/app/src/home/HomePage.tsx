import { Anchor, Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** The landing page: where each workspace is. */
export default function HomePage() {
  const { t } = useTranslation();
  return (
    <Stack gap="lg">
      <div>
        <Title order={2}>{t('home.title')}</Title>
        <Text c="dimmed">{t('home.intro')}</Text>
      </div>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Card withBorder>
          <Title order={3} size="h4">
            <Anchor component={Link} to="/audit">
              {t('home.auditTitle')}
            </Anchor>
          </Title>
          <Text size="sm" mt="xs">
            {t('home.auditText')}
          </Text>
        </Card>
        <Card withBorder>
          <Title order={3} size="h4">
            <Anchor component={Link} to="/jobs">
              {t('home.jobsTitle')}
            </Anchor>
          </Title>
          <Text size="sm" mt="xs">
            {t('home.jobsText')}
          </Text>
        </Card>
        <Card withBorder>
          <Title order={3} size="h4">
            <Anchor href="/">{t('nav.dashboard')}</Anchor>
          </Title>
          <Text size="sm" mt="xs">
            {t('home.dashboardText')}
          </Text>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}
