"""Stand-in for Apache Kafka's kafka-consumer-groups.sh --describe against an MSK cluster with IAM auth.

Supports `--bootstrap-server B --describe --group G --command-config F`. Refuses, like the real
tool, unless the command config has the four MSK IAM settings, the aws-msk-iam-auth -all jar is
on CLASSPATH and java is on PATH. The group's state comes from <state>/groups/<group>.json:
{"members": true|false, "partitions": [{"topic", "partition", "current" (null = none committed),
"logEnd"}]}; a group without a file does not exist. Output is the real tool's (Kafka 3.8)
ConsumerGroupCommand format: a blank line, then the column-aligned table, "-" for unknown values.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# fake_msk.py sits beside this file in the stand-in tarball, two levels up in the repository
sys.path[:0] = [HERE, os.path.dirname(os.path.dirname(HERE))]
import fake_msk  # noqa: E402

LAUNCHER = os.path.join(os.path.dirname(HERE), "bin", "kafka-run-class.sh")
VALUE_OPTIONS = {"--bootstrap-server", "--command-config", "--group"}
FLAG_OPTIONS = {"--describe"}


def parse_args(argv):
    return fake_msk.parse_args(argv, VALUE_OPTIONS, FLAG_OPTIONS)


def print_table(rows):
    """ConsumerGroupCommand.printOffsets: GROUP, TOPIC, PARTITION and CONSUMER-ID/HOST sized to content, offsets %-15s."""
    header = ["GROUP", "TOPIC", "PARTITION", "CURRENT-OFFSET", "LOG-END-OFFSET", "LAG", "CONSUMER-ID", "HOST", "CLIENT-ID"]
    widths = [max(len(header[c]), *(len(r[c]) for r in rows)) for c in range(len(header))]
    for c in (3, 4, 5):
        widths[c] = max(widths[c], 15)
    print()
    for row in [header] + rows:
        print(" ".join(cell.ljust(widths[c]) if c < len(row) - 1 else cell for c, cell in enumerate(row)))


def main(argv):
    options = parse_args(argv)
    if not options.get("--describe"):
        fake_msk.refuse("Command must include exactly one action: --list, --describe, --delete, --reset-offsets, --delete-offsets (stand-in supports --describe)")
    bootstrap = options.get("--bootstrap-server")
    if bootstrap is None:
        fake_msk.refuse("Missing required argument \"[bootstrap-server]\"")
    fake_msk.check_bootstrap_servers(bootstrap, "bootstrap.servers")
    config_path = options.get("--command-config")
    if config_path is None:
        fake_msk.refuse("Error: Executing consumer group command failed due to org.apache.kafka.common.errors.TimeoutException: Timed out waiting for a node assignment. Call: describeGroups (no --command-config with MSK IAM settings)")
    fake_msk.check_iam_client_settings(fake_msk.read_properties(config_path), "", config_path)
    fake_msk.iam_auth_jar_on_classpath()
    fake_msk.check_java(LAUNCHER)
    group = options.get("--group")
    state_file = os.path.join(fake_msk.STATE_DIR, "groups", f"{group}.json")
    if not os.path.isfile(state_file):
        print()
        print(f"Error: Consumer group '{group}' does not exist.", file=sys.stderr)
        return 0
    with open(state_file, encoding="utf-8") as handle:
        state = json.load(handle)
    rows = []
    for index, p in enumerate(state["partitions"]):
        current = "-" if p.get("current") is None else str(p["current"])
        lag = "-" if p.get("current") is None else str(p["logEnd"] - p["current"])
        if state.get("members", True):
            client = f"connector-consumer-{group[len('connect-'):]}-{index}"
            member = [f"{client}-5e0a7c1e-3b8e-4d5f-9a2b-{index:012d}", "/10.20.10.57", client]
        else:
            member = ["-", "-", "-"]
        rows.append([group, p["topic"], str(p["partition"]), current, str(p["logEnd"]), lag, *member])
    if not state.get("members", True):
        print()
        print(f"Consumer group '{group}' has no active members.")
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
