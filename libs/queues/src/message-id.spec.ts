import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { derivedMessageId, isMessageId, messageIdTime, newMessageId } from './message-id';

describe('message ids', () => {
  it('are ULIDs that carry their time and sort by it', () => {
    const early = newMessageId(Date.UTC(2026, 0, 1));
    const late = newMessageId(Date.UTC(2026, 0, 1, 0, 0, 1));
    assert.ok(isMessageId(early) && isMessageId(late));
    assert.equal(messageIdTime(early), Date.UTC(2026, 0, 1));
    assert.ok(early < late);
  });

  it('do not repeat within one millisecond and never contain a BullMQ-forbidden colon', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newMessageId(1_700_000_000_000)));
    assert.equal(ids.size, 10_000);
    assert.ok([...ids].every((id) => !id.includes(':')));
  });

  it('derived from a parent and a label: the same inputs give the same valid id, next to the parent in time', () => {
    const parent = newMessageId(Date.UTC(2026, 0, 1));
    const notice = derivedMessageId(parent, 'bounce-notice:1');
    assert.ok(isMessageId(notice));
    assert.equal(notice, derivedMessageId(parent, 'bounce-notice:1'));
    assert.notEqual(notice, derivedMessageId(parent, 'bounce-notice:2'));
    assert.notEqual(notice, parent);
    assert.equal(messageIdTime(notice), messageIdTime(parent));
  });
});
