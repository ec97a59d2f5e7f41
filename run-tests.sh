#!/usr/bin/env bash
# Runs Sextant's whole test suite: installs the Debian packages the tests use when they are
# missing, then builds every module and runs every test with Maven.
#
#   ./run-tests.sh                 install what is missing, then `mvn -B verify`
#   ./run-tests.sh --deps-only     install what is missing and stop
#   ./run-tests.sh -Dsextant.build.dir=target-x   extra arguments go to Maven
set -euo pipefail
cd "$(dirname "$0")"

# prometheus: the end-to-end tests run a real Prometheus server (/usr/bin/prometheus).
# prometheus-pushgateway: the Spark tests push to a real Pushgateway (/usr/bin/prometheus-pushgateway).
# dataset-fashion-mnist: the demo trainer's data (/usr/share/datasets/fashion-mnist).
# docker-compose: validates docker/docker-compose.yml (`docker-compose config`; no engine needed).
# prometheus-alertmanager: amtool checks dashboards/alertmanager/alertmanager.yml.
# chromium: headless browser test of the live page and the run report.
PACKAGES=(prometheus prometheus-pushgateway dataset-fashion-mnist docker-compose prometheus-alertmanager chromium)

phase() {
    printf '\n==> run-tests: %s\n' "$*"
}

installed() {
    # Read the whole status first: `dpkg -s | grep -q` would fail under pipefail when grep stops early.
    local status
    status=$(dpkg -s "$1" 2>/dev/null) || return 1
    [[ "$status" == *$'\nStatus: install ok installed\n'* ]]
}

install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        installed "$p" || missing+=("$p")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        echo "all present: ${PACKAGES[*]}"
        return
    fi
    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        sudo=(sudo)
    fi
    echo "installing: ${missing[*]}"
    "${sudo[@]}" apt-get update
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

deps_only=false
if [ "${1:-}" = "--deps-only" ]; then
    deps_only=true
    shift
fi

start=$SECONDS
phase "1/2 Debian packages the tests need (${PACKAGES[*]})"
install_packages
if $deps_only; then
    exit 0
fi

# One OpenMP thread: steady step timings on small machines (the tests train small networks).
export OMP_NUM_THREADS=1
phase "2/2 build and test every module: mvn -B verify $*"
mvn -B --no-transfer-progress verify "$@"
phase "done in $((SECONDS - start)) s"
