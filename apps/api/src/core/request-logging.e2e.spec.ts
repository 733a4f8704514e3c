import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { strangerToken } from '../policy/policy-fixtures';
import { httpClient } from '../test/fixtures';
import { startTestApp, type TestApp } from '../test/test-app';

interface RequestLine {
  level: number;
  msg: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
}

const DEBUG = 20;
const INFO = 30;

/**
 * Issue 14: what runs on a timer (health probes, every node's heartbeat and policy long-poll) logs at debug, so
 * the lines at info are the ones a person acts on; the lines stay JSON, as production ships them.
 */
describe('request logging', () => {
  const operatorToken = randomBytes(32).toString('hex');
  let app: TestApp;
  let node: ReturnType<typeof httpClient>;

  before(async () => {
    app = await startTestApp({ LOG_LEVEL: 'debug', OPERATOR_TOKEN: operatorToken });
    const operator = httpClient(app.url, { authorization: `Bearer ${operatorToken}` });
    const registered = await operator('POST', '/v1/operator/relay-nodes', { name: 'relay-log.example' });
    assert.equal(registered.status, 201);
    node = httpClient(app.url, { authorization: `Bearer ${registered.body.token}` });
  });
  after(() => app.close());

  /** The request line of the last call to `url`, parsed from the JSON the logger wrote. */
  const loggedRequest = (method: string, url: string): RequestLine => {
    const lines = app.logs.map((line) => JSON.parse(line) as RequestLine);
    const found = lines.filter((line) => line.req?.method === method && line.req.url === url).at(-1);
    assert.ok(found, `no request line for ${method} ${url} in:\n${app.logs.join('\n')}`);
    return found;
  };
  const beat = { version: '1.0.0', publicIps: [], policyVersion: 0, queueDepth: 0 };

  it('logs health checks, heartbeats and policy long-polls at debug', async () => {
    assert.equal((await node('GET', '/healthz')).status, 200);
    assert.equal((await node('GET', '/readyz')).status, 200);
    assert.equal((await node('POST', '/v1/relay/heartbeat', beat)).status, 200);
    const version = (await node('GET', '/v1/relay/policy')).body.version;
    assert.equal((await node('GET', `/v1/relay/policy/changes?since=${version}&wait=1`)).status, 204);
    for (const [method, url] of [
      ['GET', '/healthz'],
      ['GET', '/readyz'],
      ['POST', '/v1/relay/heartbeat'],
      ['GET', `/v1/relay/policy/changes?since=${version}&wait=1`],
    ] as const) {
      assert.equal(loggedRequest(method, url).level, DEBUG, `${method} ${url}`);
    }
  });

  it('keeps everything else at info, and a refused heartbeat too', async () => {
    assert.equal((await node('GET', '/v1/relay/policy')).status, 200);
    assert.equal(loggedRequest('GET', '/v1/relay/policy').level, INFO, 'a full snapshot is worth a line');
    assert.equal((await httpClient(app.url)('GET', '/v1/credentials')).status, 401);
    assert.equal(loggedRequest('GET', '/v1/credentials').level, INFO);
    const stranger = httpClient(app.url, { authorization: `Bearer ${strangerToken()}` });
    assert.equal((await stranger('POST', '/v1/relay/heartbeat', beat)).status, 401);
    assert.equal(loggedRequest('POST', '/v1/relay/heartbeat').level, INFO);
  });
});
