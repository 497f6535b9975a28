#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster for the tests of metaxy-store-postgres.
#
#   pg-test-server.sh [--install] [--dir DIR] [--durable] start
#                                                   initdb (first time), start on a free loopback port,
#                                                   print the JDBC URL on stdout (the only stdout line)
#   pg-test-server.sh [--dir DIR] stop               stop the cluster (no-op when it is not running)
#   pg-test-server.sh [--dir DIR] url                print the JDBC URL of the running cluster
#   pg-test-server.sh --install                      only install PostgreSQL (apt-get), then exit
#
# Nothing is installed unless --install is given. METAXY_PG_BINDIR selects the directory of initdb/pg_ctl
# (default: the newest /usr/lib/postgresql/*/bin, else PATH). DIR defaults to <module>/target/pgdata. The cluster
# trusts local connections (user "metaxy", no password) and listens on 127.0.0.1 only; durability is
# switched off (fsync, synchronous_commit, full_page_writes) because the data is disposable. --durable keeps
# PostgreSQL's durable defaults instead, for the crash tests of the reliability suite (use its own --dir: a
# cluster already running in the other mode is restarted in the requested one).
#
# Exit codes: 0 ok, 2 usage, 3 PostgreSQL binaries not found, 4 the cluster failed to start.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="$here/../target/pgdata"
install=0
durable=0
cmd=""
while [ $# -gt 0 ]; do
  case "$1" in
    --install) install=1 ;;
    --dir) shift; dir="${1:?--dir needs a directory}" ;;
    --durable) durable=1 ;;
    start|stop|url) cmd="$1" ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "pg-test-server.sh: unknown argument '$1' (expected start, stop, url, --install, --dir DIR, --durable)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$install" = 1 ]; then
  if ! command -v apt-get >/dev/null; then
    echo "pg-test-server.sh: --install needs apt-get (Debian/Ubuntu); install PostgreSQL server binaries by hand" >&2
    exit 3
  fi
  export DEBIAN_FRONTEND=noninteractive
  sudo_cmd=""
  if [ "$(id -u)" != 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -q >&2
  $sudo_cmd apt-get install -y -q postgresql >&2
fi
[ -n "$cmd" ] || { [ "$install" = 1 ] && exit 0; echo "usage: pg-test-server.sh [--install] [--dir DIR] start|stop|url" >&2; exit 2; }

mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"
data="$dir/data"
portfile="$dir/port"

find_bin() {
  local d
  # METAXY_PG_BINDIR pins the binaries (e.g. one of several installed versions).
  if [ -n "${METAXY_PG_BINDIR:-}" ]; then
    [ -x "$METAXY_PG_BINDIR/initdb" ] && [ -x "$METAXY_PG_BINDIR/pg_ctl" ] && { echo "$METAXY_PG_BINDIR"; return 0; }
    return 1
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then echo "$d"; return 0; fi
  done
  if command -v pg_ctl >/dev/null && command -v initdb >/dev/null; then
    dirname "$(command -v pg_ctl)"; return 0
  fi
  return 1
}

if ! bin="$(find_bin)"; then
  echo "pg-test-server.sh: PostgreSQL server binaries (initdb, pg_ctl) not found in ${METAXY_PG_BINDIR:-/usr/lib/postgresql/*/bin or on PATH}." >&2
  echo "Install them with: apt-get install -y postgresql   (or run: $0 --install start)" >&2
  exit 3
fi

# PostgreSQL refuses to run as root: run it as the "postgres" system user, which owns the directory.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}
if [ "$(id -u)" = 0 ]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "pg-test-server.sh: running as root but there is no 'postgres' user to run the server as" >&2
    exit 4
  fi
  chown postgres "$dir"
  if ! runuser -u postgres -- test -w "$dir"; then
    # A parent directory the postgres user cannot enter (a checkout under /root): keep the cluster in a
    # private directory under /tmp named after DIR, and only the port file in DIR.
    alt="${TMPDIR:-/tmp}/metaxy-pgdata-$(printf '%s' "$dir" | md5sum | cut -c1-12)"
    mkdir -p "$alt"
    chown postgres "$alt"
    chmod 700 "$alt"
    data="$alt/data"
  fi
fi

log="$(dirname "$data")/server.log"
modefile="$dir/mode"
if [ "$durable" = 1 ]; then
  mode=durable
  settings="-c fsync=on -c synchronous_commit=on -c full_page_writes=on"
else
  mode=fast
  settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi

url() {
  echo "jdbc:postgresql://127.0.0.1:$(cat "$portfile")/postgres?user=metaxy"
}

running() {
  [ -f "$data/postmaster.pid" ] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1
}

port_free() {
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

case "$cmd" in
  url)
    running || { echo "pg-test-server.sh: no cluster running in $data" >&2; exit 4; }
    url ;;
  stop)
    if running; then
      as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >&2
    fi ;;
  start)
    if running; then
      # A cluster started before modes were recorded ran with the fast settings.
      if [ "$(cat "$modefile" 2>/dev/null || echo fast)" = "$mode" ]; then url; exit 0; fi
      as_pg "$bin/pg_ctl" -D "$data" -m fast -w stop >&2
    fi
    if [ ! -f "$data/PG_VERSION" ]; then
      rm -rf "$data"
      as_pg "$bin/initdb" -D "$data" -U metaxy --auth=trust --encoding=UTF8 --locale=C >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; echo "pg-test-server.sh: initdb failed (log above)" >&2; exit 4; }
    fi
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
      port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
      port_free "$port" || continue
      if as_pg "$bin/pg_ctl" -D "$data" -l "$log" -w -t 60 \
          -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='' $settings -c max_connections=50" \
          start >&2; then
        echo "$port" >"$portfile"
        echo "$mode" >"$modefile"
        url
        exit 0
      fi
    done
    tail -n 30 "$log" >&2 || true
    echo "pg-test-server.sh: PostgreSQL did not start (log: $log)" >&2
    exit 4 ;;
esac
