#!/usr/bin/env bash
# Stand-in for Apache Kafka's kafka-consumer-groups.sh: see ../libs/kafka_consumer_groups_standin.py.
exec python3 "$(dirname "$0")/../libs/kafka_consumer_groups_standin.py" "$@"
