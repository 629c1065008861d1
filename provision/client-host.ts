/**
 * The client-host play: a Kafka client with MSK IAM auth, the pipeline's topics, and the
 * Confluent REST proxy as a systemd unit of its own account on REST_PROXY_PORT.
 *
 * Every cluster fact comes from the stack outputs (brokers, the Kafka line and CLI release, topics,
 * partitions, the two role ARNs, the region): they describe what is deployed. The pipeline config
 * contributes only the host's own business: the Confluent and aws-msk-iam-auth versions and the
 * artifact URLs and checksums.
 */
import type { PipelineConfig } from "../lib/config";
import { KAFKA_SCALA_VERSION, REST_PROXY_PORT, type StackOutputName, type StackOutputs } from "../lib/contract";
import type { Play } from "./engine";
import type { OsFacts } from "./facts";
import { archiveOperation, remoteFileOperation } from "./ops/download";
import { fileOperation } from "./ops/file";
import { packagesOperation } from "./ops/packages";
import { type ServiceSpec, daemonReloadHandler, restartHandler, serviceOperation } from "./ops/service";
import { topicsOperation } from "./ops/topics";
import { systemUserOperation } from "./ops/user";
import { classpathProfile, clientProperties, kafkaRestProperties, kafkaRestUnit } from "./templates";

/** The operation tags `--tags` accepts. */
export const TAGS = ["packages", "kafka", "topics", "rest-proxy"] as const;
export type Tag = (typeof TAGS)[number];

export const HANDLER_DAEMON_RELOAD = "daemon-reload";
export const HANDLER_RESTART_KAFKA_REST = "restart kafka-rest";

/** The REST proxy's own system account: no shell, no home, no sudo. */
export const REST_PROXY_USER = "kafka-rest";

/** The stack outputs the provisioner reads; every one must be in the outputs file. */
export const CLIENT_HOST_OUTPUTS = [
  "client_public_dns",
  "ssh_user",
  "user_id",
  "region",
  "msk_bootstrap_brokers_sasl_iam",
  "msk_kafka_version",
  "kafka_cli_version",
  "access_role_arn",
  "produce_role_arn",
  "topics",
  "topic_partitions",
  "dead_letter_topic",
] as const satisfies readonly StackOutputName[];
export type ClientHostOutputs = Pick<StackOutputs, (typeof CLIENT_HOST_OUTPUTS)[number]>;

/** What the play needs, resolved from the outputs (the cluster) and the config (the host's software). */
export interface ClientHostSettings {
  readonly bootstrapServers: string;
  readonly region: string;
  /** Assumed by the operator's Kafka CLI (client.properties): topic administration. */
  readonly accessRoleArn: string;
  /** Assumed by the REST proxy: produce to the pipeline's topics only. */
  readonly produceRoleArn: string;
  readonly topics: readonly string[];
  readonly partitions: number;
  /**
   * The S3 sink's dead-letter topic, created here beside the pipeline's topics: created by the sink
   * instead, it would take Kafka Connect's replication factor of 3, which two brokers cannot hold.
   */
  readonly deadLetterTopic: string;
  /** The Apache Kafka CLI release to install: the deployed stack's `kafka_cli_version`. */
  readonly kafkaCliVersion: string;
  readonly confluentVersion: string;
  readonly mskIamAuthVersion: string;
  /** The config's artifacts; `kafkaSha256` only when it is for {@link kafkaCliVersion}. */
  readonly artifacts: PipelineConfig["artifacts"];
}

export function clientHostSettings(config: PipelineConfig, outputs: ClientHostOutputs): ClientHostSettings {
  const { kafkaSha256, ...artifacts } = config.artifacts;
  return {
    bootstrapServers: outputs.msk_bootstrap_brokers_sasl_iam,
    region: outputs.region,
    accessRoleArn: outputs.access_role_arn,
    produceRoleArn: outputs.produce_role_arn,
    topics: outputs.topics,
    deadLetterTopic: outputs.dead_letter_topic,
    partitions: outputs.topic_partitions,
    kafkaCliVersion: outputs.kafka_cli_version,
    confluentVersion: config.software.confluentVersion,
    mskIamAuthVersion: config.software.mskIamAuthVersion,
    artifacts: kafkaVersionsDisagree(config, outputs) ? artifacts : config.artifacts,
  };
}

function kafkaVersionsDisagree(config: PipelineConfig, outputs: Pick<StackOutputs, "msk_kafka_version" | "kafka_cli_version">): boolean {
  return config.msk.kafkaVersion !== outputs.msk_kafka_version || config.software.kafkaCliVersion !== outputs.kafka_cli_version;
}

