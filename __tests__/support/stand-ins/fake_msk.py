"""Checks shared by the stand-in Kafka CLI and REST proxy (copied into both stand-in tarballs).

The stand-ins replace what cannot exist on the test host (an MSK cluster behind IAM auth) and
enforce the contract the real programs impose: the four SASL/IAM client settings (the JAAS line
with awsRoleArn and awsStsRegion), the aws-msk-iam-auth "-all" jar on CLASSPATH, and a Java
runtime on PATH. Each refusal is one line on stderr and exit status 1, like the real tools
failing at start-up.

The cluster's own state (which role may produce, whether logins fail) is <state>/cluster.json,
written by the test (__tests__/support/provision-cli.ts writeFakeCluster).
"""
import glob
import json
import os
import re
import shutil
import sys

# Topic state of the fake cluster, shared by every user of the host (the directory is created
# world-writable in the test host's rootfs). One file per topic; state is not per bootstrap
# server, so re-pointing the clients at new brokers keeps the topics, as an MSK cluster would.
STATE_DIR = os.environ.get("FAKE_MSK_STATE_DIR", "/var/lib/fake-msk")

IAM_SETTINGS = {
    "security.protocol": "SASL_SSL",
    "sasl.mechanism": "AWS_MSK_IAM",
    "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
}
JAAS_CONFIG = re.compile(
    r'^software\.amazon\.msk\.auth\.iam\.IAMLoginModule required awsRoleArn="(arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+)"'
    r' awsStsRegion="([a-z]{2}(?:-gov)?-[a-z]+-\d)";$'
)
BOOTSTRAP_SERVERS = re.compile(r"^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$")


def refuse(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def parse_args(argv, value_options, flag_options):
    """The Kafka CLI tools' option parsing (joptsimple): the same refusals, word for word."""
    options = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in value_options:
            if i + 1 >= len(argv):
                refuse(f"Exception in thread \"main\" joptsimple.OptionMissingRequiredArgumentException: Option {arg} requires an argument")
            options[arg] = argv[i + 1]
            i += 2
        elif arg in flag_options:
            options[arg] = True
            i += 1
        else:
            refuse(f"Exception in thread \"main\" joptsimple.UnrecognizedOptionException: {arg} is not a recognized option")
    return options


def read_properties(path):
    """Java properties syntax as Kafka reads it: `key=value`, `key = value` or `key: value`, # and ! comments."""
    try:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines()
    except OSError as err:
        refuse(f"org.apache.kafka.common.KafkaException: Failed to load properties file {path}: {err.strerror}")
    properties = {}
    for line in lines:
        text = line.strip()
        if not text or text[0] in "#!":
            continue
        match = re.match(r"^([^=:\s]+)\s*[=:]\s*(.*)$", text)
        if not match:
            refuse(f"org.apache.kafka.common.config.ConfigException: Invalid line in {path}: {line!r}")
        properties[match.group(1)] = match.group(2).strip()
    return properties


def check_iam_client_settings(properties, prefix, path):
    """Returns the role ARN of the JAAS config after checking the four MSK IAM settings under `prefix`."""
    for key, expected in IAM_SETTINGS.items():
        got = properties.get(prefix + key)
        if got != expected:
            refuse(f"org.apache.kafka.common.config.ConfigException: {path}: {prefix}{key} is {got!r}, MSK IAM auth needs {expected!r}")
    jaas = properties.get(prefix + "sasl.jaas.config")
    match = JAAS_CONFIG.match(jaas or "")
    if not match:
        refuse(
            f"org.apache.kafka.common.config.ConfigException: {path}: {prefix}sasl.jaas.config is {jaas!r}, "
            'MSK IAM auth needs software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn="<role arn>" awsStsRegion="<region>";'
        )
    return match.group(1)


def check_bootstrap_servers(value, what):
    if not value or not BOOTSTRAP_SERVERS.match(value):
        refuse(f"org.apache.kafka.common.config.ConfigException: Invalid url in {what}: {value!r}")


def iam_auth_jar_on_classpath():
    """The existing aws-msk-iam-auth-*-all.jar named by CLASSPATH (entries may be files or dir/*)."""
    for entry in os.environ.get("CLASSPATH", "").split(":"):
        candidates = glob.glob(os.path.join(entry[:-1], "*.jar")) if entry.endswith("/*") else [entry]
        for candidate in candidates:
            if re.fullmatch(r"aws-msk-iam-auth-.+-all\.jar", os.path.basename(candidate)) and os.path.isfile(candidate):
                return candidate
    refuse(
        "org.apache.kafka.common.KafkaException: java.lang.ClassNotFoundException: software.amazon.msk.auth.iam.IAMLoginModule "
        f"(CLASSPATH={os.environ.get('CLASSPATH', '')!r} has no existing aws-msk-iam-auth-*-all.jar)"
    )


def check_java(launcher):
    if shutil.which("java") is None:
        refuse(f"{launcher}: line 346: exec: java: not found")


def topics_dir():
    path = os.path.join(STATE_DIR, "topics")
    if not os.path.isdir(path):
        os.makedirs(path, exist_ok=True)
        os.chmod(path, 0o1777)
    return path


def existing_topics():
    return sorted(os.listdir(topics_dir()))


def cluster_state():
    """The test's cluster.json: {"produceRoleArn": ..., "authFailure": message or null}; None when absent."""
    try:
        with open(os.path.join(STATE_DIR, "cluster.json"), encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return None


def login_failure(role_arn):
    """Why the cluster refuses a client assuming role_arn, or None when it accepts it."""
    state = cluster_state()
    if state is None:
        return f"fake MSK has no {os.path.join(STATE_DIR, 'cluster.json')}: the test must write it (writeFakeCluster)"
    if state.get("authFailure"):
        return state["authFailure"]
    if role_arn != state.get("produceRoleArn"):
        return (
            "org.apache.kafka.common.errors.SaslAuthenticationException: [fake MSK] Access denied: "
            f"the REST proxy assumed {role_arn}, not the stack's produce role {state.get('produceRoleArn')}"
        )
    return None
