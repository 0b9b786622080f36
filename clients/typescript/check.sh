#!/usr/bin/env bash
# The TypeScript client against the API as it is (run by .ci/run, not `make test`):
#   1. types regenerated from `manage.py spectacular` must equal the committed src/schema.d.ts
#      (`bash check.sh --update` rewrites them instead);
#   2. `tsc --strict` compiles the client and the journey script;
#   3. the journey (sign up → … → certificate) runs with Node against a live server started
#      here on a free loopback port, with the demo data in a throwaway SQLite database.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
python="$root/.venv/bin/python"
work="$(mktemp -d)"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work" "$here/build"
}
trap cleanup EXIT

cd "$here"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

echo "== client: types from the schema =="
(cd "$root" && DJANGO_SETTINGS_MODULE=config.test_settings "$python" manage.py spectacular \
  --validate --fail-on-warn --file "$work/schema.yml")
npx openapi-typescript "$work/schema.yml" --default-non-nullable false --output "$work/schema.d.ts" >/dev/null
if [ "${1:-}" = "--update" ]; then
  cp "$work/schema.d.ts" src/schema.d.ts
  echo "src/schema.d.ts updated"
  exit 0
fi
if ! diff -u src/schema.d.ts "$work/schema.d.ts" >"$work/types.diff"; then
  head -60 "$work/types.diff"
  echo "src/schema.d.ts is stale: run 'bash clients/typescript/check.sh --update' and commit it" >&2
  exit 1
fi
echo "types match the schema"

echo "== client: tsc --strict =="
npx tsc --strict --noEmit -p tsconfig.json
npx tsc --strict --noEmit false -p tsconfig.json
echo "compiled"

echo "== client: the journey against a live server =="
port="$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
export DJANGO_SETTINGS_MODULE=config.test_settings
export DATABASE_URL="sqlite:///$work/journey.sqlite3"
export MEDIA_ROOT="$work/media" REDIS_URL="" CELERY_BROKER_URL="" EMAIL_URL="consolemail://"
(cd "$root" && "$python" manage.py migrate --noinput -v 0 && "$python" manage.py seed_demo >/dev/null)
(cd "$root" && exec "$python" manage.py runserver --noreload "127.0.0.1:$port" >"$work/server.log" 2>&1) &
server_pid=$!
for _ in $(seq 1 50); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done
if ! node build/scripts/journey.js "http://127.0.0.1:$port"; then
  tail -40 "$work/server.log"
  exit 1
fi
echo "client check passed"
