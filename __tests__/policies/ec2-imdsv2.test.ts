import { Instance } from "@cdktf/provider-aws/lib/instance";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { describe, expect, it } from "vitest";
import { ec2Imdsv2 } from "../../constructs/policies/ec2-imdsv2";
import type { TerraformJson } from "../../constructs/policies";
import { findings } from "./support";

const AMI = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

describe("ec2-imdsv2", () => {
  it("fails for an instance without metadata options or launch template", () => {
    expect(findings(ec2Imdsv2, (stack) => new Instance(stack, "host", { ami: "ami-12345678", instanceType: "t3.small" }))).toEqual([
      '[ec2-imdsv2] aws_instance.host: metadata_options.http_tokens is not set and no launch template of this stack sets it (set metadata_options.http_tokens to "required" on the instance or its launch template)',
    ]);
  });

  it("fails for an instance that allows IMDSv1 even though its template requires tokens", () => {
    const messages = findings(ec2Imdsv2, (stack) => {
      const template = new LaunchTemplate(stack, "template", { imageId: AMI, metadataOptions: { httpTokens: "required" } });
      new Instance(stack, "host", { launchTemplate: { id: template.id }, metadataOptions: { httpTokens: "optional" } });
    });
    expect(messages).toEqual(['[ec2-imdsv2] aws_instance.host: metadata_options.http_tokens is "optional" (set metadata_options.http_tokens to "required")']);
  });

  it("fails for a launch template without required tokens and for the instance that inherits from it", () => {
    const messages = findings(ec2Imdsv2, (stack) => {
      const template = new LaunchTemplate(stack, "template", { imageId: AMI });
      new Instance(stack, "host", { launchTemplate: { id: template.id } });
    });
    expect(messages).toEqual([
      '[ec2-imdsv2] aws_launch_template.template: metadata_options.http_tokens is not set (set metadata_options.http_tokens to "required")',
      '[ec2-imdsv2] aws_instance.host: metadata_options.http_tokens is not set and its launch template aws_launch_template.template does not require tokens (set metadata_options.http_tokens to "required" in aws_launch_template.template)',
    ]);
  });

  it("passes for instances whose launch template (by id or by name) requires tokens", () => {
    const messages = findings(ec2Imdsv2, (stack) => {
      const template = new LaunchTemplate(stack, "template", { name: "client-host", imageId: AMI, metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" } });
      new Instance(stack, "by-id", { launchTemplate: { id: template.id, version: "$Latest" } });
      new Instance(stack, "by-name", { launchTemplate: { name: template.name } });
      new Instance(stack, "by-literal-name", { launchTemplate: { name: "client-host" } });
    });
    expect(messages).toEqual([]);
  });

  it("passes for an instance that requires tokens itself", () => {
    expect(findings(ec2Imdsv2, (stack) => new Instance(stack, "host", { ami: "ami-12345678", metadataOptions: { httpTokens: "required" } }))).toEqual([]);
  });
});

describe("ec2-imdsv2: how an instance finds its launch template", () => {
  const check = (resource: TerraformJson["resource"]) => ec2Imdsv2.check({ resource }).map((f) => f.message);
  const REQUIRED = { metadata_options: { http_tokens: "required" } };

  it("matches a template by id or name reference and by literal name, never an unnamed template by accident", () => {
    const messages = check({
      aws_launch_template: {
        unnamed: { metadata_options: [{ http_tokens: "optional" }] },
        secure: { name: "secure", ...REQUIRED },
      },
      aws_instance: {
        by_id: { launch_template: { id: "${aws_launch_template.secure.id}" } },
        by_name: { launch_template: [{ name: "${aws_launch_template.secure.name}" }] },
        by_literal: { launch_template: { name: "secure" } },
        by_other_attribute: { launch_template: { id: "${aws_launch_template.secure.arn}" } },
        elsewhere: { launch_template: { id: "lt-0123456789abcdef0" } },
      },
    });
    expect(messages).toEqual([
      '[ec2-imdsv2] aws_launch_template.unnamed: metadata_options.http_tokens is "optional" (set metadata_options.http_tokens to "required")',
      '[ec2-imdsv2] aws_instance.by_other_attribute: metadata_options.http_tokens is not set and no launch template of this stack sets it (set metadata_options.http_tokens to "required" on the instance or its launch template)',
      '[ec2-imdsv2] aws_instance.elsewhere: metadata_options.http_tokens is not set and no launch template of this stack sets it (set metadata_options.http_tokens to "required" on the instance or its launch template)',
    ]);
  });

  it("does not match a name reference by id or an id reference by name", () => {
    const messages = check({
      aws_launch_template: { secure: { name: "secure", ...REQUIRED } },
      aws_instance: { crossed: { launch_template: { id: "${aws_launch_template.secure.name}", name: "${aws_launch_template.secure.id}" } } },
    });
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain("aws_instance.crossed: metadata_options.http_tokens is not set and no launch template");
  });

  it("takes the instance's own http_tokens over its template's", () => {
    expect(check({ aws_launch_template: { t: { name: "t" } }, aws_instance: { own: { launch_template: { name: "t" }, ...REQUIRED } } })).toEqual([
      '[ec2-imdsv2] aws_launch_template.t: metadata_options.http_tokens is not set (set metadata_options.http_tokens to "required")',
    ]);
  });
});
