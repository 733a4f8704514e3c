// The demo terminal reads like a product: the apps log pino JSON lines (as in production), and the demo turns each
// into one line of text. Lines that are not pino JSON (migrations, the seed, the sink MX) pass unchanged.
import { prettyFactory } from 'pino-pretty';

const pretty = prettyFactory({
  colorize: Boolean(process.stdout.isTTY),
  singleLine: true,
  translateTime: 'SYS:HH:MM:ss',
  // The process prefix already says which service; HTTP request objects are summed up in the message instead.
  ignore: 'pid,hostname,name,service,node,req,res,responseTime,reqId',
  messageFormat: (entry, messageKey) =>
    entry.req && entry.res
      ? `${entry.req.method} ${entry.req.url} ${entry.res.statusCode} ${entry.responseTime} ms`
      : String(entry[messageKey] ?? ''),
});

export function readableLine(line) {
  if (!line.startsWith('{')) return line;
  try {
    if (typeof JSON.parse(line).level !== 'number') return line;
  } catch {
    return line;
  }
  return pretty(line).trimEnd();
}
