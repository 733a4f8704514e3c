#!/usr/bin/env node
// The demo's "remote" mail server: accepts every message on loopback and logs a line per message, so a message
// sent through the demo relay can be seen arriving.
import { SMTPServer } from 'smtp-server';

const port = Number(process.env.SINK_PORT ?? 2526);
const server = new SMTPServer({
  name: 'sink.localhost',
  authOptional: true,
  disabledCommands: ['AUTH'],
  disableReverseLookup: true,
  hideSTARTTLS: true,
  onData(stream, session, callback) {
    let size = 0;
    let head = '';
    stream.on('data', (chunk) => {
      size += chunk.length;
      if (head.length < 4096) head += chunk.toString('utf8', 0, 4096);
    });
    stream.on('end', () => {
      const subject = /^Subject:\s*(.*)$/im.exec(head)?.[1] ?? '';
      const signed = /^DKIM-Signature:/im.test(head);
      const from = (session.envelope.mailFrom && session.envelope.mailFrom.address) || '<>';
      const to = session.envelope.rcptTo.map((r) => r.address).join(', ');
      process.stdout.write(`message received from ${from} for ${to} (${size} bytes, ${signed ? 'DKIM-signed' : 'not signed'}): ${subject}\n`);
      callback(null, 'Message accepted by sink');
    });
  },
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`sink MX listening on 127.0.0.1:${port}\n`));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.close(() => process.exit(0)));
