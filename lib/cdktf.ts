/**
 * The one place that imports the CDK for Terraform core.
 *
 * cdktf was archived by HashiCorp on 2025-12-10; CDK Terrain (`cdktn`) is the maintained fork
 * with the same API. Every other file imports core symbols from here, so moving to the fork is
 * a rename of this module's import (and of `@cdktf/provider-aws` to `@cdktn/provider-aws`).
 */
export {
  App,
  Aspects,
  Annotations,
  AssetType,
  Fn,
  Lazy,
  S3Backend,
  TerraformAsset,
  TerraformLocal,
  TerraformOutput,
  TerraformStack,
  Testing,
  Token,
} from "cdktf";
export type { IAspect, TerraformResource } from "cdktf";
