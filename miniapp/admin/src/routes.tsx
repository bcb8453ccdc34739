import { lazy, Suspense, type ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import type { Role } from '@shared/api';
import { useAuth } from './auth/AuthContext';
import { loginPathFor } from './auth/next';
import { hasWorkspace } from './auth/roles';
import LoginPage from './pages/LoginPage';

// Everything after the login page is loaded on demand, one chunk per screen.
const WorkspaceLayout = lazy(() => import('./layout/WorkspaceLayout'));
const NoWorkspacePage = lazy(() => import('./pages/NoWorkspacePage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));
const DashboardPage = lazy(() => import('./pages/DashboardPage'));
const BusinessesPage = lazy(() => import('./pages/BusinessesPage'));
const InstrumentsPage = lazy(() => import('./pages/InstrumentsPage'));
const ImportPage = lazy(() => import('./pages/ImportPage'));
const LabelsPage = lazy(() => import('./pages/LabelsPage'));
const VerificationsPage = lazy(() => import('./pages/VerificationsPage'));
const UsersPage = lazy(() => import('./pages/UsersPage'));
const ApiKeysPage = lazy(() => import('./pages/ApiKeysPage'));

function Pending() {
  return (
    <div className="loading" role="status" aria-live="polite">
      正在加载…
    </div>
  );
}

/** Signed-in users with a workspace pass; others go to the login page or see why they cannot. */
function RequireWorkspace({ children }: { children: ReactNode }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to={loginPathFor(location.pathname + location.search)} replace />;
  if (!hasWorkspace(session.user.role)) return <NoWorkspacePage />;
  return <>{children}</>;
}

function OnlyFor({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { session } = useAuth();
  return session && roles.includes(session.user.role) ? <>{children}</> : <NotFoundPage forbidden />;
}

export function AppRoutes() {
  return (
    <Suspense fallback={<Pending />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route
          path="/"
          element={
            <RequireWorkspace>
              <WorkspaceLayout />
            </RequireWorkspace>
          }
        >
          <Route index element={<Navigate to="/dashboard" replace />} />
          <Route path="dashboard" element={<DashboardPage />} />
          <Route path="businesses" element={<BusinessesPage />} />
          <Route path="instruments" element={<InstrumentsPage />} />
          <Route path="import" element={<ImportPage />} />
          <Route path="labels" element={<LabelsPage />} />
          <Route path="verifications" element={<VerificationsPage />} />
          <Route path="users" element={<OnlyFor roles={['admin']}><UsersPage /></OnlyFor>} />
          <Route path="api-keys" element={<OnlyFor roles={['admin']}><ApiKeysPage /></OnlyFor>} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
