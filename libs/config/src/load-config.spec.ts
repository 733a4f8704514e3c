import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { bool, port, secretKey, url } from './fields';

const schema = z.object({
  DATABASE_URL: url(['postgres', 'postgresql']),
  API_PORT: port(3000),
  SECURE: bool(false),
  KEY: secretKey(32),
});

describe('loadConfig', () => {
  it('parses and applies defaults', () => {
    const config = loadConfig(schema, { DATABASE_URL: 'postgres://localhost/x', KEY: 'a'.repeat(64) });
    assert.equal(config.API_PORT, 3000);
    assert.equal(config.SECURE, false);
  });

  it('names every bad variable and never echoes a secret', () => {
    const secret = 'not-a-valid-key-but-secret';
    assert.throws(
      () => loadConfig(schema, { DATABASE_URL: 'mysql://x', API_PORT: '70000', KEY: secret }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.match(error.message, /DATABASE_URL: must be a URL with scheme postgres or postgresql/);
        assert.match(error.message, /API_PORT/);
        assert.match(error.message, /KEY: must be 32 bytes/);
        assert.ok(!error.message.includes(secret));
        return true;
      },
    );
  });
});
