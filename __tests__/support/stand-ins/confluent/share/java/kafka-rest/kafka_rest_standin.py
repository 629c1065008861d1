"""Stand-in for Confluent's kafka-rest-start (the REST proxy) in front of MSK with IAM auth.

Usage: kafka-rest-start [-daemon is refused] <kafka-rest.properties>
Refuses (stderr, exit 1) unless the properties have bootstrap.servers, listeners=http://0.0.0.0:<port>,
the four MSK IAM client settings with the `client.` prefix (awsRoleArn and awsStsRegion in the JAAS
line), api.v3.enable=false and api.v2.consumers.* in api.endpoints.blocklist (the pipeline's lockdown),
the aws-msk-iam-auth -all jar is on CLASSPATH and java is on PATH. Then it serves HTTP in the
foreground on the configured listener, like the real proxy under systemd:
  GET /              200 {}
  GET /topics        the fake cluster's topic names (v2)
  POST /topics/<t>   v2 produce: 200 with offsets when the topic exists, 404 error 40401 otherwise
  /consumers/...     blocklisted: 404 to GET, 405 to other methods (kafka-rest ResourceAccesslistFeature)
  /v3/...            404: the v3 API is switched off
  GET /_standin      what this process was started with (bootstrap servers, role ARN, user, pid, start time)
The two cluster requests succeed only when the fake cluster accepts the login (fake_msk.login_failure:
the JAAS role must be the test's produce role, and the test may simulate a refused login); otherwise
they answer 401 with error_code 40101 and the reason as the JSON message. Start-up takes a second, as a
JVM would, so callers must wait for the port instead of assuming it is ready when the unit is active.
"""
import json
import os
import pwd
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fake_msk  # noqa: E402

HOME = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
LAUNCHER = os.path.join(HOME, "bin", "kafka-run-class")
STARTUP_SECONDS = 1.0
V2_JSON = "application/vnd.kafka.v2+json"


def log(level, message):
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    print(f"[{stamp},000] {level} {message} (io.confluent.kafkarest.KafkaRestMain)", flush=True)


def load_settings(argv):
    if len(argv) != 1 or argv[0].startswith("-"):
        fake_msk.refuse("USAGE: kafka-rest-start <kafka-rest.properties> (the stand-in runs in the foreground only, as under systemd)")
    path = argv[0]
    properties = fake_msk.read_properties(path)
    bootstrap = properties.get("bootstrap.servers")
    fake_msk.check_bootstrap_servers(bootstrap, f"{path}: bootstrap.servers")
    listeners = properties.get("listeners")
    match = re.fullmatch(r"http://0\.0\.0\.0:(\d{1,5})", listeners or "")
    if not match:
        fake_msk.refuse(f"io.confluent.rest.RestConfigException: {path}: listeners is {listeners!r}, expected http://0.0.0.0:<port>")
    check_lockdown(properties, path)
    role_arn = fake_msk.check_iam_client_settings(properties, "client.", path)
    jar = fake_msk.iam_auth_jar_on_classpath()
    fake_msk.check_java(LAUNCHER)
    with open(os.path.join(HOME, "VERSION"), encoding="utf-8") as handle:
        version = handle.read().strip()
    return {
        "bootstrapServers": bootstrap,
        "listeners": listeners,
        "port": int(match.group(1)),
        "awsRoleArn": role_arn,
        "classpathJar": jar,
        "propertiesPath": os.path.abspath(path),
        "version": version,
        "user": os.getuid(),
        "userName": pwd.getpwuid(os.getuid()).pw_name,
        "pid": os.getpid(),
    }


