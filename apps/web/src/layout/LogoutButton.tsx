import { useMutation } from '@tanstack/react-query';
import { send } from '../api/client';
import { useSession } from '../session/session-context';

export function LogoutButton() {
  const { api, signedOut } = useSession();
  const logout = useMutation({ mutationFn: () => send(api.POST('/v1/auth/logout')), onSettled: signedOut });
  return (
    <button type="button" className="button-secondary button-small" onClick={() => logout.mutate()} disabled={logout.isPending}>
      Log out
    </button>
  );
}
