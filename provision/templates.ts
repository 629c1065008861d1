/**
 * The files the client-host play manages, as typed functions of their variables.
 * Every file starts with a header that marks it as managed.
 */

export const MANAGED_HEADER = "# managed by pipeline provisioning -- do not edit: changes are overwritten by the next `npx zx provision/host.mjs`";

export interface MskIamVars {
  /** The role the client assumes (aws-msk-iam-auth `awsRoleArn`). */
  readonly roleArn: string;
  /**
   * The stack's region, for STS (`awsStsRegion`): without it aws-msk-iam-auth calls the global
   * endpoint, and when AssumeRole fails it silently falls back to the instance role, so the symptom
   * is a broker "Access denied" instead of an STS error.
   */
  readonly region: string;
}

/** The four MSK IAM client settings the seed uses, assuming the given role through the region's STS. */
export function mskIamClientSettings(vars: MskIamVars): [string, string][] {
  return [
    ["security.protocol", "SASL_SSL"],
    ["sasl.mechanism", "AWS_MSK_IAM"],
    ["sasl.jaas.config", `software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn="${vars.roleArn}" awsStsRegion="${vars.region}";`],
    ["sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"],
  ];
}

/**
 * What the REST proxy must not serve (deploy-review.md row 1: the proxy sits behind a public API
 * that forwards every path). Key names and syntax from confluentinc/kafka-rest
 * `kafka-rest/src/main/java/io/confluent/kafkarest/KafkaRestConfig.java`: `api.v3.enable`
 * (boolean, default true; false removes every /v3 resource, the admin API) and
 * `api.endpoints.blocklist` (a comma-separated list of endpoint names, "api.v3.acls.*" style);
 * the v2 consumer resource is named `api.v2.consumers.*` (`@ResourceName` on
 * `resources/v2/ConsumersResource.java`, path /consumers). A blocked endpoint answers 404 to GET
 * and 405 to other methods (`extension/ResourceAccesslistFeature.java`). v2 produce
 * (`POST /topics/{topic}`) and `GET /topics` stay enabled.
 */
export const REST_PROXY_LOCKDOWN: readonly (readonly [string, string])[] = [
  ["api.v3.enable", "false"],
  ["api.endpoints.blocklist", "api.v2.consumers.*"],
];

function properties(entries: readonly (readonly [string, string])[]): string {
  for (const [key, value] of entries) {
    if (/[\r\n]/.test(key + value)) throw new Error(`properties: ${key} must be a single line`);
  }
  return [MANAGED_HEADER, ...entries.map(([key, value]) => `${key}=${value}`), ""].join("\n");
}

/** /etc/kafka-client/client.properties, the `--command-config` of the operator's Kafka CLI (the access role). */
export function clientProperties(vars: MskIamVars): string {
  return properties(mskIamClientSettings(vars));
}

export interface KafkaRestPropertiesVars extends MskIamVars {
  readonly bootstrapServers: string;
  readonly port: number;
}

/**
 * /etc/kafka-rest/kafka-rest.properties: the brokers, the listener, every client setting with the
 * `client.` prefix (the produce role), and the v3 admin API and v2 consumers switched off.
 */
export function kafkaRestProperties(vars: KafkaRestPropertiesVars): string {
  return properties([
    ["bootstrap.servers", vars.bootstrapServers],
    ["listeners", `http://0.0.0.0:${vars.port}`],
    ...REST_PROXY_LOCKDOWN,
    ...mskIamClientSettings(vars).map(([key, value]) => [`client.${key}`, value] as const),
  ]);
}

export interface ClasspathProfileVars {
  readonly jar: string;
  readonly kafkaBin: string;
}

/** /etc/profile.d/kafka-client.sh: the IAM auth jar on CLASSPATH and the Kafka CLI on PATH for login shells. */
export function classpathProfile(vars: ClasspathProfileVars): string {
  return [MANAGED_HEADER, `export CLASSPATH=${vars.jar}`, `export PATH="$PATH:${vars.kafkaBin}"`, ""].join("\n");
}

export interface KafkaRestUnitVars {
  /** The proxy's own system account, not the SSH user. */
  readonly user: string;
  readonly classpath: string;
  /** The kafka-rest-start script, through the stable symlink so version changes need no unit change. */
  readonly startScript: string;
  readonly propertiesFile: string;
  readonly logDir: string;
}

/** /etc/systemd/system/kafka-rest.service */
export function kafkaRestUnit(vars: KafkaRestUnitVars): string {
  const logsDirectory = vars.logDir.replace(/^\/var\/log\//, "");
  return `${MANAGED_HEADER}
[Unit]
Description=Confluent REST proxy for the pipeline's MSK cluster
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=${vars.user}
Environment=CLASSPATH=${vars.classpath}
Environment=LOG_DIR=${vars.logDir}
# systemd creates ${vars.logDir} owned by User=, which cannot write into the root-owned install
LogsDirectory=${logsDirectory}
ExecStart=${vars.startScript} ${vars.propertiesFile}
Restart=on-failure
RestartSec=5
TimeoutStopSec=60

[Install]
WantedBy=multi-user.target
`;
}