def check_lockdown(properties, path):
    """The pipeline's proxy sits behind a public API: no v3 admin API, no v2 consumers."""
    v3 = properties.get("api.v3.enable")
    blocklist = [entry.strip() for entry in (properties.get("api.endpoints.blocklist") or "").split(",")]
    if v3 != "false" or "api.v2.consumers.*" not in blocklist:
        fake_msk.refuse(
            f"stand-in kafka-rest: {path}: api.v3.enable is {v3!r} and api.endpoints.blocklist is "
            f"{properties.get('api.endpoints.blocklist')!r}; the pipeline's proxy needs api.v3.enable=false "
            "and api.v2.consumers.* in api.endpoints.blocklist"
        )


def handler_for(settings):
    offsets = {}

    class RestProxyHandler(BaseHTTPRequestHandler):
        server_version = "kafka-rest-standin"

        def log_message(self, format, *args):
            log("INFO", f"{self.address_string()} - {format % args}")

        def reply(self, status, body, content_type="application/json"):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def not_found(self):
            self.reply(404, {"error_code": 404, "message": "HTTP 404 Not Found"})

        def blocked(self):
            """A blocklisted endpoint: 404 to GET, 405 to everything else."""
            if self.command == "GET":
                self.not_found()
            else:
                self.reply(405, {"error_code": 405, "message": "HTTP 405 Method Not Allowed"})

        def cluster_refuses(self):
            """Answers 401 and returns True when the fake cluster refuses this proxy's login."""
            reason = fake_msk.login_failure(settings["awsRoleArn"])
            if reason is None:
                return False
            log("ERROR", f"Authentication failed: {reason}")
            self.reply(401, {"error_code": 40101, "message": f"Authentication failed: {reason}"}, V2_JSON)
            return True

        def do_GET(self):
            if self.path == "/":
                self.reply(200, {})
            elif self.path == "/_standin":
                self.reply(200, settings)
            elif self.path.startswith("/consumers"):
                self.blocked()
            elif self.path == "/topics":
                if not self.cluster_refuses():
                    self.reply(200, fake_msk.existing_topics(), V2_JSON)
            else:
                self.not_found()

        def do_DELETE(self):
            if self.path.startswith("/consumers"):
                self.blocked()
            else:
                self.not_found()

        def do_POST(self):
            match = re.fullmatch(r"/topics/([a-zA-Z0-9._-]+)", self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            if self.path.startswith("/consumers"):
                self.blocked()
                return
            if not match:
                self.not_found()
                return
            if self.cluster_refuses():
                return
            if not (self.headers.get("Content-Type") or "").startswith("application/vnd.kafka.json.v2+json"):
                self.reply(415, {"error_code": 415, "message": "HTTP 415 Unsupported Media Type"})
                return
            try:
                records = json.loads(body)["records"]
                assert isinstance(records, list) and all(isinstance(r, dict) and "value" in r for r in records)
            except (ValueError, KeyError, TypeError, AssertionError):
                self.reply(422, {"error_code": 42203, "message": "Unprocessable entity: expected {\"records\": [{\"value\": ...}]}"}, V2_JSON)
                return
            topic = match.group(1)
            if topic not in fake_msk.existing_topics():
                self.reply(404, {"error_code": 40401, "message": "Topic not found."}, V2_JSON)
                return
            first = offsets.get(topic, 0)
            offsets[topic] = first + len(records)
            result = [{"partition": 0, "offset": first + i, "error_code": None, "error": None} for i in range(len(records))]
            self.reply(200, {"offsets": result, "key_schema_id": None, "value_schema_id": None}, V2_JSON)

    return RestProxyHandler


def main(argv):
    settings = load_settings(argv)
    log("INFO", f"KafkaRestConfig values: bootstrap.servers = {settings['bootstrapServers']} listeners = {settings['listeners']}")
    time.sleep(STARTUP_SECONDS)
    try:
        server = ThreadingHTTPServer(("0.0.0.0", settings["port"]), handler_for(settings))
    except OSError as err:
        fake_msk.refuse(f"java.io.IOException: Failed to bind to 0.0.0.0/0.0.0.0:{settings['port']}: {err.strerror}")
    settings["startedAt"] = time.time()
    log("INFO", "Server started, listening for requests...")
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
