import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { createTenantFixture, httpClient } from '../test/fixtures';
import { type SessionClient, signUp } from '../test/session-client';
import { startTestApp, type TestApp } from '../test/test-app';

describe('members and invitations over HTTP', () => {
  let app: TestApp;
  let http: ReturnType<typeof httpClient>;

  before(async () => {
    app = await startTestApp();
    http = httpClient(app.url);
  });
  after(() => app.close());

  /** Invites a new account into the owner's tenant with the given role and accepts; returns the member's session. */
  async function addMember(owner: SessionClient, role: string): Promise<{ session: SessionClient; memberId: string }> {
    const email = `member-${randomUUID().slice(0, 8)}@example.test`;
    const invite = await owner.call('POST', '/v1/invitations', { email, role });
    assert.equal(invite.status, 201, JSON.stringify(invite.body));
    const session = await signUp(app, { email });
    const token = new URL(invite.body.acceptUrl).hash.slice('#token='.length);
    const accepted = await session.call('POST', '/v1/invitations/accept', { token });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    session.tenantId = owner.tenantId;
    const members = await owner.call('GET', '/v1/members');
    return { session, memberId: members.body.items.find((m: any) => m.email === email).id };
  }

  it('invites by email; the invited user accepts once and joins with the role', async () => {
    const owner = await signUp(app, { tenantName: 'Inviting Co' });
    const email = `Invitee-${randomUUID().slice(0, 8)}@Example.test`;
    const invite = await owner.call('POST', '/v1/invitations', { email, role: 'developer' });
    assert.equal(invite.status, 201);
    assert.equal(invite.body.email, email.toLowerCase());
    const url = new URL(invite.body.acceptUrl);
    assert.equal(url.origin, new URL(app.config.PUBLIC_URL).origin);
    const token = url.hash.slice('#token='.length);
    assert.match(token, /^shi_[\w-]{32}$/);
    const stored = await app.prisma.invitation.findUniqueOrThrow({ where: { id: invite.body.id } });
    assert.notEqual(stored.tokenDigest, token);
    assert.ok(stored.expiresAt.getTime() - Date.now() > 6.9 * 24 * 3600 * 1000);

    const pending = await owner.call('GET', '/v1/invitations');
    assert.deepEqual(pending.body.items.map((i: any) => i.id), [invite.body.id]);
    assert.equal(JSON.stringify(pending.body).includes(token), false);

    const stranger = await signUp(app);
    assert.equal((await stranger.call('POST', '/v1/invitations/accept', { token })).status, 403);

    const invitee = await signUp(app, { email });
    const accepted = await invitee.call('POST', '/v1/invitations/accept', { token });
    assert.equal(accepted.status, 200);
    assert.deepEqual([accepted.body.tenant.id, accepted.body.tenant.role], [owner.tenantId, 'developer']);
    assert.equal((await invitee.call('POST', '/v1/invitations/accept', { token })).status, 404);
    assert.equal((await invitee.call('GET', '/v1/tenant', undefined, { 'x-tenant-id': owner.tenantId })).body.role, 'developer');
    assert.equal((await owner.call('GET', '/v1/invitations')).body.items.length, 0);

    const members = await owner.call('GET', '/v1/members');
    assert.deepEqual(members.body.items.map((m: any) => m.role).sort(), ['developer', 'owner']);
    const actions = await app.prisma.auditLog.findMany({ where: { tenantId: owner.tenantId }, select: { action: true } });
    assert.ok(actions.some((a) => a.action === 'member.invited'));
    assert.ok(actions.some((a) => a.action === 'member.added'));
  });

  it('refuses unknown, revoked and replaced invitation tokens, and API keys on accept', async () => {
    const owner = await signUp(app);
    const email = `again-${randomUUID().slice(0, 8)}@example.test`;
    const first = await owner.call('POST', '/v1/invitations', { email, role: 'viewer' });
    const second = await owner.call('POST', '/v1/invitations', { email, role: 'viewer' });
    const invitee = await signUp(app, { email });
    const tokenOf = (r: any) => new URL(r.body.acceptUrl).hash.slice('#token='.length);
    assert.equal((await invitee.call('POST', '/v1/invitations/accept', { token: tokenOf(first) })).status, 404);
    assert.equal((await owner.call('DELETE', `/v1/invitations/${second.body.id}`)).status, 204);
    assert.equal((await invitee.call('POST', '/v1/invitations/accept', { token: tokenOf(second) })).status, 404);
    assert.equal((await invitee.call('POST', '/v1/invitations/accept', { token: 'shi_made_up' })).status, 404);
    assert.equal((await invitee.call('POST', '/v1/invitations/accept', {})).status, 400);
    const key = await createTenantFixture(app.prisma);
    assert.equal((await http('POST', '/v1/invitations/accept', { token: tokenOf(second) }, key.auth)).status, 403);
  });

  it('validates invitations and keeps admins from inviting owners', async () => {
    const owner = await signUp(app);
    assert.equal((await owner.call('POST', '/v1/invitations', { email: 'bad', role: 'viewer' })).status, 400);
    assert.equal((await owner.call('POST', '/v1/invitations', { email: 'x@example.test', role: 'god' })).status, 400);
    assert.equal((await owner.call('POST', '/v1/invitations', { email: owner.email, role: 'viewer' })).status, 409);
    const { session: admin } = await addMember(owner, 'admin');
    assert.equal((await admin.call('POST', '/v1/invitations', { email: 'y@example.test', role: 'owner' })).status, 403);
    assert.equal((await admin.call('POST', '/v1/invitations', { email: 'y@example.test', role: 'admin' })).status, 201);
    const { session: viewer } = await addMember(owner, 'viewer');
    assert.equal((await viewer.call('POST', '/v1/invitations', { email: 'z@example.test', role: 'viewer' })).status, 403);
  });

  it('changes roles: only an owner grants or takes owner, and the last owner stays', async () => {
    const owner = await signUp(app);
    const self = (await owner.call('GET', '/v1/members')).body.items[0].id;
    const { session: admin, memberId: adminId } = await addMember(owner, 'admin');
    const { memberId: devId } = await addMember(owner, 'developer');

    assert.equal((await owner.call('PATCH', `/v1/members/${self}`, { role: 'admin' })).status, 409);
    assert.equal((await owner.call('DELETE', `/v1/members/${self}`)).status, 409);
    assert.equal((await admin.call('PATCH', `/v1/members/${devId}`, { role: 'owner' })).status, 403);
    assert.equal((await admin.call('PATCH', `/v1/members/${self}`, { role: 'viewer' })).status, 403);
    assert.equal((await admin.call('DELETE', `/v1/members/${self}`)).status, 403);

    const demoted = await admin.call('PATCH', `/v1/members/${devId}`, { role: 'viewer' });
    assert.equal(demoted.status, 200);
    assert.equal(demoted.body.role, 'viewer');
    assert.equal((await owner.call('PATCH', `/v1/members/${adminId}`, { role: 'owner' })).status, 200);
    assert.equal((await owner.call('PATCH', `/v1/members/${self}`, { role: 'developer' })).status, 200);
    assert.equal((await owner.call('GET', '/v1/members')).status, 200);
    assert.equal((await owner.call('DELETE', `/v1/members/${adminId}`)).status, 403);
    assert.equal((await admin.call('DELETE', `/v1/members/${adminId}`)).status, 409);

    const log = await app.prisma.auditLog.findMany({ where: { tenantId: owner.tenantId, action: 'member.role_changed' } });
    assert.equal(log.length, 3);
  });

  it('removes a member, who then loses access', async () => {
    const owner = await signUp(app);
    const { session: dev, memberId } = await addMember(owner, 'developer');
    assert.equal((await dev.call('GET', '/v1/tenant')).status, 200);
    assert.equal((await owner.call('DELETE', `/v1/members/${memberId}`)).status, 204);
    assert.equal((await dev.call('GET', '/v1/tenant')).status, 404);
    const entry = await app.prisma.auditLog.findFirstOrThrow({ where: { tenantId: owner.tenantId, action: 'member.removed' } });
    assert.equal(entry.targetId, dev.userId);
  });

  it("answers 404 for another tenant's member and invitation ids, 400 for malformed ids", async () => {
    const owner = await signUp(app);
    const other = await signUp(app);
    const { memberId } = await addMember(other, 'viewer');
    const invite = await other.call('POST', '/v1/invitations', { email: 'q@example.test', role: 'viewer' });
    assert.equal((await owner.call('PATCH', `/v1/members/${memberId}`, { role: 'admin' })).status, 404);
    assert.equal((await owner.call('DELETE', `/v1/members/${memberId}`)).status, 404);
    assert.equal((await owner.call('DELETE', `/v1/invitations/${invite.body.id}`)).status, 404);
    assert.equal((await owner.call('DELETE', '/v1/members/not-a-uuid')).status, 400);
    assert.equal((await owner.call('PATCH', `/v1/members/${memberId}`, { role: 'boss' })).status, 400);
    assert.equal((await other.call('GET', '/v1/members')).body.items.length, 2);
  });
});
