import { finding, type PolicyRule } from "./rule";
import { addressOf, attributeAt, describe, nestedBlock, refersTo, resourcesOfType, type StackResource, type TerraformJson } from "../../lib/terraform-json";

const ID = "ec2-imdsv2";

const FIX = 'set metadata_options.http_tokens to "required"';

/**
 * cdk-nag EC2IMDSv2Enabled. An instance's own metadata_options win over its launch template's
 * (RunInstances overrides the template), so the template only counts when the instance is silent.
 */
export const ec2Imdsv2: PolicyRule = {
  id: ID,
  description: 'Every EC2 instance and launch template requires IMDSv2 (metadata_options.http_tokens "required").',
  check(tf) {
    const templates = resourcesOfType(tf, "aws_launch_template").flatMap((template) => {
      const tokens = attributeAt(template.block, "metadata_options.http_tokens");
      return tokens === "required" ? [] : [finding(ID, addressOf(template), `metadata_options.http_tokens is ${describe(tokens)}`, FIX)];
    });
    const instances = resourcesOfType(tf, "aws_instance").flatMap((instance) => {
      const tokens = attributeAt(instance.block, "metadata_options.http_tokens");
      if (tokens !== undefined) {
        return tokens === "required" ? [] : [finding(ID, addressOf(instance), `metadata_options.http_tokens is ${describe(tokens)}`, FIX)];
      }
      const template = launchTemplateOf(tf, instance);
      if (template === undefined) {
        return [finding(ID, addressOf(instance), "metadata_options.http_tokens is not set and no launch template of this stack sets it", `${FIX} on the instance or its launch template`)];
      }
      if (attributeAt(template.block, "metadata_options.http_tokens") === "required") return [];
      return [finding(ID, addressOf(instance), `metadata_options.http_tokens is not set and its launch template ${addressOf(template)} does not require tokens`, `${FIX} in ${addressOf(template)}`)];
    });
    return [...templates, ...instances];
  },
};

/** The launch template an instance names by `launch_template.id`/`name`, as a reference or the template's literal name. */
function launchTemplateOf(tf: TerraformJson, instance: StackResource): StackResource | undefined {
  const reference = nestedBlock(instance.block.launch_template);
  if (reference === undefined) return undefined;
  return resourcesOfType(tf, "aws_launch_template").find(
    (template) =>
      refersTo(reference.id, template, ["id"]) ||
      refersTo(reference.name, template, ["name"]) ||
      (typeof template.block.name === "string" && reference.name === template.block.name),
  );
}
