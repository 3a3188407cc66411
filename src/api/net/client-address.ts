/**
 * @module api/net/client-address
 * The unit every per-client limit counts against (connections, request weight, bans): an IPv4
 * address, or an IPv6 /64 prefix. A single IPv6 host is normally handed a whole /64, so counting
 * /128 addresses would give one attacker 2^64 fresh budgets.
 */
import { normalizeIp } from '../auth/authenticate.js';

const IPV6_PREFIX_GROUPS = 4;

/** The first four groups of an IPv6 address, expanded ("2001:db8::1" → "2001:db8:0:0"). */
function ipv6Prefix(address: string): string {
  const zone = address.indexOf('%');
  const text = zone < 0 ? address : address.slice(0, zone);
  const gap = text.indexOf('::');
  let groups: string[];
  if (gap < 0) {
    groups = text.split(':');
  } else {
    const head = gap === 0 ? [] : text.slice(0, gap).split(':');
    const tail = gap + 2 >= text.length ? [] : text.slice(gap + 2).split(':');
    groups = [...head, ...Array.from({ length: Math.max(0, 8 - head.length - tail.length) }, () => '0'), ...tail];
  }
  return `${groups.slice(0, IPV6_PREFIX_GROUPS).map((group) => (group === '' ? '0' : group.toLowerCase().replace(/^0+(?=.)/, ''))).join(':')}::/64`;
}

/** The limit key of a socket's remote address. */
export function clientKeyOf(remoteAddress: string | undefined): string {
  const ip = normalizeIp(remoteAddress ?? '');
  return ip.includes(':') ? ipv6Prefix(ip) : ip;
}
