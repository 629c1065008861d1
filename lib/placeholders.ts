/**
 * The example config's placeholders a real config must not keep: the example user id, the
 * documentation address ranges (RFC 5737) and the example key under example-keys/. synth warns
 * about each one on stderr; deploying with them would open SSH to nobody, or to the wrong key.
 */
export const EXAMPLE_USER_ID = "0a1b2c3d4e5f";
export const DOCUMENTATION_RANGES = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24"] as const;

export interface PlaceholderCheckInput {
  readonly userId: string;
  readonly clientHost: { readonly sshAllowedCidrs: readonly string[]; readonly sshPublicKey: string };
}

/** One warning line per placeholder still in the config. */
export function placeholderWarnings(config: PlaceholderCheckInput, exampleKeys: readonly string[]): string[] {
  const warnings: string[] = [];
  if (config.userId === EXAMPLE_USER_ID) warnings.push(`userId is the example's placeholder "${EXAMPLE_USER_ID}" (set your own AiCore user id)`);
  config.clientHost.sshAllowedCidrs.forEach((block, i) => {
    const range = DOCUMENTATION_RANGES.find((doc) => cidrWithin(block, doc));
    if (range) warnings.push(`clientHost.sshAllowedCidrs.${i} ${block} is in the documentation range ${range}, which no real host uses (set your public address as x.x.x.x/32)`);
  });
  const key = config.clientHost.sshPublicKey.trim();
  if (exampleKeys.some((example) => example.trim() === key)) {
    warnings.push("clientHost.sshPublicKey is the example key from example-keys/ (point it at your own .pub file, e.g. ~/.ssh/id_ed25519.pub)");
  }
  return warnings;
}

function parse(block: string): [number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(block);
  if (!match) return undefined;
  const [a, b, c, d, bits] = match.slice(1).map(Number);
  const address = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  const size = 2 ** (32 - bits);
  const start = Math.floor(address / size) * size;
  return [start, start + size - 1];
}

/** Whether `inner` lies inside `outer`. */
function cidrWithin(inner: string, outer: string): boolean {
  const i = parse(inner);
  const o = parse(outer);
  return i !== undefined && o !== undefined && i[0] >= o[0] && i[1] <= o[1];
}
