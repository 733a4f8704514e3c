import { useState } from 'react';
import { unwrap } from '../../api/client';
import type { DomainView } from '../../api/types';
import { Badge } from '../../components/Badge';
import { FormError } from '../../components/FormError';
import { formatTime } from '../../components/format';
import { Section } from '../../components/Page';
import { LiveStatus } from '../../components/States';
import { useTenantMutation } from '../../session/tenant-query';

/**
 * Key rotation in the order that never breaks signing: a new key is published and verified before it signs, and the
 * old key's record stays while mail signed with it may still be checked.
 */
export function DkimSection({ domain, canWrite }: { domain: DomainView; canWrite: boolean }) {
  const [done, setDone] = useState<string | null>(null);
  const invalidate = [['domains']];
  const rotate = useTenantMutation((api, id: string) => unwrap(api.POST('/v1/domains/{id}/dkim/rotate', { params: { path: { id } } })), invalidate);
  const activate = useTenantMutation(
    (api, keyId: string) => unwrap(api.POST('/v1/domains/{id}/dkim/{keyId}/activate', { params: { path: { id: domain.id, keyId } } })),
    invalidate,
  );
  const pending = domain.dkimKeys.find((key) => key.status === 'pending');
  const active = domain.dkimKeys.find((key) => key.status === 'active');

  // A new domain's first key is one of the records above and starts signing when the domain verifies: rotation
  // (steps, key table, a button that could only be disabled) means nothing yet.
  if (!active) {
    return (
      <Section title="DKIM signing key">
        <p className="muted">
          {pending ? <>Your domain’s signing key (selector <code>{pending.selector}</code>) is the DKIM record above. </> : null}
          It starts signing your mail as soon as the domain is verified.
        </p>
      </Section>
    );
  }

  const steps = (
    <ol className="steps">
      <li>Create a new key. The current key keeps signing meanwhile.</li>
      <li>Publish the new key's DKIM record shown in the table above (its host has the new selector).</li>
      <li>Press “Verify now” until the new record shows “Found”.</li>
      <li>Activate the new key. The old key's record must stay published for a few days while receivers still check mail it signed.</li>
    </ol>
  );

  return (
    <Section title="DKIM signing keys">
      {pending ? (
        steps
      ) : (
        <details>
          <summary>How to replace the signing key</summary>
          {steps}
        </details>
      )}
      <div className="table-wrap">
        <table className="keys">
          <thead>
            <tr>
              <th scope="col">Selector</th>
              <th scope="col">Status</th>
              <th scope="col">Created</th>
              <th scope="col">Verified</th>
              <th scope="col"><span className="visually-hidden">Actions</span></th>
            </tr>
          </thead>
          <tbody>
            {domain.dkimKeys.map((key) => (
              <tr key={key.id}>
                <th scope="row"><code>{key.selector}</code></th>
                <td data-label="Status"><Badge status={key.status} /></td>
                <td data-label="Created">{formatTime(key.createdAt)}</td>
                <td data-label="Verified">{formatTime(key.verifiedAt)}</td>
                <td>
                  {canWrite && key.status === 'pending' && (
                    <button
                      type="button"
                      className="button-small"
                      disabled={!key.verifiedAt || activate.isPending}
                      title={key.verifiedAt ? undefined : 'Publish and verify its record first'}
                      onClick={() => activate.mutate(key.id, { onSuccess: () => setDone(`Key ${key.selector} now signs your mail.`) })}
                    >
                      Activate
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {canWrite && !pending && (
        <button
          type="button"
          className="button-secondary"
          disabled={rotate.isPending}
          onClick={() => rotate.mutate(domain.id, { onSuccess: () => setDone('New key created. Publish its DKIM record, then verify.') })}
        >
          Create a new key
        </button>
      )}
      <FormError error={rotate.error ?? activate.error} />
      <LiveStatus message={done} />
    </Section>
  );
}
