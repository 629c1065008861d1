/**
 * The example config's placeholders a real config must not keep: the example user id, the
 * documentation address ranges and the example key under example-keys/. Deploying with them
 * plans fine and then opens SSH to nobody, or to a key nobody holds. `synth` warns about each one;
 * `doctor` fails on each one. Both read these detectors.
 */
import { BlockList, isIPv6 } from "node:net";

export const EXAMPLE_USER_ID = "0a1b2c3d4e5f";

/** Address ranges reserved for documentation (RFC 5737 for IPv4, RFC 3849 for IPv6): no real client has them. */
export const DOCUMENTATION_RANGES: readonly { readonly network: string; readonly prefix: number }[] = [
  { network: "192.0.2.0", prefix: 24 },
  { network: "198.51.100.0", prefix: 24 },
  { network: "203.0.113.0", prefix: 24 },
  { network: "2001:db8::", prefix: 32 },
];

const documentationRanges = DOCUMENTATION_RANGES.map(({ network, prefix }) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, isIPv6(network) ? "ipv6" : "ipv4");
  return { range: `${network}/${prefix}`, list };
});

/** The documentation range a block's network address lies in (a /32 inside 203.0.113.0/24 as much as the /24 itself). */
export function documentationRangeOf(cidr: string): string | undefined {
  const address = cidr.split("/")[0];
  const family = isIPv6(address) ? "ipv6" : "ipv4";
  return documentationRanges.find(({ list }) => list.check(address, family))?.range;
}

/** The `type base64` of an OpenSSH public key line, without its comment. */
export function openSshKeyParts(publicKey: string): [string, string] | undefined {
  const [type, body] = publicKey.trim().split(/\s+/);
  return type && body ? [type, body] : undefined;
}

/** Compares key type and body only: the comment may differ in a copy. */
export function sameOpenSshPublicKey(a: string, b: string): boolean {
  const [pa, pb] = [openSshKeyParts(a), openSshKeyParts(b)];
  return pa !== undefined && pb !== undefined && pa[0] === pb[0] && pa[1] === pb[1];
}

export interface PlaceholderCheckInput {
  readonly userId: string;
  readonly clientHost: { readonly sshAllowedCidrs: readonly string[]; readonly sshPublicKey: string };
}

/** One warning line per placeholder still in the config. */
export function placeholderWarnings(config: PlaceholderCheckInput, exampleKeys: readonly string[]): string[] {
  const warnings: string[] = [];
  if (config.userId === EXAMPLE_USER_ID) warnings.push(`userId is the example's placeholder "${EXAMPLE_USER_ID}" (set your own AiCore user id)`);
  config.clientHost.sshAllowedCidrs.forEach((block, i) => {
    const range = documentationRangeOf(block);
    if (range) warnings.push(`clientHost.sshAllowedCidrs.${i} ${block} is in the documentation range ${range}, which no real host uses (set your public address as x.x.x.x/32)`);
  });
  if (exampleKeys.some((example) => sameOpenSshPublicKey(example, config.clientHost.sshPublicKey))) {
    warnings.push("clientHost.sshPublicKey is the example key from example-keys/ (point it at your own .pub file, e.g. ~/.ssh/id_ed25519.pub)");
  }
  return warnings;
}
