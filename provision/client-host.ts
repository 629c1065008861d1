/**
 * The client-host play: a Kafka client with MSK IAM auth, the pipeline's topics, and the
 * Confluent REST proxy as a systemd unit answering on port 8082.
 *
 * Everything it installs is derived from the pipeline config (versions, artifact URLs and
 * checksums, topics, partitions) and the stack outputs (brokers, role ARN, SSH user).
 */
import { type PipelineConfig, topicNames } from "../lib/config";
import { KAFKA_SCALA_VERSION, REST_PROXY_PORT } from "../lib/contract";
import type { StackOutputs } from "../lib/contract";
import type { Play } from "./engine";
import type { OsFacts } from "./facts";
import { archiveOperation, remoteFileOperation } from "./ops/download";
import { fileOperation } from "./ops/file";
import { packagesOperation } from "./ops/packages";
import { type ServiceSpec, daemonReloadHandler, restartHandler, serviceOperation } from "./ops/service";
import { topicsOperation } from "./ops/topics";
import { classpathProfile, clientProperties, kafkaRestProperties, kafkaRestUnit } from "./templates";

/** The operation tags `--tags` accepts. */
export const TAGS = ["packages", "kafka", "topics", "rest-proxy"] as const;
export type Tag = (typeof TAGS)[number];

export const HANDLER_DAEMON_RELOAD = "daemon-reload";
export const HANDLER_RESTART_KAFKA_REST = "restart kafka-rest";

/** What the play needs, resolved from config and outputs. */
export interface ClientHostSettings {
  readonly sshUser: string;
  readonly bootstrapServers: string;
  readonly roleArn: string;
  readonly topics: readonly string[];
  readonly partitions: number;
  readonly kafkaVersion: string;
  readonly confluentVersion: string;
  readonly mskIamAuthVersion: string;
  readonly artifacts: PipelineConfig["artifacts"];
}

export function clientHostSettings(
  config: PipelineConfig,
  outputs: Pick<StackOutputs, "ssh_user" | "msk_bootstrap_brokers_sasl_iam" | "access_role_arn">,
  sshUser = outputs.ssh_user,
): ClientHostSettings {
  return {
    sshUser,
    bootstrapServers: outputs.msk_bootstrap_brokers_sasl_iam,
    roleArn: outputs.access_role_arn,
    topics: topicNames(config),
    partitions: config.topics.partitions,
    kafkaVersion: config.software.kafkaCliVersion,
    confluentVersion: config.software.confluentVersion,
    mskIamAuthVersion: config.software.mskIamAuthVersion,
    artifacts: config.artifacts,
  };
}

/** Paths on the host. */
export function clientHostPaths(s: Pick<ClientHostSettings, "kafkaVersion" | "confluentVersion" | "mskIamAuthVersion">) {
  const kafkaDir = `kafka_${KAFKA_SCALA_VERSION}-${s.kafkaVersion}`;
  return {
    kafkaTopDir: kafkaDir,
    kafkaVersioned: `/opt/${kafkaDir}`,
    kafkaLink: "/opt/kafka",
    kafkaTopics: "/opt/kafka/bin/kafka-topics.sh",
    iamJar: `/opt/aws-msk-iam-auth/aws-msk-iam-auth-${s.mskIamAuthVersion}-all.jar`,
    profile: "/etc/profile.d/kafka-client.sh",
    clientProperties: "/etc/kafka-client/client.properties",
    confluentTopDir: `confluent-${s.confluentVersion}`,
    confluentVersioned: `/opt/confluent-${s.confluentVersion}`,
    confluentLink: "/opt/confluent",
    restProperties: "/etc/kafka-rest/kafka-rest.properties",
    restUnit: "/etc/systemd/system/kafka-rest.service",
    restStart: "/opt/confluent/bin/kafka-rest-start",
    restLogDir: "/var/log/kafka-rest",
  } as const;
}

