#!/usr/bin/env bash
# The demo command: one command from a fresh clone to the whole service running locally.
# Installs dependencies, prepares Postgres and Redis (see tools/lib/services.sh), builds, migrates, seeds, then runs
# the API (with the dashboard), a relay node, the delivery worker and a local sink MX. Ctrl-C stops all of it,
# including any private Postgres/Redis this script started.
set -euo pipefail
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

STARTED=()
stop_private() {
  for what in "${STARTED[@]}"; do
    case $what in
      postgres) runuser -u postgres -- "$(pg_bin)/pg_ctl" -D "$DATA_DIR/postgres" -m fast stop >/dev/null 2>&1 || "$(pg_bin)/pg_ctl" -D "$DATA_DIR/postgres" -m fast stop >/dev/null 2>&1 || true ;;
      redis) kill "$(cat "$DATA_DIR/redis/redis.pid")" 2>/dev/null || true ;;
    esac
  done
}
trap stop_private EXIT

ensure_node_modules
had_pg=0; port_open 127.0.0.1 55432 && had_pg=1
had_redis=0; port_open 127.0.0.1 56379 && had_redis=1
ensure_services
[[ $DATABASE_ADMIN_URL == *:55432/* && $had_pg == 0 ]] && STARTED+=(postgres)
[[ $REDIS_URL == *:56379 && $had_redis == 0 ]] && STARTED+=(redis)

# The demo's own database (DEMO_DATABASE, default smarthost) is reseeded when its secrets do not match it; a
# DATABASE_URL given from outside never is (tools/lib/demo-state.mjs).
if [ -n "${DATABASE_URL:-}" ]; then
  export DEMO_OWNS_DATABASE=false
else
  export DEMO_OWNS_DATABASE=true DATABASE_URL="$(database_url "${DEMO_DATABASE:-smarthost}")"
fi
say "building"
npx nx run-many -t build --outputStyle=static >/dev/null || die "build failed (run: npx nx run-many -t build)"
say "migrating $DATABASE_URL"
node libs/db/dist/cli.js migrate
node tools/demo.mjs
