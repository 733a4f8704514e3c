import { useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import type { Role } from '../api/types';
import { useSession } from '../session/session-context';
import { BILLING_READERS } from '../session/tenant-query';
import { LogoutButton } from './LogoutButton';
import { TenantSwitcher } from './TenantSwitcher';

/** Path, label, and the roles that may open it (every member when absent). */
type NavEntry = readonly [to: string, label: string, roles?: readonly Role[]];

const NAV: readonly NavEntry[] = [
  ['/', 'Overview'],
  ['/domains', 'Domains'],
  ['/credentials', 'SMTP credentials'],
  ['/messages', 'Messages'],
  ['/suppressions', 'Suppressions'],
  ['/inbound-routes', 'Inbound routes'],
  ['/api-keys', 'API keys'],
  ['/members', 'Members'],
  ['/billing', 'Billing', BILLING_READERS],
  ['/settings', 'Settings'],
];

/** Landmarks: banner, navigation, main; a skip link first so keyboard users need not tab through the menu. */
export function Shell() {
  const { state, tenantId } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const location = useLocation();
  const user = state.status === 'signed-in' ? state.user : null;
  const role = state.status === 'signed-in' ? state.tenants.find((tenant) => tenant.id === tenantId)?.role : undefined;
  const nav = NAV.filter(([, , roles]) => !roles || (role !== undefined && roles.includes(role)));
  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Smarthost</span>
        <TenantSwitcher />
        <div className="user">
          {user && <span className="muted small user-email">{user.email}</span>}
          <LogoutButton />
        </div>
        <button type="button" className="menu-toggle button-secondary button-small" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
      </header>
      <nav id="main-nav" aria-label="Main" className={menuOpen ? 'sidenav open' : 'sidenav'}>
        <ul>
          {nav.map(([to, label]) => (
            <li key={to}>
              <NavLink to={to} end={to === '/'} onClick={() => setMenuOpen(false)}>
                {label}
              </NavLink>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1} className="content">
        {/* Keyed by tenant and path: a tenant switch remounts the page and drops any half-filled form. */}
        {tenantId ? <Outlet key={`${tenantId}${location.pathname}`} /> : <p>You are not a member of any team yet. Ask a team owner for an invitation.</p>}
      </main>
    </div>
  );
}
