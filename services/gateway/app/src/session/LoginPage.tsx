import { Alert, Button, Container, Group, Paper, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Navigate, useSearchParams } from 'react-router';
import { api, ok } from '../api/client';
import { stateLabel } from '../ui/states';
import { DEMO_IDENTITIES, type DemoIdentity } from './identities';
import { sessionStore, useSession } from './session';

/** Where to go after login: a path of this app from `?next=`, never another site. */
function nextPath(params: URLSearchParams): string {
  const next = params.get('next') ?? '/';
  return next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

/** The login picker: one button per demo identity, each asking the dev issuer for a token. */
export function LoginPage() {
  const { t, i18n } = useTranslation();
  const [params] = useSearchParams();
  const session = useSession();
  const login = useMutation({
    mutationFn: async (identity: DemoIdentity) => {
      const body = {
        sub: identity.sub,
        roles: identity.roles,
        states: identity.states,
        ttlSeconds: 8 * 3600,
      };
      const { accessToken } = await ok(api.POST('/api/auth/dev-token', { body }));
      sessionStore.start({
        token: accessToken,
        sub: identity.sub,
        roles: identity.roles,
        states: identity.states,
      });
    },
  });
  if (session) return <Navigate to={nextPath(params)} replace />;
  const ended = sessionStore.lastEnd() === 'expired';

  return (
    <Container component="main" size="md" py="xl">
      <Stack gap="lg">
        <Group justify="space-between" align="flex-start">
          <Title order={1}>{t('app.title')}</Title>
          <Button
            variant="subtle"
            size="xs"
            lang={i18n.language === 'es' ? 'en' : 'es'}
            onClick={() => void i18n.changeLanguage(i18n.language === 'es' ? 'en' : 'es')}
          >
            {i18n.language === 'es' ? 'English' : 'Español'}
          </Button>
        </Group>
        <Title order={2} size="h3">
          {t('login.title')}
        </Title>
        {ended && (
          <Alert color="guinda" variant="outline" data-testid="session-ended">
            {t('login.ended')}
          </Alert>
        )}
        {login.error && (
          <Alert color="red.9" variant="outline" role="alert">
            {t('login.failed', { message: login.error.message })}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {DEMO_IDENTITIES.map((identity) => (
            <Paper key={identity.key} withBorder p={0}>
              <Button
                variant="subtle"
                fullWidth
                h="auto"
                p="md"
                justify="flex-start"
                data-identity={identity.key}
                loading={login.isPending && login.variables?.key === identity.key}
                onClick={() => login.mutate(identity)}
              >
                <Stack gap={2} align="flex-start">
                  <Text fw={700}>{t(`identity.${identity.key}`)}</Text>
                  <Text size="xs" c="dimmed" ta="left" style={{ whiteSpace: 'normal' }}>
                    {identity.sub} · {identity.roles.map((role) => t(`role.${role}`)).join(', ')}
                    {identity.states.length > 0 && ` · ${identity.states.map(stateLabel).join(', ')}`}
                  </Text>
                </Stack>
              </Button>
            </Paper>
          ))}
        </SimpleGrid>
        <Text size="sm" c="dimmed">
          {t('login.note')}
        </Text>
      </Stack>
    </Container>
  );
}
