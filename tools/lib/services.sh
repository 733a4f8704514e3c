# Shared by tools/test.sh and tools/demo.sh. Source it; it exports DATABASE_ADMIN_URL and REDIS_URL.
#
# Postgres and Redis, in order of preference:
#   1. DATABASE_URL / REDIS_URL when set;
#   2. servers already answering on the default local ports (127.0.0.1:5432, 127.0.0.1:6379);
#   3. private servers started from the system's binaries under .data/ (git-ignored), on ports 55432 / 56379;
#   4. otherwise say exactly what to install.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA_DIR="$ROOT/.data"

say() { printf '\033[1;34m[smarthost]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[smarthost]\033[0m %s\n' "$*" >&2; exit 1; }

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

ensure_node_modules() {
  if [ ! -d "$ROOT/node_modules/.bin" ] || [ "$ROOT/package-lock.json" -nt "$ROOT/node_modules/.package-lock.json" ]; then
    say "installing dependencies (npm ci)"
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error) || die "npm ci failed"
  fi
}

pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

start_private_postgres() {
  local bin port=55432 dir="$DATA_DIR/postgres" as=()
  bin="$(pg_bin)" || die "no Postgres found. Install it: apt-get install postgresql  (or set DATABASE_URL)"
  # initdb and postgres refuse to run as root; run them as the postgres system user the package creates.
  if [ "$(id -u)" = 0 ]; then as=(runuser -u postgres --); fi
  mkdir -p "$DATA_DIR"
  if [ ! -f "$dir/PG_VERSION" ]; then
    say "creating a private Postgres cluster in $dir"
    mkdir -p "$dir" && [ "$(id -u)" = 0 ] && chown postgres "$dir"
    "${as[@]}" "$bin/initdb" -D "$dir" -U postgres --auth=trust >/dev/null || die "initdb failed"
  fi
  if ! port_open 127.0.0.1 $port; then
    say "starting private Postgres on 127.0.0.1:$port"
    "${as[@]}" "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o "-p $port -k /tmp -c listen_addresses=127.0.0.1" start >/dev/null \
      || die "Postgres did not start; see $dir/server.log"
  fi
  echo "postgres://postgres@127.0.0.1:$port/postgres"
}

start_private_redis() {
  local port=56379 dir="$DATA_DIR/redis"
  command -v redis-server >/dev/null || die "no Redis found. Install it: apt-get install redis-server  (or set REDIS_URL)"
  mkdir -p "$dir"
  if ! port_open 127.0.0.1 $port; then
    say "starting private Redis on 127.0.0.1:$port"
    # The production settings the architecture asks for: AOF on, and refuse writes rather than evict queued mail.
    redis-server --port $port --bind 127.0.0.1 --dir "$dir" --appendonly yes --appendfsync everysec \
      --maxmemory-policy noeviction --daemonize yes --logfile "$dir/redis.log" --pidfile "$dir/redis.pid" >/dev/null \
      || die "Redis did not start; see $dir/redis.log"
    for _ in $(seq 50); do port_open 127.0.0.1 $port && break; sleep 0.1; done
  fi
  echo "redis://127.0.0.1:$port"
}

ensure_services() {
  if [ -n "${DATABASE_URL:-}" ]; then
    export DATABASE_ADMIN_URL="${DATABASE_ADMIN_URL:-$(node -e 'const u=new URL(process.argv[1]);u.pathname="/postgres";console.log(u.href)' "$DATABASE_URL")}"
  elif port_open 127.0.0.1 5432; then
    export DATABASE_ADMIN_URL="${DATABASE_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  else
    DATABASE_ADMIN_URL="$(start_private_postgres)" || exit 1
    export DATABASE_ADMIN_URL
  fi
  if [ -z "${REDIS_URL:-}" ]; then
    if port_open 127.0.0.1 6379; then export REDIS_URL="redis://127.0.0.1:6379"
    else REDIS_URL="$(start_private_redis)" || exit 1; export REDIS_URL; fi
  fi
  say "Postgres: ${DATABASE_ADMIN_URL%/*}   Redis: $REDIS_URL"
}

# URL of a named database on the same server as DATABASE_ADMIN_URL.
database_url() { node -e 'const u=new URL(process.argv[1]);u.pathname="/"+process.argv[2];console.log(u.href)' "$DATABASE_ADMIN_URL" "$1"; }
