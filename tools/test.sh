#!/usr/bin/env bash
# The test command: builds everything, prepares the migrated template database, runs every project's tests
# (unit, integration, end-to-end) and prints one line "N passed, N failed, N skipped" summed over all runners.
set -uo pipefail
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

ensure_node_modules
ensure_services
export SMARTHOST_TEST_TEMPLATE_DB="${SMARTHOST_TEST_TEMPLATE_DB:-smarthost_template}"

say "building"
npx nx run-many -t build --outputStyle=static || die "build failed"
say "preparing the test template database"
DATABASE_URL="$(database_url "$SMARTHOST_TEST_TEMPLATE_DB")" node libs/db/dist/cli.js template || die "template failed"

rm -rf .test-results && mkdir -p .test-results
say "running tests"
npx nx run-many -t test --parallel=1 --outputStyle=stream "$@"
status=$?
node tools/test-summary.mjs || status=1
exit $status
