import pino, { type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Secrets must never reach a log line, whatever a caller passes in: these paths are censored.
 */
const REDACT = [
  'password',
  'secret',
  'token',
  'apiKey',
  'privateKey',
  '*.password',
  '*.secret',
  '*.token',
  '*.apiKey',
  '*.privateKey',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

export interface LoggerConfig {
  name: string;
  level: string;
  /** Where to write; defaults to stdout. Tests pass a stream to assert on what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(config: LoggerConfig): Logger {
  const options: LoggerOptions = {
    name: config.name,
    level: config.level,
    redact: { paths: REDACT, censor: '[redacted]' },
    base: { service: config.name },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return config.destination ? pino(options, config.destination as pino.DestinationStream) : pino(options);
}
