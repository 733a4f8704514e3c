import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readHeaders } from './headers';
import { addMissingHeaders } from './missing-headers';

const facts = { at: new Date(Date.UTC(2026, 11, 3, 14, 0, 0)), messageId: '01JTESTMESSAGEID0000000000', hostname: 'relay.example.net' };

describe('addMissingHeaders', () => {
  it('adds Date and Message-ID when both are missing', () => {
    const headers = readHeaders(Buffer.from('From: a@acme.test\r\nSubject: hi\r\n\r\nbody\r\n'));
    assert.equal(addMissingHeaders(headers, facts), 'Date: Thu, 3 Dec 2026 14:00:00 +0000\r\nMessage-ID: <01JTESTMESSAGEID0000000000@relay.example.net>\r\n');
    assert.ok(headers.some((h) => h.name === 'message-id'));
  });

  it('keeps what the client sent, in any case of the field name', () => {
    const headers = readHeaders(Buffer.from('DATE: Mon, 1 Dec 2026 10:00:00 +0100\r\nmessage-id: <x@client.test>\r\n\r\n'));
    assert.equal(addMissingHeaders(headers, facts), '');
    assert.equal(addMissingHeaders(readHeaders(Buffer.from('Message-ID: <x@client.test>\r\n\r\n')), facts), 'Date: Thu, 3 Dec 2026 14:00:00 +0000\r\n');
  });
});
