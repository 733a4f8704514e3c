import type { RouteTlsMode } from '@smarthost/relay-policy';
import { AppError } from '../core/app-error';
import { checkForwardHost, type ForwardHostRules } from './forward-host';

export interface RouteTarget {
  action: 'forward' | 'reject';
  host: string | null;
  port: number | null;
  tlsMode: RouteTlsMode;
}

export const DEFAULT_SMTP_PORT = 25;

/**
 * Validates a route's target as a whole (after an update is merged over the current route): a forward needs a
 * host the relay may deliver to; a reject has neither host nor port, as the policy contract requires.
 * Switching a route to reject in an update clears both (the service passes them as null).
 */
export function checkRouteTarget(target: RouteTarget, rules: ForwardHostRules): RouteTarget {
  if (target.action === 'reject') {
    if (target.host !== null) throw AppError.invalid('body.host', 'must be empty when action is reject');
    if (target.port !== null) throw AppError.invalid('body.port', 'must be empty when action is reject');
    return target;
  }
  if (!target.host) throw AppError.invalid('body.host', 'is required when action is forward');
  const host = checkForwardHost(target.host, rules);
  if (!host.ok) throw AppError.invalid('body.host', host.message);
  return { ...target, host: host.host, port: target.port ?? DEFAULT_SMTP_PORT };
}
