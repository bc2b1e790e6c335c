#!/bin/bash
# Health: the broker's PLAINTEXT listener accepts connections (it opens once the broker has caught
# up with the metadata log). A bash /dev/tcp probe: no second JVM every interval.
exec 3<>"/dev/tcp/127.0.0.1/${KAFKA_HEALTH_PORT:-9092}"
