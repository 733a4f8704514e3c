import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from './create-logger';

describe('createLogger', () => {
  it('writes JSON lines and censors secrets at any depth it knows', () => {
    const stream = new PassThrough();
    const lines: string[] = [];
    stream.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n')));
    const logger = createLogger({ name: 'test', level: 'info', destination: stream });
    logger.info({ tenantId: 't1', password: 'hunter2', credential: { secret: 's3cret' } }, 'created');
    const entry = JSON.parse(lines[0] ?? '{}');
    assert.equal(entry.msg, 'created');
    assert.equal(entry.tenantId, 't1');
    assert.equal(entry.service, 'test');
    assert.ok(!lines[0]?.includes('hunter2'));
    assert.ok(!lines[0]?.includes('s3cret'));
  });
});
