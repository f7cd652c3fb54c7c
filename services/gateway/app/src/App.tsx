import { lazy } from 'react';
import { createBrowserRouter } from 'react-router';
import { RouterProvider } from 'react-router/dom';
import { LoginPage } from './session/LoginPage';
import { RequireSession } from './session/RequireSession';
import { AppLayout } from './ui/AppLayout';
import { NotFoundPage } from './ui/NotFoundPage';
import { RouteError } from './ui/RouteError';

// Each workspace is its own chunk, loaded when first opened: the first page stays light.
const HomePage = lazy(() => import('./home/HomePage'));
const AuditExplorerPage = lazy(() => import('./audit/AuditExplorerPage'));
const JobsPage = lazy(() => import('./jobs/JobsPage'));
const JobDetailPage = lazy(() => import('./jobs/JobDetailPage'));

/** The gateway serves the app under /app/ (and Vite's dev server too: vite.config.mts `base`). */
const router = createBrowserRouter(
  [
    { path: '/login', element: <LoginPage />, errorElement: <RouteError /> },
    {
      element: (
        <RequireSession>
          <AppLayout />
        </RequireSession>
      ),
      errorElement: <RouteError />,
      children: [
        { index: true, element: <HomePage /> },
        { path: 'audit', element: <AuditExplorerPage /> },
        { path: 'jobs', element: <JobsPage /> },
        { path: 'jobs/:jobId', element: <JobDetailPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  { basename: import.meta.env.BASE_URL.replace(/\/$/, '') },
);

export function App() {
  return <RouterProvider router={router} />;
}
