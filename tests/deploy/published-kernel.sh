#!/usr/bin/env bash
# Smoke test of the deployable layout (kernel/deploy): publishes the kernel + plugins with kernel/deploy/publish.sh
# (the script the Dockerfile's build stage runs) from the Release build, then starts the result the way the image
# does (working directory = the published folder, Production, data in its own folder; as an unprivileged user when
# run as root, like the image's USER) on free loopback ports, and checks:
#   - /healthz answers Healthy (database migrated, every plugin of plugins.json loaded),
#   - the data folder is 0700 and the first admin key 0600, owned by the kernel's user,
#   - SIGTERM stops the kernel with exit code 0.
# No Docker engine is needed (none runs on the CI machines); the base images' own parts are not exercised.
# Usage: bash tests/deploy/published-kernel.sh   (after `dotnet build ClawScale.sln -c Release`)
set -euo pipefail
cd "$(dirname "$0")/../.."

work=$(mktemp -d /tmp/clawscale-deploy.XXXXXX)
kernel_pid=
cleanup() {
  [ -n "$kernel_pid" ] && kill -9 "$kernel_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "published-kernel: FAIL: $*" >&2; [ -f "$work/kernel.log" ] && tail -n 15 "$work/kernel.log" | cut -c1-400 >&2; exit 1; }

bash kernel/deploy/publish.sh "$work/app" --no-build
chmod 755 "$work" "$work/app"
data="$work/data"   # created by the kernel itself, as in a fresh volume's subfolder

run_as=()
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null 2>&1; then
  # like the image's USER: a user that owns nothing but the data folder's parent
  mkdir -p "$work/home" && chown nobody "$work" "$work/home"
  run_as=(setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME="$work/home")
fi
user_id=$(id -u nobody 2>/dev/null || id -u)
[ ${#run_as[@]} -gt 0 ] || user_id=$(id -u)

read -r http_port grpc_port < <(python3 -c '
import socket
s=[socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1",0))
print(*[x.getsockname()[1] for x in s])
for x in s: x.close()')

(cd "$work/app" && exec "${run_as[@]}" env \
    ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_HTTP_PORTS= DOTNET_CLI_TELEMETRY_OPTOUT=1 \
    ClawScale__ListenAddress=127.0.0.1 ClawScale__DataDirectory="$data" \
    ClawScale__HttpPort="$http_port" ClawScale__GrpcPort="$grpc_port" \
    dotnet ClawScale.Kernel.dll >"$work/kernel.log" 2>&1) &
kernel_pid=$!

health=""
for _ in $(seq 1 120); do
  kill -0 "$kernel_pid" 2>/dev/null || fail "the kernel exited during start"
  health=$(python3 - "$http_port" <<'PY' 2>/dev/null || true
import sys, urllib.request
try:
    with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/healthz", timeout=2) as r:
        print(r.status, r.read().decode().strip())
except urllib.error.HTTPError as e:
    print(e.code, e.read().decode().strip())
PY
)
  [ "${health%% *}" = 200 ] && [ "${health#* }" = Healthy ] && break
  sleep 0.5
done
[ "$health" = "200 Healthy" ] || fail "/healthz answered '${health:-nothing}' (want '200 Healthy')"

[ "$(stat -c %a "$data")" = 700 ] || fail "data folder mode $(stat -c %a "$data"), want 700"
[ -f "$data/admin-api-key" ] || fail "no first admin key in $data"
[ "$(stat -c %a "$data/admin-api-key")" = 600 ] || fail "admin key mode $(stat -c %a "$data/admin-api-key"), want 600"
[ "$(stat -c %u "$data")" = "$user_id" ] || fail "data folder owned by uid $(stat -c %u "$data"), want $user_id"

kill -TERM "$kernel_pid"
code=0; wait "$kernel_pid" || code=$?
kernel_pid=
[ "$code" = 0 ] || fail "the kernel exited with $code after SIGTERM (want 0)"
grep -q "fail:\|crit:" "$work/kernel.log" && fail "the kernel logged an error"
echo "published-kernel: OK (healthz Healthy, data 0700 / admin key 0600 as uid $user_id, clean stop)"
