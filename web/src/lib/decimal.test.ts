import { describe, expect, it } from 'vitest';
import { add, cmp, dec, decimalsOf, format, mul, percent, round, sub } from './decimal.js';

describe('UI decimals', () => {
  it('adds, subtracts and multiplies exactly where floats do not', () => {
    expect(format(add(dec('0.1'), dec('0.2')), 1)).toBe('0.3');
    expect(format(sub(dec('60000.1'), dec('0.3')), 1)).toBe('59999.8');
    expect(format(mul(dec('60000.1'), dec('0.003')), 4)).toBe('180.0003');
  });
  it('rounds half away from zero and groups thousands', () => {
    expect(format('43304.78112549', 1)).toBe('43304.8');
    expect(format('-0.05', 1)).toBe('-0.1');
    expect(format('1234567.891', 2, true)).toBe('1,234,567.89');
    expect(round(dec('2.45'), 1)).toEqual({ units: 25n, scale: 1 });
  });
  it('compares, takes percentages and reads units', () => {
    expect(cmp(dec('1.10'), dec('1.1'))).toBe(0);
    expect(cmp(dec('-2'), dec('1'))).toBe(-1);
    expect(percent(dec('1'), dec('3'))).toBe('33.33');
    expect(percent(dec('1'), dec('0'))).toBe('');
    expect(decimalsOf('0.10')).toBe(1);
    expect(decimalsOf('0.001')).toBe(3);
    expect(decimalsOf('1')).toBe(0);
  });
});
