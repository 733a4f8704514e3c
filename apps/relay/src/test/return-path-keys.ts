import type { ReturnPathKeyring } from '@smarthost/relay-policy';

/** The return-path key of every test node and worker (hex, 32 bytes), so a worker's return paths verify at a relay. */
export const TEST_RETURN_PATH_KEY = '5e'.repeat(32);
export const TEST_RETURN_PATH_KEYS: ReturnPathKeyring = { current: { id: '1', secret: Buffer.from(TEST_RETURN_PATH_KEY, 'hex') }, previous: null };
