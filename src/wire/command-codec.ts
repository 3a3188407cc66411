/**
 * @module wire/command-codec
 * Binary encoding of a command's body (everything but seq and atMs, which the journal record
 * carries): [u8 codec version][u8 command tag][fields in declaration order]. Tags, field order and
 * choice tables come from schema/commands.ts and are part of the on-disk format; the field code
 * is generated from there (generated/command-fields.ts). Bump COMMAND_CODEC_VERSION only when an
 * existing layout changes, and keep reading the old one.
 */
import { AssertionFailure, ByteReader, ByteWriter, COMMAND_TYPES, type Command, type UnsequencedCommand } from '../core/index.js';
import { readCommandFields, writeCommandFields } from './generated/command-fields.js';
import { CodecError } from './primitives.js';

/** Version byte written first in every encoded body. */
export const COMMAND_CODEC_VERSION = 1;

const TAG_OF = new Map<string, number>(COMMAND_TYPES.map((type, index) => [type, index + 1]));

/**
 * Encodes a command body into `w`. Throws CodecError (and leaves `w` partly written) when the
 * command cannot be journaled faithfully.
 */
export function writeCommandBody(w: ByteWriter, command: UnsequencedCommand | Command): void {
  const type = (command as { type?: unknown }).type;
  const tag = typeof type === 'string' ? TAG_OF.get(type) : undefined;
  if (tag === undefined) throw new CodecError(`unknown command type ${String(type)}`);
  w.u8(COMMAND_CODEC_VERSION);
  w.u8(tag);
  writeCommandFields(w, command);
}

/** Encodes a command body on its own (tests, tools). */
export function encodeCommandBody(command: UnsequencedCommand | Command): Uint8Array {
  const w = new ByteWriter(64);
  writeCommandBody(w, command);
  return w.finish();
}

/**
 * Decodes a body written by writeCommandBody and stamps it with `seq` and `atMs`. Reads exactly
 * one body from `r`; the caller checks that nothing follows. Throws CodecError (or the reader's
 * AssertionFailure) on bytes no encoder produced.
 */
export function readCommandBody(r: ByteReader, seq: number, atMs: number): Command {
  const version = r.u8();
  if (version !== COMMAND_CODEC_VERSION) throw new CodecError(`unsupported command codec version ${version}`);
  const tag = r.u8();
  const type = COMMAND_TYPES[tag - 1];
  if (type === undefined) throw new CodecError(`unknown command tag ${tag}`);
  return readCommandFields(r, type, seq, atMs);
}

/** Decodes a standalone body produced by encodeCommandBody; any malformation is a CodecError. */
export function decodeCommandBody(bytes: Uint8Array, seq: number, atMs: number): Command {
  const r = new ByteReader(bytes);
  try {
    const command = readCommandBody(r, seq, atMs);
    if (r.remaining !== 0) throw new CodecError(`${r.remaining} trailing bytes after a ${command.type} body`);
    return command;
  } catch (error) {
    if (error instanceof AssertionFailure) throw new CodecError(error.message);
    throw error;
  }
}
