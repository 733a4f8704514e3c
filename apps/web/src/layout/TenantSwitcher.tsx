import { useId } from 'react';
import { useSession } from '../session/session-context';

export function TenantSwitcher() {
  const { state, tenantId, selectTenant } = useSession();
  const id = useId();
  if (state.status !== 'signed-in' || state.tenants.length === 0) return null;
  return (
    <div className="tenant-switcher">
      <label htmlFor={id}>Team</label>
      <select id={id} value={tenantId ?? ''} onChange={(event) => selectTenant(event.target.value)}>
        {state.tenants.map((tenant) => (
          <option key={tenant.id} value={tenant.id}>
            {tenant.name} ({tenant.role})
          </option>
        ))}
      </select>
    </div>
  );
}
