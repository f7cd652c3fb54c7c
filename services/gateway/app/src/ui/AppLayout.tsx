import {
  Anchor,
  Box,
  Button,
  Container,
  Group,
  SegmentedControl,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, Link as RouterLink } from 'react-router';
import { isLanguage, LANGUAGES } from '../i18n/i18n';
import { sessionStore } from '../session/session';
import { useMe } from '../session/use-me';
import classes from './AppLayout.module.css';
import { LoadingState } from './PageStates';
import { stateLabel } from './states';

/** Who is logged in, as `/api/me` says: name, roles and states. */
function Who() {
  const { t } = useTranslation();
  const me = useMe().data;
  if (!me) return null;
  const roles = me.roles.map((role) => t(`role.${role}`)).join(', ');
  return (
    <Text size="sm" className={classes.who} data-testid="who" data-sub={me.sub}>
      <VisuallyHidden>{t('nav.user')}: </VisuallyHidden>
      <strong>{me.sub}</strong> · {roles}
      {me.states.length > 0 && ` · ${me.states.map(stateLabel).join(', ')}`}
    </Text>
  );
}

function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('nav.language')}
      data-testid="language"
      value={i18n.language}
      onChange={(language) => {
        if (isLanguage(language)) void i18n.changeLanguage(language);
      }}
      data={LANGUAGES.map((language) => ({
        value: language,
        label: language === 'es' ? 'Español' : 'English',
      }))}
    />
  );
}

/** The frame of every page: header (brand, navigation, user, language, logout) and the page itself. */
export function AppLayout() {
  const { t } = useTranslation();
  const links = [
    { to: '/', label: t('nav.home'), end: true },
    { to: '/jobs', label: t('nav.jobs'), end: false },
    { to: '/audit', label: t('nav.audit'), end: false },
  ];
  return (
    <>
      <a href="#main" className={classes.skip}>
        {t('app.skipToContent')}
      </a>
      <Box component="header" className={classes.header}>
        <Container size="xl">
          <Group justify="space-between" wrap="wrap" gap="sm" py="sm">
            <Anchor component={RouterLink} to="/" className={classes.brand} underline="never">
              <Title order={1} size="h3">
                {t('app.title')}
              </Title>
            </Anchor>
            <Group gap="sm" wrap="wrap">
              <Who />
              <LanguageSwitch />
              <Button size="xs" variant="white" onClick={() => sessionStore.end('logout')}>
                {t('nav.logout')}
              </Button>
            </Group>
          </Group>
          <Group component="nav" aria-label={t('nav.label')} gap="xs" pb="xs" wrap="wrap">
            {links.map((link) => (
              <NavLink key={link.to} to={link.to} end={link.end} className={classes.navLink}>
                {link.label}
              </NavLink>
            ))}
            <a href="/" className={classes.navLink}>
              {t('nav.dashboard')}
            </a>
          </Group>
        </Container>
      </Box>
      <Container component="main" id="main" size="xl" py="lg" tabIndex={-1}>
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </Container>
    </>
  );
}
