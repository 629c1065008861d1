/** The settings of the sink's delivery, the monitoring, the zones, the bucket name and the state backend. */
import { describe, expect, it } from "vitest";
import { MINIMAL, parse, problemsOf, withSetting, withSettings } from "./support";

describe("connector delivery settings", () => {
  it("defaults to 1000 records per object, committed at least once a minute", () => {
    expect(parse(MINIMAL).connector).toMatchObject({ flushSize: 1000, rotateScheduleIntervalMs: 60000 });
  });

  it("keeps the seed's flush.size 1 configurable", () => {
    expect(parse(withSettings({ "connector.flushSize": 1, "connector.rotateScheduleIntervalMs": 5000 })).connector).toMatchObject({ flushSize: 1, rotateScheduleIntervalMs: 5000 });
  });

  it.each([
    [999, "connector.rotateScheduleIntervalMs: got 999, expected milliseconds from 1000 to 86400000 (records reach S3 at least this often; 60000 is a minute)"],
    [86_400_001, "connector.rotateScheduleIntervalMs: got 86400001, expected milliseconds from 1000 to 86400000 (records reach S3 at least this often; 60000 is a minute)"],
    ["1m", 'connector.rotateScheduleIntervalMs: got "1m", expected milliseconds from 1000 to 86400000 (records reach S3 at least this often; 60000 is a minute)'],
  ])("refuses connector.rotateScheduleIntervalMs %s", (value, message) => {
    expect(problemsOf(withSetting("connector.rotateScheduleIntervalMs", value))).toEqual([message]);
  });
});

describe("monitoring settings", () => {
  it("defaults to no e-mail, 5% API 5XX and 80% broker disk", () => {
    expect(parse(MINIMAL).monitoring).toEqual({ api5xxRatePercent: 5, brokerDiskUsedPercent: 80 });
  });

  it("accepts an alarm e-mail address and thresholds", () => {
    expect(parse(withSettings({ "monitoring.alarmEmail": "ops@example.com", "monitoring.api5xxRatePercent": 0.5, "monitoring.brokerDiskUsedPercent": 90 })).monitoring).toEqual({
      alarmEmail: "ops@example.com",
      api5xxRatePercent: 0.5,
      brokerDiskUsedPercent: 90,
    });
  });

  it("reports every bad monitoring setting at once", () => {
    expect(problemsOf(withSettings({ "monitoring.alarmEmail": "ops at example", "monitoring.api5xxRatePercent": 0, "monitoring.brokerDiskUsedPercent": 100 }))).toEqual([
      'monitoring.alarmEmail: got "ops at example", expected an e-mail address like ops@example.com (the alarm topic e-mails it; AWS asks the recipient to confirm)',
      "monitoring.api5xxRatePercent: got 0, expected a percentage above 0 and at most 100 (alarm when more than this share of API requests fail with a 5XX)",
      "monitoring.brokerDiskUsedPercent: got 100, expected a percentage above 0 and below 100 (alarm when a broker's data volume is fuller than this)",
    ]);
  });
});

describe("availability zones by name or by ID", () => {
  it("accepts zone IDs of the region", () => {
    expect(parse(withSetting("availabilityZones", ["use1-az1", "use1-az2", "use1-az4"])).availabilityZones).toEqual(["use1-az1", "use1-az2", "use1-az4"]);
    expect(parse(withSettings({ region: "ap-southeast-2", availabilityZones: ["apse2-az1", "apse2-az3"] })).availabilityZones).toEqual(["apse2-az1", "apse2-az3"]);
  });

  it("refuses a list mixing names and IDs", () => {
    expect(problemsOf(withSetting("availabilityZones", ["us-east-1a", "use1-az2"]))).toEqual([
      'availabilityZones: got ["us-east-1a","use1-az2"], expected all zone names (us-east-1a) or all zone IDs (use1-az1), not both (use one form for the whole list; IDs are the same physical zones in every account)',
    ]);
  });

  it("refuses zone IDs where MSK cannot place brokers", () => {
    expect(problemsOf(withSetting("availabilityZones", ["use1-az1", "use1-az3"]))).toEqual([
      'availabilityZones.1: got "use1-az3", expected a zone ID where MSK can place brokers (MSK refuses client subnets in use1-az3; pick another zone of the region)',
    ]);
  });

  it("refuses zone IDs of another region", () => {
    expect(problemsOf(withSetting("availabilityZones", ["use1-az1", "usw2-az1"]))).toEqual([
      'availabilityZones.1: got "usw2-az1", expected a zone ID of region us-east-1 like use1-az1 (list zone IDs of the configured region: aws ec2 describe-availability-zones --region us-east-1)',
    ]);
  });
});

