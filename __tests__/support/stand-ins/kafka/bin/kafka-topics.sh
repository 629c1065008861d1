#!/usr/bin/env bash
# Stand-in for Apache Kafka's kafka-topics.sh: see ../libs/kafka_topics_standin.py.
exec python3 "$(dirname "$0")/../libs/kafka_topics_standin.py" "$@"
