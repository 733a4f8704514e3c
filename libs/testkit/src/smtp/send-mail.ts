import nodemailer, { NodemailerError, SendMailOptions, SMTPSentMessageInfo } from 'nodemailer';

export interface SendMailParams {
  host?: string;
  port: number;
  /** Implicit TLS from the first byte (port 465 style). */
  secure?: boolean;
  /** Fail unless STARTTLS succeeds, instead of falling back to plaintext. */
  requireTLS?: boolean;
  /** Never try STARTTLS, even when offered. */
  ignoreTLS?: boolean;
  auth?: { user: string; pass: string };
  /** Trust only this CA (e.g. the sink's cert); when omitted the server certificate is not verified. */
  ca?: string;
  /** EHLO name. */
  name?: string;
  timeoutMs?: number;
  message: SendMailOptions;
}

export type SendMailResult =
  | { ok: true; info: SMTPSentMessageInfo }
  | { ok: false; error: NodemailerError; responseCode?: number; response?: string; command?: string };

/**
 * Sends one message with nodemailer's SMTP transport and returns the outcome instead of
 * throwing, so a test can assert on the exact refusal (`responseCode`, `response`).
 */
export async function sendMail(params: SendMailParams): Promise<SendMailResult> {
  const timeout = params.timeoutMs ?? 10_000;
  const transport = nodemailer.createTransport({
    host: params.host ?? '127.0.0.1',
    port: params.port,
    secure: params.secure ?? false,
    requireTLS: params.requireTLS ?? false,
    ignoreTLS: params.ignoreTLS ?? false,
    auth: params.auth,
    name: params.name ?? 'client.test',
    tls: params.ca ? { ca: params.ca } : { rejectUnauthorized: false },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  try {
    return { ok: true, info: await transport.sendMail(params.message) };
  } catch (caught) {
    const error = caught as NodemailerError;
    return { ok: false, error, responseCode: error.responseCode, response: error.response, command: error.command };
  } finally {
    transport.close();
  }
}
