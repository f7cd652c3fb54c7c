import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from './PageStates';

export function NotFoundPage() {
  const { t } = useTranslation();
  return (
    <EmptyState
      title={t('state.notFound')}
      hint={t('state.notFoundHint')}
      action={
        <Button component={Link} to="/" variant="outline">
          {t('state.backHome')}
        </Button>
      }
    />
  );
}
