#!/usr/bin/env bash
# `npm run test:e2e`: the extension, packaged, in a real VS Code (code-server + Chromium).
#   1. test/e2e/setup.sh     Chromium, Node 24 and code-server, installed once into .e2e/
#   2. npm run package       asyncguard.vsix at the repository root
#   3. the scenarios         mocha --config test/e2e/.mocharc.cjs (test/e2e/*.e2e.ts)
# E2E_VSIX=path/to.vsix skips step 2 and tests that file instead. Failures leave a screenshot and
# the page HTML in .e2e/runs/<id>/artifacts/ (paths in the log), next to each session's logs.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$repo"
cache="${E2E_CACHE:-$repo/.e2e}"
now_ms() { date +%s%3N; }
start=$(now_ms)

bash test/e2e/setup.sh
setup_done=$(now_ms)
export E2E_SETUP_MS=$((setup_done - start))

if [[ -z "${E2E_VSIX:-}" ]]; then
  echo "== npm run package"
  npm run package
  export E2E_PACKAGE_MS=$(($(now_ms) - setup_done))
fi

# This run's folder is .e2e/runs/<this shell's pid> (see harness.ts).
export E2E_RUN_ID=$$
status=0
npx mocha --config test/e2e/.mocharc.cjs "$@" || status=$?

# Every process a session starts has the run folder on its command line (code-server's
# --user-data-dir, Chromium's profile): none may outlive the run.
if leftovers=$(pgrep -a -f "$cache/runs/$E2E_RUN_ID/"); then
  echo "e2e: processes left behind:" >&2
  echo "$leftovers" >&2
  status=1
fi

echo "e2e: setup $((E2E_SETUP_MS / 1000)) s, package $((${E2E_PACKAGE_MS:-0} / 1000)) s, total $((($(now_ms) - start) / 1000)) s"
exit $status
