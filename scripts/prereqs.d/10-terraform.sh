# Infrastructure tests: the real Terraform CLI and the offline aws provider the synthesized stack plans with.
# Sourced by scripts/test-prereqs.sh (set -euo pipefail).
tf_mirror="${TF_PLUGIN_MIRROR:-/opt/tf-plugins}"
tf_provider_dir="$tf_mirror/registry.terraform.io/hashicorp/aws/5.100.0"
if ! command -v terraform >/dev/null 2>&1; then
  echo "test-prereqs: terraform is not on PATH (install Terraform 1.x: https://developer.hashicorp.com/terraform/install, or the hashicorp apt repository's 'terraform' package)" >&2
  return 1
fi
# no `| head`: with pipefail, head closing the pipe early makes terraform's SIGPIPE fail the script
tf_version=$(CHECKPOINT_DISABLE=1 TF_CLI_CONFIG_FILE=/dev/null terraform version 2>/dev/null || true)
tf_version=${tf_version%%$'\n'*}
case "$tf_version" in
  "Terraform v1."*) ;;
  *)
    echo "test-prereqs: expected Terraform 1.x on PATH, got '${tf_version:-nothing}' (install Terraform 1.x)" >&2
    return 1
    ;;
esac
if ! ls "$tf_provider_dir"/*/terraform-provider-aws_v5.100.0* >/dev/null 2>&1; then
  echo "test-prereqs: the hashicorp/aws 5.100.0 provider is not in the plugin mirror $tf_provider_dir (on a machine with registry access run 'terraform providers mirror -platform=linux_amd64 $tf_mirror' in a directory that requires hashicorp/aws = 5.100.0, copy it here, or set TF_PLUGIN_MIRROR)" >&2
  return 1
fi
unset tf_mirror tf_provider_dir tf_version
