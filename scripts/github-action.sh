#!/usr/bin/env bash
# The scan step of action.yml: runs `reliquat scan`, writes SARIF and the Markdown summary to
# $GITHUB_STEP_SUMMARY, and records the exit code as a step output instead of failing at once,
# so that the SARIF upload still runs; the action's last step exits with that code.
# Inputs come as RELIQUAT_* variables (see action.yml). Tested by test/e2e/github-action.test.ts.
set -uo pipefail
ROOT="${GITHUB_ACTION_PATH:-$(cd "$(dirname "$0")/.." && pwd)}"
summary="$(mktemp)"
report="$(mktemp)"
args=(scan --fail-on "${RELIQUAT_FAIL_ON:-high}" --format json --output "$report"
  --report "sarif=${RELIQUAT_SARIF:-reliquat.sarif}" --report "markdown=$summary")
[[ -n "${RELIQUAT_CONFIG:-}" ]] && args+=(--config "$RELIQUAT_CONFIG")
[[ -n "${RELIQUAT_BASELINE:-}" ]] && args+=(--baseline "$RELIQUAT_BASELINE")
# Word splitting is intended: targets and extra arguments are space-separated lists.
# shellcheck disable=SC2206
args+=(${RELIQUAT_ARGS:-} ${RELIQUAT_TARGETS:-})

node "$ROOT/dist/cli/main.js" "${args[@]}"
code=$?
[[ -s "$summary" && -n "${GITHUB_STEP_SUMMARY:-}" ]] && cat "$summary" >>"$GITHUB_STEP_SUMMARY"
level="$(node -e 'try { console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).summary.highestLevel) } catch { console.log("unknown") }' "$report")"
if [[ -n "${GITHUB_OUTPUT:-}" ]]; then
  echo "exit-code=$code" >>"$GITHUB_OUTPUT"
  echo "highest-level=$level" >>"$GITHUB_OUTPUT"
fi
rm -f "$summary" "$report"
echo "reliquat: exit code $code, highest level $level"
