#!/usr/bin/env bash
# The test command: builds everything, prepares the migrated template database, runs every project's tests
# (unit, integration, end-to-end, and the dashboard in a real browser) and prints one line
# "N passed, N failed, N skipped" summed over all runners.
set -uo pipefail
source "$(dirname "$0")/lib/services.sh"
cd "$ROOT"

# Whatever stops the run, the last line still says so in the summary format CI reads.
abort() { say "$1"; echo "0 passed, 1 failed"; exit 1; }

# Debian packages the tests drive: swaks (SMTP client) and chromium (dashboard end-to-end).
ensure_debian_tools() {
  local missing=()
  command -v swaks >/dev/null || missing+=(swaks)
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: ${missing[*]}"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
      || abort "could not install ${missing[*]}; install them: apt-get install ${missing[*]}"
  else
    abort "the tests need: ${missing[*]}. Install them: sudo apt-get install ${missing[*]}"
  fi
}

ensure_node_modules
ensure_debian_tools
ensure_services
export SMARTHOST_TEST_TEMPLATE_DB="${SMARTHOST_TEST_TEMPLATE_DB:-smarthost_template}"

say "building"
npx nx run-many -t build --outputStyle=static || abort "build failed"
say "preparing the test template database"
DATABASE_URL="$(database_url "$SMARTHOST_TEST_TEMPLATE_DB")" node libs/db/dist/cli.js template || abort "template database failed"

rm -rf .test-results && mkdir -p .test-results
say "running tests"
npx nx run-many -t test --parallel=1 --outputStyle=stream "$@"
status=$?
say "running the dashboard in a real browser"
npm run -s test:e2e -w apps/web || status=1
node tools/test-summary.mjs || status=1
exit $status
