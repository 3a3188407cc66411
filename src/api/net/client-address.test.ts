import { describe, expect, it } from 'vitest';
import { clientKeyOf } from './client-address.js';

describe('client keys', () => {
  it('count an IPv4 address (also IPv4-mapped) as itself and an IPv6 address by its /64', () => {
    expect(clientKeyOf('127.0.0.7')).toBe('127.0.0.7');
    expect(clientKeyOf('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(clientKeyOf('2001:db8:0:1:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:0:1::/64');
    expect(clientKeyOf('2001:0DB8:0000:0001::1')).toBe('2001:db8:0:1::/64');
    expect(clientKeyOf('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKeyOf('2001:db8:0:1::1')).toBe(clientKeyOf('2001:db8:0:1:ffff::9'));
    expect(clientKeyOf('::1')).toBe('0:0:0:0::/64');
    expect(clientKeyOf('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKeyOf(undefined)).toBe('');
  });
});
