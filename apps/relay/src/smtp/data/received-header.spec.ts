import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { receivedHeader, rfc5322Date } from './received-header';

describe('receivedHeader', () => {
  const base = {
    clientIp: '192.0.2.7',
    hostname: 'relay.example.net',
    protocol: 'ESMTPSA',
    tls: { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' },
    messageId: '01JTESTMESSAGEID0000000000',
    at: new Date(Date.UTC(2026, 0, 5, 7, 8, 9)),
  };

  it('writes the RFC 5321 §4.4 trace fields, folded, with the recipient only when there is one', () => {
    const header = receivedHeader({ ...base, heloName: 'client.example.org', recipient: 'a@example.com' });
    assert.equal(
      header,
      'Received: from client.example.org ([192.0.2.7])\r\n\tby relay.example.net (Smarthost)\r\n' +
        '\t(using TLSv1.3 with cipher TLS_AES_256_GCM_SHA384)\r\n\twith ESMTPSA id 01JTESTMESSAGEID0000000000\r\n' +
        '\tfor <a@example.com>;\r\n\tMon, 5 Jan 2026 07:08:09 +0000\r\n',
    );
  });

  it('cannot be split or extended by a hostile HELO name', () => {
    const header = receivedHeader({ ...base, heloName: 'x\r\nBcc: victim@example.org (y)', recipient: null });
    assert.equal(header.split('\r\n').filter((line) => line !== '' && !line.startsWith('\t')).length, 1);
    assert.ok(!header.includes('for <'));
  });

  it('formats dates per RFC 5322 §3.3', () => {
    assert.equal(rfc5322Date(new Date(Date.UTC(2026, 10, 28, 23, 59, 0))), 'Sat, 28 Nov 2026 23:59:00 +0000');
  });
});
