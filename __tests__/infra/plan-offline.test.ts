/**
 * The synthesized stack through the real Terraform CLI and the real aws 5.100.0 provider (offline
 * mirror): validate and plan must create exactly the synthesized resources, and a missing plugin
 * zip must stop the plan with the download hint.
 */
import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PipelineConfig } from "../../lib/config";
import { synthesizePipeline } from "../../constructs/pipeline-stack";
import { s3SinkPluginUrl } from "../../constructs/s3-sink-connector";
import { DEFAULT_PLUGIN_MIRROR, OfflinePlanError, planStackOffline } from "../../scripts/lib/offline-plan";
import { managedResourceCount } from "../../lib/stack-summary";
import { exampleConfig, scratchDir, writeDummyZip } from "./helpers";

const PLAN_TIMEOUT = 180_000;
const scratch = scratchDir("infra-plan-");
afterAll(scratch.cleanup);

/** Synthesizes the stack for `config` into its own folder and returns the stack directory. */
function synthesize(config: PipelineConfig, name: string): string {
  return synthesizePipeline(config, join(scratch.dir, name)).stackDir;
}

/** The same mirror the prerequisites check (scripts/prereqs.d/10-terraform.sh) looked at. */
const offline = { env: process.env, pluginMirror: process.env.TF_PLUGIN_MIRROR ?? DEFAULT_PLUGIN_MIRROR };

const collapse = (text: string) => text.replace(/\s+/g, " ");

describe("terraform plan, offline", () => {
  let stackDir: string;
  let resources: number;
  let zip: string;

  beforeAll(() => {
    zip = join(scratch.dir, "confluentinc-kafka-connect-s3-10.6.0.zip");
    writeDummyZip(zip);
    stackDir = synthesize(exampleConfig((doc) => (doc.connector.pluginZipPath = zip)), "with-zip");
    resources = managedResourceCount(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")));
  });

  it(
    "validates and plans exactly the synthesized resources, on a copy without the backend",
    () => {
      const plan = planStackOffline(stackDir, { ...offline, keepWorkDir: true });
      try {
        expect(resources).toBeGreaterThan(50);
        // the default edge is in the plan: the private link's load balancer and VPC link, the invoke policy
        const planned = readFileSync(join(stackDir, "cdk.tf.json"), "utf8");
        for (const type of ["aws_lb", "aws_api_gateway_vpc_link", "aws_iam_policy"]) expect(planned).toContain(`"${type}"`);
        expect(plan.summary).toBe(`Plan: ${resources} to add, 0 to change, 0 to destroy.`);
        expect(JSON.parse(readFileSync(join(plan.workDir, "cdk.tf.json"), "utf8")).terraform.backend).toBeUndefined();
        expect(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).terraform.backend).toBeDefined();
        expect(existsSync(join(plan.workDir, "provider_override.tf.json"))).toBe(true);
        expect(existsSync(join(stackDir, "provider_override.tf.json"))).toBe(false);
        // the asset travelled with the copy: the precondition found the zip
        expect(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")).toMatch(/"source": "\$\{local\.s3-sink_plugin-zip-path_[0-9A-F]+\}"/);
      } finally {
        rmSync(plan.workDir, { recursive: true, force: true });
      }
    },
    PLAN_TIMEOUT,
  );

  it(
    "plans a stack with an S3 state backend, zone IDs, a named bucket and an alarm e-mail, on a copy without the backend",
    () => {
      const zip = join(scratch.dir, "confluentinc-kafka-connect-s3-10.6.0.zip");
      const dir = synthesize(
        exampleConfig((doc) => {
          doc.connector.pluginZipPath = zip;
          doc.state = { backend: "s3", bucket: "acme-tf-state", key: "pipeline/terraform.tfstate" };
          doc.availabilityZones = ["use1-az1", "use1-az2"];
          doc.bucket.name = "acme-pipeline-data";
          doc.monitoring.alarmEmail = "ops@example.com";
        }),
        "s3-backend",
      );
      const synthesized = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
      expect(synthesized.terraform.backend).toEqual({ s3: { bucket: "acme-tf-state", key: "pipeline/terraform.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true } });
      const count = managedResourceCount(synthesized);
      // one more than the default stack: the alarm e-mail subscription
      expect(count).toBe(resources + 1);
      const plan = planStackOffline(dir, { ...offline, keepWorkDir: true });
      try {
        expect(plan.summary).toBe(`Plan: ${count} to add, 0 to change, 0 to destroy.`);
        expect(JSON.parse(readFileSync(join(plan.workDir, "cdk.tf.json"), "utf8")).terraform.backend).toBeUndefined();
      } finally {
        rmSync(plan.workDir, { recursive: true, force: true });
      }
    },
    PLAN_TIMEOUT,
  );

  it(
    "validates and plans the acknowledged seed layout (public ANY /{proxy+}, no authentication) with exactly its resources",
    () => {
      const seedDir = synthesize(
        exampleConfig((doc) => {
          doc.connector.pluginZipPath = zip;
          Object.assign(doc.api, { exposure: "public", acknowledgePublicProxy: true, auth: "none" });
        }),
        "seed",
      );
      const seedStack = JSON.parse(readFileSync(join(seedDir, "cdk.tf.json"), "utf8"));
      const seedResources = managedResourceCount(seedStack);
      expect(seedStack.resource.aws_lb).toBeUndefined();
      expect(seedResources).toBeGreaterThan(50);
      expect(seedResources).toBeLessThan(resources);
      const plan = planStackOffline(seedDir, offline);
      expect(plan.summary).toBe(`Plan: ${seedResources} to add, 0 to change, 0 to destroy.`);
    },
    PLAN_TIMEOUT,
  );

  it(
    "fails the plan with the download command when the plugin zip is missing",
    () => {
      const missing = join(scratch.dir, "nowhere", "confluentinc-kafka-connect-s3-10.6.0.zip");
      const dir = synthesize(exampleConfig((doc) => (doc.connector.pluginZipPath = missing)), "without-zip");
      let error: unknown;
      try {
        planStackOffline(dir, offline);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(OfflinePlanError);
      const message = collapse((error as Error).message);
      expect(message).toContain("terraform plan failed");
      expect(message).toContain("Resource precondition failed");
      expect(message).toContain(`the S3 sink plugin zip ${missing} does not exist: download it with curl -fL --create-dirs -o ${missing} ${s3SinkPluginUrl("10.6.0")}`);
    },
    PLAN_TIMEOUT,
  );
});
