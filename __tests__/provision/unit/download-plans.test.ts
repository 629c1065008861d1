/** The download operations' pure halves (provision/ops/download.ts): the probes' output as facts, and the changes planned from them. */
import { describe, expect, it } from "vitest";
import { parseArchiveFacts, parseRemoteFileFacts, planArchive, planRemoteFile } from "../../../provision/ops/download";

const ARCHIVE = { url: "http://m/kafka.tgz", sha256: "a".repeat(64), versionedDir: "/opt/kafka_2.13-3.8.1", topDir: "kafka_2.13-3.8.1", link: "/opt/kafka" };
const JAR = { url: "http://m/iam.jar", sha256: "b".repeat(64), path: "/opt/aws-msk-iam-auth/iam.jar" };

describe("archive facts and plan", () => {
  it.each([
    ["versioned=yes\nlink=symlink\ntarget=/opt/kafka_2.13-3.8.1\n", { versionedDirExists: true, linkIsSymlink: true, linkTarget: "/opt/kafka_2.13-3.8.1" }],
    ["versioned=no\nlink=symlink\n", { versionedDirExists: false, linkIsSymlink: true, linkTarget: "" }],
    ["versioned=no\nlink=other\n", { versionedDirExists: false, linkIsSymlink: false, linkTarget: "" }],
    ["versioned=no\nlink=absent\n", { versionedDirExists: false, linkIsSymlink: false }],
    ["", { versionedDirExists: false, linkIsSymlink: false }],
  ])("reads %j", (stdout, facts) => {
    expect(parseArchiveFacts(stdout)).toEqual(facts);
  });

  it("a converged host needs nothing", () => {
    expect(planArchive({ versionedDirExists: true, linkIsSymlink: true, linkTarget: ARCHIVE.versionedDir }, ARCHIVE)).toEqual([]);
  });

  it("installs a missing release, and says whether it is verified", () => {
    const facts = { versionedDirExists: false, linkIsSymlink: true, linkTarget: ARCHIVE.versionedDir };
    expect(planArchive(facts, ARCHIVE)).toEqual([{ kind: "install", summary: "download http://m/kafka.tgz (sha256 verified) and unpack it to /opt/kafka_2.13-3.8.1" }]);
    const { sha256: _sha, ...unverified } = ARCHIVE;
    expect(planArchive(facts, unverified)).toEqual([{ kind: "install", summary: "download http://m/kafka.tgz and unpack it to /opt/kafka_2.13-3.8.1" }]);
  });

  it.each([
    ["pointing elsewhere", { linkIsSymlink: true, linkTarget: "/opt/kafka_2.13-3.7.0" }, "was /opt/kafka_2.13-3.7.0"],
    ["absent", { linkIsSymlink: false }, "was absent"],
    ["a real file or directory", { linkIsSymlink: false, linkTarget: "" }, "is not a symlink"],
  ])("points the link at the release when it is %s", (_what, link, was) => {
    expect(planArchive({ versionedDirExists: true, ...link }, ARCHIVE)).toEqual([{ kind: "link", summary: `point /opt/kafka at /opt/kafka_2.13-3.8.1 (${was})` }]);
  });
});

describe("remote file facts and plan", () => {
  it("reads existence and the digest, when given", () => {
    expect(parseRemoteFileFacts(`exists=yes\nsha256=${JAR.sha256}\n`)).toEqual({ exists: true, sha256: JAR.sha256 });
    expect(parseRemoteFileFacts("exists=yes\nsha256=\n")).toEqual({ exists: true });
    expect(parseRemoteFileFacts("exists=no\n")).toEqual({ exists: false });
  });

  it("downloads a missing file, replaces one with another digest, and leaves the right one", () => {
    expect(planRemoteFile({ exists: false }, JAR)).toEqual([{ kind: "download", summary: `download http://m/iam.jar (sha256 verified) to ${JAR.path}` }]);
    const { sha256: _sha, ...unverified } = JAR;
    expect(planRemoteFile({ exists: false }, unverified)).toEqual([{ kind: "download", summary: `download http://m/iam.jar to ${JAR.path}` }]);
    expect(planRemoteFile({ exists: true, sha256: "c".repeat(64) }, JAR)).toEqual([{ kind: "download", summary: `replace ${JAR.path} (sha256 ${"c".repeat(64)}, expected ${JAR.sha256}) from http://m/iam.jar` }]);
    expect(planRemoteFile({ exists: true, sha256: JAR.sha256 }, JAR)).toEqual([]);
    // without a digest to compare, an existing file is kept
    expect(planRemoteFile({ exists: true, sha256: "c".repeat(64) }, unverified)).toEqual([]);
  });
});
