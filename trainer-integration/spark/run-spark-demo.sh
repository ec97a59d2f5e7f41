#!/usr/bin/env bash
# Sextant on dl4j-spark: an MLP on Fashion-MNIST trained with parameter averaging on a local Spark
# (local[2]: two workers in this JVM), every executor pushing its metrics to a Pushgateway.
# Builds the module when needed, then runs dev.sextant.dl4j.spark.SparkDemo; flags go to the demo
# (--help lists them). Start a Pushgateway first (Debian: prometheus-pushgateway, port 9091), or
# the executors warn and keep training.
set -euo pipefail
cd "$(dirname "$0")"
root=../..
jar=target/sextant-spark-0.1.0-SNAPSHOT.jar
classpath=target/spark-demo.classpath
if [ ! -f "$jar" ] || [ ! -f "$classpath" ] || [ -n "$(find src "$root/agent/src" "$root/trainer-integration/src" -newer "$jar" -name '*.java' | head -n 1)" ]; then
  echo "Building Sextant and its Spark module (the first build downloads Spark and DL4J, a few minutes)..."
  (cd "$root" && mvn -B -q -Dstyle.color=never -DskipTests -pl trainer-integration/spark -am package)
fi
# Spark 3.1 on Java 17 needs these openings (also for executors: spark.executor.extraJavaOptions).
jvm_flags=(--add-opens=java.base/java.nio=ALL-UNNAMED --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.invoke=ALL-UNNAMED)
# Spark logs at INFO through SLF4J; keep its chatter to warnings, Sextant's own lines at INFO.
log_flags=(-Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.dev.sextant=info)
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
exec java -Xmx4g "${jvm_flags[@]}" "${log_flags[@]}" -cp "$jar:$(cat "$classpath")" dev.sextant.dl4j.spark.SparkDemo "$@"
