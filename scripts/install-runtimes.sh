#!/usr/bin/env bash
# Builds the runtimes that learner servers run on inside the sandbox, and the sandbox user.
# Idempotent: each part is rebuilt only when its pinned inputs change (a stamp per part), so a
# second run takes well under a second. Called by the project's install and by CI.
#
#   MCP_LAB_RUNTIMES      runtime root (default /opt/mcp-lab/runtimes), world-readable
#   MCP_LAB_SANDBOX_USER  unprivileged user the sandbox runs as (default mcplab-sandbox)
#
# Layout of the runtime root:
#   python/           venv from /usr/bin/python3 with the pinned `mcp` and `pytest` (sandbox/runtime/python-requirements.txt)
#   node/bin/node     the project's pinned Node 24 binary (copied from node_modules/node)
#   node/node_modules @modelcontextprotocol/sdk + zod + express + jose + vitest (sandbox/runtime/node-package*.json, npm ci),
#                     and .mcp-lab/vitest-run.mjs, the Vitest runner of test-suite labs (sandbox/runtime/test-runner/)
#   test-runner/      pytest-run.py, the pytest runner of test-suite labs
#   relay/            http-relay.py: unix socket -> 127.0.0.1:$PORT relay run inside the sandbox
#   etc/              passwd, group, hosts, nsswitch.conf bound read-only into the sandbox
#   versions.json     {python, mcp, pytest, node, sdk, zod, vitest}: reported in every result
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
REPO_DIR="$(dirname "$SCRIPT_DIR")"
SPEC_DIR="$REPO_DIR/sandbox/runtime"
ROOT="${MCP_LAB_RUNTIMES:-/opt/mcp-lab/runtimes}"
SANDBOX_USER="${MCP_LAB_SANDBOX_USER:-mcplab-sandbox}"
SYSTEM_PYTHON="/usr/bin/python3"