/** The download URLs of the three artifacts (see the layouts in docs/provisioning.md). */
export function artifactUrls(s: Pick<ClientHostSettings, "kafkaVersion" | "confluentVersion" | "mskIamAuthVersion" | "artifacts">) {
  const p = clientHostPaths(s);
  const majorMinor = s.confluentVersion.split(".").slice(0, 2).join(".");
  return {
    kafka: `${s.artifacts.kafkaBaseUrl}/${s.kafkaVersion}/${p.kafkaTopDir}.tgz`,
    confluent: `${s.artifacts.confluentBaseUrl}/${majorMinor}/confluent-community-${s.confluentVersion}.tar.gz`,
    mskIamAuth: `${s.artifacts.mskIamAuthBaseUrl}/v${s.mskIamAuthVersion}/aws-msk-iam-auth-${s.mskIamAuthVersion}-all.jar`,
  };
}

/** Java, tar and gzip (and curl on Debian; Amazon Linux ships curl-minimal, which must not be swapped). */
export function clientHostPackages(os: Pick<OsFacts, "family">): string[] {
  return os.family === "amazon" ? ["java-17-amazon-corretto-headless", "tar", "gzip"] : ["openjdk-17-jre-headless", "tar", "gzip", "curl", "ca-certificates"];
}

export function clientHostPlay(s: ClientHostSettings): Play {
  const p = clientHostPaths(s);
  const urls = artifactUrls(s);
  const restService: ServiceSpec = {
    unit: "kafka-rest.service",
    readyUrl: `http://127.0.0.1:${REST_PROXY_PORT}/`,
    restartHandler: HANDLER_RESTART_KAFKA_REST,
    daemonReloadHandler: HANDLER_DAEMON_RELOAD,
  };
  return {
    operations: [
      packagesOperation("packages", ["packages"], clientHostPackages),
      archiveOperation("kafka cli", ["kafka"], { url: urls.kafka, sha256: s.artifacts.kafkaSha256, versionedDir: p.kafkaVersioned, topDir: p.kafkaTopDir, link: p.kafkaLink }),
      remoteFileOperation("msk iam auth jar", ["kafka"], { url: urls.mskIamAuth, sha256: s.artifacts.mskIamAuthSha256, path: p.iamJar }),
      fileOperation("classpath profile", ["kafka"], { path: p.profile, content: classpathProfile({ jar: p.iamJar, kafkaBin: `${p.kafkaLink}/bin` }) }),
      fileOperation("client.properties", ["kafka"], { path: p.clientProperties, content: clientProperties({ roleArn: s.roleArn }) }),
      topicsOperation("topics", ["topics"], {
        kafkaTopicsBin: p.kafkaTopics,
        bootstrapServers: s.bootstrapServers,
        commandConfig: p.clientProperties,
        classpath: p.iamJar,
        topics: s.topics,
        partitions: s.partitions,
      }),
      // a new Confluent version flips /opt/confluent under the running proxy: restart it
      archiveOperation(
        "confluent rest proxy",
        ["rest-proxy"],
        { url: urls.confluent, sha256: s.artifacts.confluentSha256, versionedDir: p.confluentVersioned, topDir: p.confluentTopDir, link: p.confluentLink },
        [HANDLER_RESTART_KAFKA_REST],
      ),
      fileOperation(
        "kafka-rest.properties",
        ["rest-proxy"],
        { path: p.restProperties, content: kafkaRestProperties({ bootstrapServers: s.bootstrapServers, roleArn: s.roleArn, port: REST_PROXY_PORT }) },
        [HANDLER_RESTART_KAFKA_REST],
      ),
      fileOperation(
        "kafka-rest.service",
        ["rest-proxy"],
        {
          path: p.restUnit,
          content: kafkaRestUnit({ user: s.sshUser, classpath: p.iamJar, startScript: p.restStart, propertiesFile: p.restProperties, logDir: p.restLogDir }),
          validate: ["systemd-analyze", "verify", "%s"],
        },
        [HANDLER_DAEMON_RELOAD, HANDLER_RESTART_KAFKA_REST],
      ),
      serviceOperation("kafka-rest running", ["rest-proxy"], restService),
    ],
    handlers: [daemonReloadHandler(HANDLER_DAEMON_RELOAD), restartHandler(HANDLER_RESTART_KAFKA_REST, restService)],
  };
}
