#!/usr/bin/env bash
# Offline check of the Azure infrastructure (needs only the .NET SDK, the NuGet registry and python3).
#
#   bash infra/check.sh [--metadata PATH]
#
#   1. restores the Bicep CLI (NuGet package Azure.Bicep.CommandLine.linux-x64, version pinned in
#      tools/bicep/bicep.proj) into the NuGet global packages folder;
#   2. `bicep build infra/main.bicep` into infra/main.json.compiled (git-ignored) and `bicep lint`
#      on every infra/**/*.bicep: ANY warning or error (the linter rules in infra/bicepconfig.json
#      are at error level; compiler warnings go to stderr) fails the check;
#   3. `sh -n` on the azd hooks;
#   4. python3 infra/posture_test.py --self-test (the checks can fail), then the posture test
#      against the compiled template and the Functions build output functions.metadata.
#
# The functions.metadata path: --metadata PATH, else $ACMS_FUNCTIONS_METADATA, else
# Acms.Functions/bin/Release/net10.0/functions.metadata (build it first:
# `dotnet build Acms.Functions -c Release`). A missing file FAILS the check.
# Exit status 0 only when everything passed; the last line is "infra: N passed, M failed".
set -uo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

metadata="${ACMS_FUNCTIONS_METADATA:-Acms.Functions/bin/Release/net10.0/functions.metadata}"
while [ $# -gt 0 ]; do
  case "$1" in
    --metadata) metadata="${2:?--metadata needs a path}"; shift 2 ;;
    --metadata=*) metadata="${1#--metadata=}"; shift ;;
    -h|--help) sed -n '2,19p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

passed=0
failed=0
pass() { passed=$((passed + 1)); echo "  PASS  $*"; }
fail() { failed=$((failed + 1)); echo "  FAIL  $*"; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# --- 1. Bicep CLI -------------------------------------------------------------------------------
echo "== restoring the Bicep CLI (tools/bicep/bicep.proj)"
if ! dotnet restore tools/bicep/bicep.proj --nologo -v quiet >"$work/restore.log" 2>&1; then
  cat "$work/restore.log"
  fail "dotnet restore tools/bicep/bicep.proj"
  echo "infra: $passed passed, $failed failed"
  exit 1
fi
props="$(dotnet msbuild tools/bicep/bicep.proj -nologo -getProperty:NuGetPackageRoot -getProperty:BicepVersion 2>"$work/props.err")"
pkg_root="$(printf '%s' "$props" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Properties"]["NuGetPackageRoot"])' 2>/dev/null)"
bicep_version="$(printf '%s' "$props" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Properties"]["BicepVersion"])' 2>/dev/null)"
bicep="${pkg_root%/}/azure.bicep.commandline.linux-x64/${bicep_version}/tools/bicep"
if [ -z "$pkg_root" ] || [ ! -f "$bicep" ]; then
  cat "$work/props.err"
  fail "Bicep CLI not found after restore (looked for $bicep)"
  echo "infra: $passed passed, $failed failed"
  exit 1
fi
# NuGet extracts the native binary without the execute bit.
[ -x "$bicep" ] || chmod +x "$bicep"
pass "Bicep CLI: $("$bicep" --version 2>&1 | head -n1)"

# --- 2. build + lint, zero diagnostics -----------------------------------------------------------
# Runs "$@" and passes only if it exits 0 AND prints nothing on stderr or stdout
# (every compiler/linter diagnostic, warning or error, is printed there).
run_quiet() {
  local label="$1"; shift
  if "$@" >"$work/out" 2>"$work/err" && [ ! -s "$work/err" ] && [ ! -s "$work/out" ]; then
    pass "$label"
  else
    cat "$work/out" "$work/err"
    fail "$label (non-zero exit or diagnostics above)"
  fi
}

echo "== bicep build / lint"
compiled="infra/main.json.compiled"
rm -f "$compiled"
run_quiet "bicep build infra/main.bicep -> $compiled" "$bicep" build infra/main.bicep --outfile "$compiled"
while IFS= read -r f; do
  run_quiet "bicep lint $f" "$bicep" lint "$f"
done < <(find infra -name '*.bicep' | sort)

# --- 3. hooks -------------------------------------------------------------------------------------
echo "== azd hooks"
for h in infra/hooks/*.sh; do
  [ -e "$h" ] || continue
  if sh -n "$h" 2>"$work/err"; then pass "sh -n $h"; else cat "$work/err"; fail "sh -n $h"; fi
done

# --- 4. posture ------------------------------------------------------------------------------------
# Runs a posture_test.py mode, echoes it, and adds its closing "N passed, M failed" to the totals.
run_posture() {
  local label="$1"; shift
  python3 infra/posture_test.py "$@" >"$work/posture" 2>&1
  local rc=$?
  cat "$work/posture"
  local last p f
  last="$(tail -n1 "$work/posture")"
  if [[ "$last" =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
    p="${BASH_REMATCH[1]}"; f="${BASH_REMATCH[2]}"
    passed=$((passed + p)); failed=$((failed + f))
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then fail "$label exited $rc"; fi
  else
    fail "$label produced no summary line (exit $rc)"
  fi
}

echo "== posture self-test"
run_posture "posture self-test" --self-test --template "$compiled"
echo "== posture test (metadata: $metadata)"
run_posture "posture test" --template "$compiled" --metadata "$metadata"

echo "infra: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
