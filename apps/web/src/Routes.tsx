import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Shell } from './layout/Shell';
import { ApiKeysPage } from './pages/api-keys/ApiKeysPage';
import { AcceptInvitationPage } from './pages/auth/AcceptInvitationPage';
import { LoginPage } from './pages/auth/LoginPage';
import { SignupPage } from './pages/auth/SignupPage';
import { BillingPage } from './pages/billing/BillingPage';
import { CredentialsPage } from './pages/credentials/CredentialsPage';
import { DomainPage } from './pages/domains/DomainPage';
import { DomainsPage } from './pages/domains/DomainsPage';
import { InboundRoutesPage } from './pages/inbound-routes/InboundRoutesPage';
import { MembersPage } from './pages/members/MembersPage';
import { MessagePage } from './pages/messages/MessagePage';
import { MessagesPage } from './pages/messages/MessagesPage';
import { RejectedPage } from './pages/messages/RejectedPage';
import { OverviewPage } from './pages/overview/OverviewPage';
import { SettingsPage } from './pages/settings/SettingsPage';
import { SuppressionsPage } from './pages/suppressions/SuppressionsPage';
import { useSession } from './session/session-context';

/** Signed-out visitors see only the auth pages; a deep link survives the detour through log-in. */
export function AppRoutes() {
  const { state } = useSession();
  const location = useLocation();
  if (state.status === 'loading') return <p role="status" className="loading page-loading">Loading…</p>;
  if (state.status === 'anonymous') {
    const back = { from: `${location.pathname}${location.hash}` };
    return (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/signup" element={<SignupPage />} />
        <Route path="*" element={<Navigate to="/login" replace state={back} />} />
      </Routes>
    );
  }
  const from = (location.state as { from?: string } | null)?.from;
  return (
    <Routes>
      <Route path="/login" element={<Navigate to={from ?? '/'} replace />} />
      <Route path="/signup" element={<Navigate to={from ?? '/'} replace />} />
      <Route path="/invitations/accept" element={<AcceptInvitationPage />} />
      <Route element={<Shell />}>
        <Route index element={<OverviewPage />} />
        <Route path="domains" element={<DomainsPage />} />
        <Route path="domains/:id" element={<DomainPage />} />
        <Route path="credentials" element={<CredentialsPage />} />
        <Route path="messages" element={<MessagesPage />} />
        <Route path="messages/rejected" element={<RejectedPage />} />
        <Route path="messages/:id" element={<MessagePage />} />
        <Route path="suppressions" element={<SuppressionsPage />} />
        <Route path="inbound-routes" element={<InboundRoutesPage />} />
        <Route path="api-keys" element={<ApiKeysPage />} />
        <Route path="members" element={<MembersPage />} />
        <Route path="billing" element={<BillingPage />} />
        <Route path="settings" element={<SettingsPage />} />
        <Route path="*" element={<p>Nothing here. Pick a page from the menu.</p>} />
      </Route>
    </Routes>
  );
}
