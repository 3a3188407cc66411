/**
 * The files derived from src/core/schema are current: regenerating them gives the committed bytes.
 * A declaration edited without `npm run codegen` fails here, so the declaration, the types, the
 * codecs and the event log cannot drift apart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../scripts/codegen/generate.js';

describe('generated code', () => {
  for (const [path, content] of generate()) {
    it(`${path} is current`, () => {
      expect(readFileSync(join(import.meta.dirname, '..', '..', path), 'utf8')).toBe(content);
    });
  }
});