log() { printf 'install-runtimes: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

fingerprint() { cat "$@" | sha256sum | cut -d' ' -f1; }

# A part is current when its stamp holds the fingerprint of its inputs and its key file exists.
is_current() { [[ -e "$3" && -f "$ROOT/.stamp-$1" && "$(cat "$ROOT/.stamp-$1")" == "$2" ]]; }
mark_current() { printf '%s\n' "$2" >"$ROOT/.stamp-$1"; }

is_root=0
[[ "$(id -u)" == "0" ]] && is_root=1

[[ -x "$SYSTEM_PYTHON" ]] || die "$SYSTEM_PYTHON is missing (apt-get install python3 python3-venv)"
NODE_SRC="$(readlink -f "$REPO_DIR/node_modules/node/bin/node" || true)"
[[ -n "$NODE_SRC" && -x "$NODE_SRC" ]] || die "pinned Node binary not found under $REPO_DIR/node_modules/node (run npm install first)"

umask 022
mkdir -p "$ROOT" || die "cannot create $ROOT (run as root, or set MCP_LAB_RUNTIMES to a writable folder)"
exec 9>"$ROOT/.install.lock"
flock 9

# --- sandbox user -------------------------------------------------------------------------------
if [[ $is_root == 1 ]]; then
  if ! getent passwd "$SANDBOX_USER" >/dev/null; then
    log "creating system user $SANDBOX_USER"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$SANDBOX_USER"
  fi
else
  log "warning: not root, so the sandbox user and bwrap isolation are not set up;"
  log "         only SANDBOX=unsafe-local (local development) can use these runtimes"
fi

# Parts are built next to their final place and swapped in with two renames, so a grader running
# during a reinstall sees the old or the new runtime, not a half-built one. (A venv runs fine after
# a move: Python finds its prefix from pyvenv.cfg next to bin/.)
swap_in() {
  local name="$1"
  rm -rf "$ROOT/.old-$name"
  if [[ -e "$ROOT/$name" ]]; then mv "$ROOT/$name" "$ROOT/.old-$name"; fi
  mv "$ROOT/.new-$name" "$ROOT/$name"
  rm -rf "$ROOT/.old-$name"
}

# --- python ---------------------------------------------------------------------------------------
py_fp="$(fingerprint "$SPEC_DIR/python-requirements.txt" <("$SYSTEM_PYTHON" -VV))"
if ! is_current python "$py_fp" "$ROOT/python/bin/python"; then
  log "building python venv (mcp pinned) in $ROOT/python"
  new="$ROOT/.new-python"
  rm -rf "$new"
  "$SYSTEM_PYTHON" -m venv "$new"
  "$new/bin/python" -m pip install --quiet --no-input --disable-pip-version-check \
    --no-deps --require-virtualenv -r "$SPEC_DIR/python-requirements.txt"
  # Fail now, not at grading time, if the pins do not import together.
  "$new/bin/python" -c "from mcp.server.mcpserver import MCPServer; import pytest" >/dev/null
  swap_in python
  mark_current python "$py_fp"
fi

# --- node -----------------------------------------------------------------------------------------
# The binary is fingerprinted by version and size, not mtime: an `npm ci` of the project re-extracts
# the same binary with a new mtime.
node_fp="$(fingerprint "$SPEC_DIR/node-package.json" "$SPEC_DIR/node-package-lock.json" \
  "$SPEC_DIR/test-runner/vitest-run.mjs" \
  <("$NODE_SRC" -p 'process.version + " " + process.arch') <(stat -c '%s' "$NODE_SRC"))"
if ! is_current node "$node_fp" "$ROOT/node/node_modules/.mcp-lab/vitest-run.mjs"; then
  log "installing node runtime in $ROOT/node"
  new="$ROOT/.new-node"
  rm -rf "$new"
  mkdir -p "$new/bin"
  cp "$NODE_SRC" "$new/bin/node"
  cp "$SPEC_DIR/node-package.json" "$new/package.json"
  cp "$SPEC_DIR/node-package-lock.json" "$new/package-lock.json"
  (cd "$new" && npm ci --omit=dev --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  # Inside node_modules so that the runner and the learner's tests load the same copy of vitest.
  mkdir -p "$new/node_modules/.mcp-lab"
  cp "$SPEC_DIR/test-runner/vitest-run.mjs" "$new/node_modules/.mcp-lab/vitest-run.mjs"
  swap_in node
  mark_current node "$node_fp"
fi

# --- relay, pytest runner and /etc files ---------------------------------------------------------
uid_gid="$(id -u "$SANDBOX_USER" 2>/dev/null || id -u):$(id -g "$SANDBOX_USER" 2>/dev/null || id -g)"
misc_fp="$(fingerprint "$SPEC_DIR/http-relay.py" "$SPEC_DIR/test-runner/pytest-run.py" <(echo "$SANDBOX_USER $uid_gid"))"
if ! is_current misc "$misc_fp" "$ROOT/test-runner/pytest-run.py"; then
  mkdir -p "$ROOT/relay" "$ROOT/etc" "$ROOT/test-runner"
  cp "$SPEC_DIR/http-relay.py" "$ROOT/relay/http-relay.py"
  cp "$SPEC_DIR/test-runner/pytest-run.py" "$ROOT/test-runner/pytest-run.py"
  uid="${uid_gid%%:*}"
  gid="${uid_gid##*:}"
  printf 'root:x:0:0:root:/root:/usr/sbin/nologin\nsandbox:x:%s:%s:MCP Lab sandbox:/tmp:/usr/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n' \
    "$uid" "$gid" >"$ROOT/etc/passwd"
  printf 'root:x:0:\nsandbox:x:%s:\nnogroup:x:65534:\n' "$gid" >"$ROOT/etc/group"
  printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
  printf 'passwd: files\ngroup: files\nhosts: files\n' >"$ROOT/etc/nsswitch.conf"
  mark_current misc "$misc_fp"
fi

# --- versions.json (always cheap to verify; rewritten only when it changes) -----------------------
versions="$("$ROOT/python/bin/python" - "$ROOT" <<'PY'
import importlib.metadata as md, json, platform, subprocess, sys
root = sys.argv[1]
node = subprocess.run([f"{root}/node/bin/node", "-p", "process.versions.node"], capture_output=True, text=True, check=True).stdout.strip()
def npm_version(name):
    with open(f"{root}/node/node_modules/{name}/package.json") as f:
        return json.load(f)["version"]
print(json.dumps({
    "python": platform.python_version(),
    "mcp": md.version("mcp"),
    "pytest": md.version("pytest"),
    "node": node,
    "sdk": npm_version("@modelcontextprotocol/sdk"),
    "zod": npm_version("zod"),
    "vitest": npm_version("vitest"),
}, indent=2))
PY
)"
if [[ ! -f "$ROOT/versions.json" || "$(cat "$ROOT/versions.json")" != "$versions" ]]; then
  printf '%s\n' "$versions" >"$ROOT/versions.json"
fi

# Everything is read by the sandbox user: world-readable, owned by whoever installed (root in CI).
chmod -R a+rX,go-w "$ROOT"
log "runtimes ready in $ROOT: $(tr -d '\n ' <"$ROOT/versions.json")"
