import { useMutation } from '@tanstack/react-query';
import { useNavigate } from 'react-router-dom';
import { unwrap } from '../../api/client';
import { FormError } from '../../components/FormError';
import { useSession } from '../../session/session-context';
import { AuthLayout } from './AuthLayout';

/** The invitation link carries its token in the fragment (never sent to servers or logged); joining needs a login. */
export function AcceptInvitationPage() {
  const { api, refresh, selectTenant } = useSession();
  const navigate = useNavigate();
  const token = new URLSearchParams(window.location.hash.slice(1)).get('token');
  const accept = useMutation({
    mutationFn: (value: string) => unwrap(api.POST('/v1/invitations/accept', { body: { token: value } })),
    onSuccess: async ({ tenant }) => {
      await refresh();
      selectTenant(tenant.id);
      navigate('/');
    },
  });
  return (
    <AuthLayout title="Join a team">
      {token ? (
        <>
          <p>You have been invited to a team on Smarthost. Joining uses the account you are logged in with; its email address must match the invitation.</p>
          <FormError error={accept.error} />
          <button type="button" onClick={() => accept.mutate(token)} disabled={accept.isPending}>
            {accept.isPending ? 'Joining…' : 'Join the team'}
          </button>
        </>
      ) : (
        <p role="alert">This link is incomplete. Open the whole invitation link you were sent, or ask for a new invitation.</p>
      )}
    </AuthLayout>
  );
}