/**
 * One line when the config's Kafka versions are not the deployed ones (the config was edited
 * after the last deploy, or names another stack): the deployed version wins, and a configured
 * kafkaSha256, the checksum of another release, is not applied.
 */
export function kafkaVersionNotice(config: PipelineConfig, outputs: Pick<StackOutputs, "msk_kafka_version" | "kafka_cli_version">, outputsFile: string): string | undefined {
  if (!kafkaVersionsDisagree(config, outputs)) return undefined;
  const checksum = config.artifacts.kafkaSha256 ? ` (not verified against artifacts.kafkaSha256, the checksum of ${config.software.kafkaCliVersion})` : "";
  return (
    `notice: the deployed cluster runs MSK ${outputs.msk_kafka_version} with the Kafka CLI ${outputs.kafka_cli_version} (${outputsFile}), ` +
    `but the config says msk.kafkaVersion ${config.msk.kafkaVersion} and software.kafkaCliVersion ${config.software.kafkaCliVersion}; ` +
    `installing the deployed ${outputs.kafka_cli_version}${checksum} (run npx cdktf deploy to move the cluster, or align the config)`
  );
}

/** Paths on the host. */
export function clientHostPaths(s: Pick<ClientHostSettings, "kafkaCliVersion" | "confluentVersion" | "mskIamAuthVersion">) {
  const kafkaDir = `kafka_${KAFKA_SCALA_VERSION}-${s.kafkaCliVersion}`;
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
export function artifactUrls(s: Pick<ClientHostSettings, "kafkaCliVersion" | "confluentVersion" | "mskIamAuthVersion" | "artifacts">) {
  const p = clientHostPaths(s);
  const majorMinor = s.confluentVersion.split(".").slice(0, 2).join(".");
  return {
    kafka: `${s.artifacts.kafkaBaseUrl}/${s.kafkaCliVersion}/${p.kafkaTopDir}.tgz`,
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
    // a request that needs the cluster: only a proxy that can authenticate to MSK lists the topics
    readyUrl: `http://127.0.0.1:${REST_PROXY_PORT}/topics`,
    readyListing: s.topics,
    restartHandler: HANDLER_RESTART_KAFKA_REST,
    daemonReloadHandler: HANDLER_DAEMON_RELOAD,
  };
  return {
    operations: [
      packagesOperation("packages", ["packages"], clientHostPackages),
      archiveOperation("kafka cli", ["kafka"], { url: urls.kafka, sha256: s.artifacts.kafkaSha256, versionedDir: p.kafkaVersioned, topDir: p.kafkaTopDir, link: p.kafkaLink }),
      remoteFileOperation("msk iam auth jar", ["kafka"], { url: urls.mskIamAuth, sha256: s.artifacts.mskIamAuthSha256, path: p.iamJar }),
      fileOperation("classpath profile", ["kafka"], { path: p.profile, content: classpathProfile({ jar: p.iamJar, kafkaBin: `${p.kafkaLink}/bin` }) }),
      fileOperation("client.properties", ["kafka"], { path: p.clientProperties, content: clientProperties({ roleArn: s.accessRoleArn, region: s.region }) }),
      topicsOperation("topics", ["topics"], {
        kafkaTopicsBin: p.kafkaTopics,
        bootstrapServers: s.bootstrapServers,
        commandConfig: p.clientProperties,
        classpath: p.iamJar,
        topics: [...s.topics, s.deadLetterTopic],
        partitions: s.partitions,
      }),
      systemUserOperation("kafka-rest user", ["rest-proxy"], { name: REST_PROXY_USER, comment: "Confluent REST proxy" }, [HANDLER_RESTART_KAFKA_REST]),
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
        { path: p.restProperties, content: kafkaRestProperties({ bootstrapServers: s.bootstrapServers, roleArn: s.produceRoleArn, region: s.region, port: REST_PROXY_PORT }) },
        [HANDLER_RESTART_KAFKA_REST],
      ),
      fileOperation(
        "kafka-rest.service",
        ["rest-proxy"],
        {
          path: p.restUnit,
          content: kafkaRestUnit({ user: REST_PROXY_USER, classpath: p.iamJar, startScript: p.restStart, propertiesFile: p.restProperties, logDir: p.restLogDir }),
          validate: ["systemd-analyze", "verify", "%s"],
        },
        [HANDLER_DAEMON_RELOAD, HANDLER_RESTART_KAFKA_REST],
      ),
      serviceOperation("kafka-rest running", ["rest-proxy"], restService),
    ],
    handlers: [daemonReloadHandler(HANDLER_DAEMON_RELOAD), restartHandler(HANDLER_RESTART_KAFKA_REST, restService)],
  };
}
