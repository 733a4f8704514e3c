import { send, unwrap } from '../../api/client';
import type { Member, Role } from '../../api/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormError } from '../../components/FormError';
import { formatTime } from '../../components/format';
import { Page, Section } from '../../components/Page';
import { EmptyState, ErrorState, Loading } from '../../components/States';
import { useCanWrite, useCurrentTenant, useTenantMutation, useTenantQuery } from '../../session/tenant-query';
import { InviteForm } from './InviteForm';

const ROLES: Role[] = ['viewer', 'developer', 'admin', 'owner'];

function RoleSelect({ member, canGrantOwner, onChange }: { member: Member; canGrantOwner: boolean; onChange: (role: Role) => void }) {
  return (
    <select aria-label={`Role of ${member.name}`} value={member.role} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.filter((r) => canGrantOwner || r !== 'owner' || member.role === 'owner').map((r) => <option key={r} value={r}>{r}</option>)}
    </select>
  );
}

export function MembersPage() {
  const canWrite = useCanWrite('people');
  const owner = useCurrentTenant().tenant.role === 'owner';
  const members = useTenantQuery(['members'], (api) => unwrap(api.GET('/v1/members')));
  const invitations = useTenantQuery(['invitations'], (api) => unwrap(api.GET('/v1/invitations')));
  const changeRole = useTenantMutation((api, v: { id: string; role: Role }) => unwrap(api.PATCH('/v1/members/{id}', { params: { path: { id: v.id } }, body: { role: v.role } })), [['members']]);
  const removeMember = useTenantMutation((api, id: string) => send(api.DELETE('/v1/members/{id}', { params: { path: { id } } })), [['members']]);
  const revoke = useTenantMutation((api, id: string) => send(api.DELETE('/v1/invitations/{id}', { params: { path: { id } } })), [['invitations']]);

  return (
    <Page title="Members" intro="Who can see and change this team's mail settings.">
      <Section title="Members">
        <FormError error={changeRole.error ?? removeMember.error} />
        {members.isPending && <Loading what="members" />}
        {members.isError && <ErrorState error={members.error} retry={() => members.refetch()} />}
        {members.data && (
          <div className="table-wrap">
            <table className="members">
              <thead><tr><th scope="col">Name</th><th scope="col">Email</th><th scope="col">Role</th><th scope="col">Joined</th><th scope="col"><span className="visually-hidden">Actions</span></th></tr></thead>
              <tbody>
                {members.data.items.map((m) => (
                  <tr key={m.id}>
                    <th scope="row">{m.name}</th>
                    <td data-label="Email" className="wrap">{m.email}</td>
                    <td data-label="Role">{canWrite ? <RoleSelect member={m} canGrantOwner={owner} onChange={(role) => changeRole.mutate({ id: m.id, role })} /> : m.role}</td>
                    <td data-label="Joined">{formatTime(m.createdAt)}</td>
                    <td>{canWrite && <ConfirmButton label="Remove" question={`Remove ${m.name} from the team?`} onConfirm={() => removeMember.mutate(m.id)} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      {canWrite && (
        <Section title="Invite someone">
          <InviteForm canGrantOwner={owner} />
        </Section>
      )}
      <Section title="Pending invitations">
        <FormError error={revoke.error} />
        {invitations.isPending && <Loading what="invitations" />}
        {invitations.isError && <ErrorState error={invitations.error} />}
        {invitations.data?.items.length === 0 && <EmptyState title="No pending invitations." />}
        {invitations.data && invitations.data.items.length > 0 && (
          <ul className="items">
            {invitations.data.items.map((i) => (
              <li key={i.id} className="item item-main">
                <span><strong>{i.email}</strong> as {i.role}, expires {formatTime(i.expiresAt)}</span>
                {canWrite && <ConfirmButton label="Revoke" question={`Revoke the invitation for ${i.email}?`} onConfirm={() => revoke.mutate(i.id)} />}
              </li>
            ))}
          </ul>
        )}
      </Section>
    </Page>
  );
}
