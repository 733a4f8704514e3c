import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Redis } from 'ioredis';
import type { PolicyStore } from '../policy/policy-store';

const PING_TIMEOUT_MS = 1000;

/**
 * `/healthz`: the process runs (liveness; restarting cannot fix Redis or the API).
 * `/readyz`: this node can accept mail now: Redis answers and a fresh policy is loaded (readiness).
 */
export function createHealthServer(redis: Redis, policy: PolicyStore): Server {
  return createServer((request, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || (path !== '/healthz' && path !== '/readyz')) {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    if (path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
      return;
    }
    void readiness(redis, policy).then((body) => {
      response.writeHead(body.ready ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    });
  });
}

async function readiness(redis: Redis, policy: PolicyStore) {
  const redisOk = await ping(redis);
  const status = policy.status();
  const ready = redisOk && status.loaded && !status.stale;
  return { ready, redis: redisOk ? 'ok' : 'unavailable', policy: status };
}

async function ping(redis: Redis): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([redis.ping().then((reply) => reply === 'PONG'), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

export function listenHealth(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
