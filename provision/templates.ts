/**
 * The files the client-host play manages, as typed functions of their variables.
 * Every file starts with a header that marks it as managed.
 */

export const MANAGED_HEADER = "# managed by pipeline provisioning -- do not edit: changes are overwritten by the next `npx zx provision/host.mjs`";

/** The four MSK IAM client settings the seed uses, with the stack's role ARN. */
export function mskIamClientSettings(roleArn: string): [string, string][] {
  return [
    ["security.protocol", "SASL_SSL"],
    ["sasl.mechanism", "AWS_MSK_IAM"],
    ["sasl.jaas.config", `software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn="${roleArn}";`],
    ["sasl.client.callback.handler.class", "software.amazon.msk.auth.iam.IAMClientCallbackHandler"],
  ];
}

function properties(entries: readonly (readonly [string, string])[]): string {
  for (const [key, value] of entries) {
    if (/[\r\n]/.test(key + value)) throw new Error(`properties: ${key} must be a single line`);
  }
  return [MANAGED_HEADER, ...entries.map(([key, value]) => `${key}=${value}`), ""].join("\n");
}

export interface ClientPropertiesVars {
  readonly roleArn: string;
}

/** /etc/kafka-client/client.properties, the `--command-config` of the Kafka CLI. */
export function clientProperties(vars: ClientPropertiesVars): string {
  return properties(mskIamClientSettings(vars.roleArn));
}

export interface KafkaRestPropertiesVars {
  readonly bootstrapServers: string;
  readonly roleArn: string;
  readonly port: number;
}

/** /etc/kafka-rest/kafka-rest.properties: the brokers, the listener and every client setting with the `client.` prefix. */
export function kafkaRestProperties(vars: KafkaRestPropertiesVars): string {
  return properties([
    ["bootstrap.servers", vars.bootstrapServers],
    ["listeners", `http://0.0.0.0:${vars.port}`],
    ...mskIamClientSettings(vars.roleArn).map(([key, value]) => [`client.${key}`, value] as const),
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