describe("zone ID prefixes and placement", () => {
  it("derives a region's zone ID prefix", async () => {
    const { zoneIdPrefix, zonePlacement } = await import("../../lib/zones");
    expect(["us-east-1", "eu-west-2", "ap-southeast-2", "ap-northeast-1", "ca-central-1", "us-gov-west-1", "xx-middle-1"].map(zoneIdPrefix)).toEqual(["use1", "euw2", "apse2", "apne1", "cac1", "usgw1", undefined]);
    expect([zonePlacement("use1-az1"), zonePlacement("us-east-1a")]).toEqual([{ availabilityZoneId: "use1-az1" }, { availabilityZone: "us-east-1a" }]);
  });
});

describe("bucket name", () => {
  it("defaults to user-<userId>-bucket and can be set", async () => {
    const { bucketName } = await import("../../lib/config");
    expect(bucketName(parse(MINIMAL))).toBe("user-0a1b2c3d4e5f-bucket");
    expect(bucketName(parse(withSetting("bucket.name", "acme.pipeline-data")))).toBe("acme.pipeline-data");
  });

  it.each([
    ["Upper", 'bucket.name: got "Upper", expected an S3 bucket name of 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit (bucket names are global; pick one nobody else owns)'],
    ["ab", 'bucket.name: got "ab", expected an S3 bucket name of 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit (bucket names are global; pick one nobody else owns)'],
    ["a..b", "bucket.name: got \"a..b\", expected an S3 bucket name without '..', not an IP address, not starting with xn-- (bucket names are global; pick one nobody else owns)"],
    ["192.168.1.1", "bucket.name: got \"192.168.1.1\", expected an S3 bucket name without '..', not an IP address, not starting with xn-- (bucket names are global; pick one nobody else owns)"],
  ])("refuses bucket.name %s", (name, message) => {
    expect(problemsOf(withSetting("bucket.name", name))).toEqual([message]);
  });
});

describe("state backend", () => {
  it("defaults to the local backend", () => {
    expect(parse(MINIMAL).state).toEqual({ backend: "local", useLockfile: true });
  });

  it("accepts an S3 backend with bucket and key, locking by default", () => {
    expect(parse(withSetting("state", { backend: "s3", bucket: "acme-tf-state", key: "pipeline/terraform.tfstate" })).state).toEqual({
      backend: "s3",
      bucket: "acme-tf-state",
      key: "pipeline/terraform.tfstate",
      useLockfile: true,
    });
  });

  it("requires bucket and key for S3, and refuses them for local, all at once", () => {
    expect(problemsOf(withSetting("state", { backend: "s3" }))).toEqual([
      "state.bucket: got nothing, expected the name of an existing S3 bucket for the state (state.backend is s3; create the bucket first, it is not part of this stack)",
      "state.key: got nothing, expected the state object's key (state.backend is s3; e.g. pipeline/terraform.tfstate)",
    ]);
    expect(problemsOf(withSetting("state", { bucket: "acme-tf-state" }))).toEqual([
      'state.bucket: got "acme-tf-state", expected nothing with state.backend local (set state.backend: s3 to keep the state in S3, or remove it)',
    ]);
    expect(problemsOf(withSetting("state", { backend: "consul" }))).toEqual([
      'state.backend: got "consul", expected local or s3 (local keeps terraform.<stack>.tfstate in the project; s3 keeps it in a bucket you created)',
    ]);
  });
});
