#!/usr/bin/env bash
# Installs Postfix's test programs (smtp-sink, smtp-source) for `npm run bench:delivery`, non-interactively and
# without leaving a Postfix daemon on port 25: "No configuration" is preseeded, and a master process that an
# init system started anyway is stopped. Needs root (apt-get). The benchmark itself never installs anything.
set -euo pipefail
if command -v smtp-sink >/dev/null 2>&1 || [ -x /usr/sbin/smtp-sink ]; then
  echo "smtp-sink is already installed"; exit 0
fi
echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
apt-get install -y postfix || { apt-get update && apt-get install -y postfix; }
# policy-rc.d usually denies the start in containers; if something started it anyway, stop it.
if [ -f /var/spool/postfix/pid/master.pid ] || pgrep -x master >/dev/null 2>&1; then
  postfix stop 2>/dev/null || true
fi
if ss -ltnH 'sport = :25' | grep -q .; then echo "warning: something still listens on port 25" >&2; fi
echo "smtp-sink: $(command -v smtp-sink || echo /usr/sbin/smtp-sink)"
