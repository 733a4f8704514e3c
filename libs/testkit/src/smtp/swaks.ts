import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';

export const SWAKS_PATH = '/usr/bin/swaks';

export interface SwaksResult {
  /** swaks exit status (0 ok, 23 MAIL, 24 RCPT, 25 DATA command, 26 message after DATA refused, 28 AUTH failed, …); null if killed. */
  exitCode: number | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  /** The SMTP conversation: swaks prints `->` client and `<-` server lines (`~>`/`<~` under TLS, `<**`/`<~*` for errors). */
  transcript: string;
}

/**
 * Runs the real swaks binary (Debian package `swaks`, which CI must install) with the given
 * arguments, e.g. `['--server', '127.0.0.1', '--port', '2525', '--to', 'a@b.test', '--tls']`.
 */
export function swaks(args: readonly string[], { timeoutMs = 20_000 }: { timeoutMs?: number } = {}): Promise<SwaksResult> {
  assertInstalled();
  return new Promise((resolve, reject) => {
    const child = spawn(SWAKS_PATH, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      const out = Buffer.concat(stdout).toString('utf8');
      const err = Buffer.concat(stderr).toString('utf8');
      resolve({ exitCode, timedOut, stdout: out, stderr: err, transcript: out + err });
    });
  });
}

/** Server reply codes in order, one per reply (the last line of a multi-line reply). */
export function replyCodes(transcript: string): number[] {
  return parseTranscript(transcript).map((reply) => reply.code);
}

/** The last reply before QUIT, i.e. the server's verdict on the transaction; undefined if none. */
export function lastReplyCode(transcript: string): number | undefined {
  const replies = parseTranscript(transcript).filter((reply) => reply.command !== 'QUIT');
  return replies[replies.length - 1]?.code;
}

const CLIENT_LINE = /^\s*(?:->|~>)\s+(\S+)/;
// swaks marks an error reply `<**` in plain text and `<~*` under TLS (swaks' print_transaction, code 32).
const SERVER_LINE = /^\s*(?:<-|<~|<\*\*|<~\*\*?)\s+(\d{3})([ -]|$)/;

function parseTranscript(transcript: string): { command: string; code: number }[] {
  const replies: { command: string; code: number }[] = [];
  let command = '';
  for (const line of transcript.split(/\r?\n/)) {
    const client = CLIENT_LINE.exec(line);
    if (client) command = (client[1] ?? '').toUpperCase();
    const server = SERVER_LINE.exec(line);
    if (server && server[2] !== '-') replies.push({ command, code: Number(server[1]) });
  }
  return replies;
}

function assertInstalled(): void {
  try {
    accessSync(SWAKS_PATH, constants.X_OK);
  } catch {
    throw new Error(`${SWAKS_PATH} not found: install the Debian package (apt-get install -y swaks)`);
  }
}
