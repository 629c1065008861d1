"""Stand-in for Apache Kafka's kafka-topics.sh against an MSK cluster with IAM auth.

Supports what the play uses: --list and --create --topic T --partitions N, both with
--bootstrap-server and --command-config. Refuses, like the real tool, unless the command config
has the four MSK IAM settings, the aws-msk-iam-auth -all jar is on CLASSPATH and java is on PATH.
MSK's internal topics are always listed, as on a real cluster. Every accepted call is appended
to <state>/calls.log (JSON lines) so tests can see which brokers were used.
"""
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_msk  # noqa: E402

LAUNCHER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "bin", "kafka-run-class.sh")
INTERNAL_TOPICS = ["__amazon_msk_canary", "__consumer_offsets"]
LEGAL_TOPIC = re.compile(r"^[a-zA-Z0-9._-]{1,249}$")
VALUE_OPTIONS = {"--bootstrap-server", "--command-config", "--topic", "--partitions", "--replication-factor"}
FLAG_OPTIONS = {"--list", "--create", "--version"}


def parse_args(argv):
    return fake_msk.parse_args(argv, VALUE_OPTIONS, FLAG_OPTIONS)


def main(argv):
    os.umask(0)  # the fake cluster's state is shared by every user of the host
    options = parse_args(argv)
    if options.get("--version"):
        with open(os.path.join(os.path.dirname(LAUNCHER), "..", "VERSION"), encoding="utf-8") as handle:
            print(f"{handle.read().strip()} (stand-in)")
        return 0
    actions = [a for a in ("--list", "--create") if options.get(a)]
    if len(actions) != 1:
        fake_msk.refuse("Command must include exactly one action: --list, --create (stand-in supports these two)")
    bootstrap = options.get("--bootstrap-server")
    if bootstrap is None:
        fake_msk.refuse('Exception in thread "main" java.lang.IllegalArgumentException: --bootstrap-server must be specified')
    fake_msk.check_bootstrap_servers(bootstrap, "bootstrap.servers")
    config_path = options.get("--command-config")
    if config_path is None:
        # Without the IAM settings a real client times out against the SASL listener on 9098.
        fake_msk.refuse("Error while executing topic command : Timed out waiting for a node assignment. Call: listTopics (no --command-config with MSK IAM settings)")
    role_arn = fake_msk.check_iam_client_settings(fake_msk.read_properties(config_path), "", config_path)
    fake_msk.iam_auth_jar_on_classpath()
    fake_msk.check_java(LAUNCHER)
    log_call(argv, bootstrap, role_arn)

    if options.get("--list"):
        for topic in INTERNAL_TOPICS + fake_msk.existing_topics():
            print(topic)
        return 0

    topic = options.get("--topic")
    if topic is None or not LEGAL_TOPIC.match(topic) or topic in (".", ".."):
        fake_msk.refuse(f"Error while executing topic command : Topic name {topic!r} is illegal, it can only contain ASCII alphanumerics, '.', '_' and '-'")
    partitions = options.get("--partitions", "1")
    if not partitions.isdigit() or int(partitions) < 1:
        fake_msk.refuse(f"Error while executing topic command : Number of partitions must be larger than 0, got {partitions!r}")
    if topic in INTERNAL_TOPICS:
        fake_msk.refuse(f"Error while executing topic command : Topic '{topic}' already exists.")
    if "." in topic or "_" in topic:
        print("WARNING: Due to limitations in metric names, topics with a period ('.') or underscore ('_') could collide. To avoid issues it is best to use either, but not both.")
    try:
        fd = os.open(os.path.join(fake_msk.topics_dir(), topic), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        fake_msk.refuse(f"Error while executing topic command : Topic '{topic}' already exists.")
    with os.fdopen(fd, "w") as handle:
        handle.write(json.dumps({"partitions": int(partitions), "bootstrap": bootstrap}) + "\n")
    print(f"Created topic {topic}.")
    return 0


def log_call(argv, bootstrap, role_arn):
    entry = {"time": time.time(), "user": os.getuid(), "bootstrap": bootstrap, "roleArn": role_arn, "argv": argv}
    fd = os.open(os.path.join(os.path.dirname(fake_msk.topics_dir()), "calls.log"), os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o666)
    with os.fdopen(fd, "a") as handle:
        handle.write(json.dumps(entry) + "\n")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
