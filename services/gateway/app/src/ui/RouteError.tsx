import { Container } from '@mantine/core';
import { useRouteError } from 'react-router';
import { ErrorState } from './PageStates';

/** A page that failed to render or load (e.g. its chunk after a deploy): the error, and a reload. */
export function RouteError() {
  const error = useRouteError();
  return (
    <Container size="md" py="xl">
      <ErrorState error={error} onRetry={() => window.location.reload()} />
    </Container>
  );
}
