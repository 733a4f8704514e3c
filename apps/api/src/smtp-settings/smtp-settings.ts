import { z } from 'zod';
import type { ApiConfig } from '../config/api-config';

export const smtpSettingsView = z.object({
  /** Where applications connect to submit mail. */
  host: z.string(),
  /** Each submission port and how TLS starts on it: `starttls` after EHLO, `tls` from the first byte (RFC 8314). */
  ports: z.array(z.object({ port: z.number().int(), security: z.enum(['starttls', 'tls']) })),
  /** `self-signed`: clients must be told not to verify the certificate (only ever true of a demo or test stack). */
  certificate: z.enum(['trusted', 'self-signed']),
  /** SASL mechanisms the relay offers once TLS is up (RFC 4954). */
  authMechanisms: z.array(z.enum(['PLAIN', 'LOGIN'])),
});
export type SmtpSettingsView = z.infer<typeof smtpSettingsView>;

/** The one place the public SMTP settings are read from: the endpoint and the credential responses both use it. */
export function smtpSettings(config: ApiConfig): SmtpSettingsView {
  return {
    host: config.SMTP_PUBLIC_HOST || config.RELAY_HOSTNAME,
    ports: config.SMTP_PUBLIC_PORTS,
    certificate: config.SMTP_TLS_CERTIFICATE,
    authMechanisms: ['PLAIN', 'LOGIN'],
  };
}
