#!/usr/bin/env bash
# The main job: a real DL4J training run on Fashion-MNIST with Sextant attached, metrics served.
# Builds the demo jar when it is missing or older than the sources, then runs it; every flag is
# passed to the demo (./run-demo.sh --help lists them).
set -euo pipefail
cd "$(dirname "$0")"
jar=trainer-integration/target/sextant-demo.jar
if [ ! -f "$jar" ] || [ -n "$(find agent trainer-integration pom.xml -newer "$jar" -name '*.java' -o -newer "$jar" -name 'pom.xml' | head -n 1)" ]; then
  echo "Building the demo jar (first build downloads DL4J and the CPU natives, a few minutes)..."
  mvn -B -q -Dstyle.color=never -DskipTests -pl agent,trainer-integration -am package
fi
# One OpenMP thread gives far steadier step times on small machines; override by exporting it.
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec java -jar "$jar" "$@"
