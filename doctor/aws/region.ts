import { DescribeRegionsCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { type CheckInfo, type CheckResult, fail, ok } from "../check";
import { cannotCheck } from "./errors";

export const REGION_ENABLED: CheckInfo = { id: "aws.region", title: "region is enabled for the account" };

/** Asked of a region every account has, since a disabled region cannot answer for itself. */
export async function checkRegionEnabled(ec2Home: EC2Client, region: string): Promise<{ result: CheckResult; enabled: boolean }> {
  let regions;
  try {
    regions = (await ec2Home.send(new DescribeRegionsCommand({ AllRegions: true }))).Regions ?? [];
  } catch (err) {
    // unknown, so the regional checks still run and speak for themselves
    return { result: cannotCheck(REGION_ENABLED, err, "ec2:DescribeRegions"), enabled: true };
  }
  const found = regions.find((r) => r.RegionName === region);
  if (!found) {
    return { result: fail(REGION_ENABLED, `${region} is not a region of this account's partition`, `set region to one of ${regions.map((r) => r.RegionName).filter(Boolean).sort().join(", ")}`), enabled: false };
  }
  if (found.OptInStatus === "not-opted-in") {
    return { result: fail(REGION_ENABLED, `${region} is an opt-in region not enabled for this account; the zone, instance type, API Gateway, MSK Connect and log policy checks were not run`, `enable it (aws account enable-region --region-name ${region}) or pick a default region such as us-east-1`), enabled: false };
  }
  return { result: ok(REGION_ENABLED, `${region} is enabled (${found.OptInStatus ?? "opt-in-not-required"})`), enabled: true };
}
