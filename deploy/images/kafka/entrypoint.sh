#!/bin/bash
# KAFKA_* environment -> /etc/kafka/server.properties as the apache/kafka image does it
# (KAFKA_FOO_BAR -> foo.bar, __ -> -; KAFKA_HEAP_OPTS and KAFKA_OPTS are JVM flags), format the log directory once with CLUSTER_ID, then run the broker as PID 1.
set -euo pipefail
props=/etc/kafka/server.properties
: >"$props"
while IFS='=' read -r name value; do
  case "$name" in
    KAFKA_HEAP_OPTS | KAFKA_OPTS) continue ;;
    KAFKA_*)
      key="${name#KAFKA_}"
      key="${key,,}"
      key="${key//__/-}"
      printf '%s=%s\n' "${key//_/.}" "$value" >>"$props"
      ;;
  esac
done < <(env)
classpath='/opt/kafka/libs/*'
logs="$(sed -n 's/^log\.dirs=//p' "$props")"
if [[ ! -f "${logs%%,*}/meta.properties" ]]; then
  : "${CLUSTER_ID:?set CLUSTER_ID (a base64 UUID, e.g. sjXvUwOOSQushAnKVciHPQ) to format the log directory}"
  java -cp "$classpath" kafka.tools.StorageTool format --cluster-id "$CLUSTER_ID" --config "$props" --ignore-formatted
fi
# shellcheck disable=SC2086 # the JVM flags are a word list
exec java ${KAFKA_HEAP_OPTS:--Xmx512m} -XX:+ExitOnOutOfMemoryError ${KAFKA_OPTS:-} \
  -cp "$classpath" kafka.Kafka "$props"
