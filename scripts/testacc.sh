#!/usr/bin/env bash
# testacc.sh LABEL CLI [PROVIDER_HOST]
#
# Runs the acceptance suite on one CLI and ends with one line that says what
# ran: "<LABEL>: N tests, P passed, S skipped, F failed (Ms)". The verbose log
# is kept in $ACC_LOG_DIR/<label>.log; on failure the failed tests' output is
# printed, so CI shows why without the noise of every passing test.
#
# The Go test flags come from ACC_PKGS, ACC_TIMEOUT, ACC_PARALLEL and TESTARGS.
set -uo pipefail

label="${1:?label, e.g. terraform-1.5.7}"
cli="${2:?path to the terraform or tofu binary}"
host="${3:-}"
GO="${GO:-go}"
log_dir="${ACC_LOG_DIR:-.test-results}"
mkdir -p "$log_dir"
log="$log_dir/$label.log"

# The suite needs nothing from a CLI configuration, and a developer's could
# change what it tests (dev_overrides, a plugin cache). It must exist, too:
# OpenTofu 1.12 warns about a missing one on stdout, before its version,
# where terraform-plugin-testing then cannot find the version.
export TF_CLI_CONFIG_FILE=/dev/null

version="$(CHECKPOINT_DISABLE=1 "$cli" version 2>/dev/null | grep -m1 -E '^(Terraform|OpenTofu) v')"
echo "== acceptance tests on $version ($cli), log in $log"

env=(TF_ACC=1 CHECKPOINT_DISABLE=1 TF_ACC_TERRAFORM_PATH="$cli")
[[ -n "$host" ]] && env+=(TF_ACC_PROVIDER_HOST="$host")
[[ -n "${ACC_PROVIDER_NAMESPACE:-}" ]] && env+=(TF_ACC_PROVIDER_NAMESPACE="$ACC_PROVIDER_NAMESPACE")

start=$SECONDS
# shellcheck disable=SC2086 # ACC_PKGS and TESTARGS are lists of words
env "${env[@]}" "$GO" test ${ACC_PKGS:-./internal/provider/...} -v -count=1 \
	-timeout "${ACC_TIMEOUT:-30m}" -parallel "${ACC_PARALLEL:-4}" ${TESTARGS:-} >"$log" 2>&1
rc=$?
elapsed=$((SECONDS - start))

# Top-level tests only; subtests are indented.
passed=$(grep -c '^--- PASS' "$log")
skipped=$(grep -c '^--- SKIP' "$log")
failed=$(grep -c '^--- FAIL' "$log")
total=$((passed + skipped + failed))

if ((rc != 0)); then
	if ((failed > 0)); then
		# Every line of the failed tests (parallel tests interleave: the
		# "=== NAME" markers say whose line follows).
		awk 'NR == FNR { if ($1 == "---" && $2 == "FAIL:") failed[$3] = 1; next }
			/^(===|---) [A-Z]+:? / { cur = $3; sub(/\/.*/, "", cur) }
			cur in failed' "$log" "$log"
	else
		tail -n 60 "$log" # a build error or a panic: no test result lines
	fi
fi
if ((skipped > 0)) && [[ -n "${ACC_SHOW_SKIPS:-}" ]]; then
	grep -A1 '^--- SKIP' "$log" | grep -v '^--$' || true
fi
status="ok"
((rc != 0)) && status="FAILED"
race=""
[[ " ${TESTARGS:-} " == *" -race "* ]] && race=", race detector on"
echo "== $label ($version): $total tests, $passed passed, $skipped skipped, $failed failed in ${elapsed}s$race: $status"
exit "$rc"
