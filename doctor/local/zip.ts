/**
 * Just enough of the ZIP format (APPNOTE 6.3.x) to look inside a Confluent Hub plugin archive
 * without unpacking it: the end-of-central-directory record (and its ZIP64 form), the central
 * directory's file names, and one member's bytes (stored or deflated). Reads by position, so a
 * 100 MB archive costs a few small reads.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { inflateRawSync } from "node:zlib";

/** Positional reads over an archive: a file, or a Buffer in tests. */
export interface RandomAccess {
  readonly size: number;
  read(position: number, length: number): Buffer;
}

export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflate. */
  readonly method: number;
  readonly encrypted: boolean;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  readonly localHeaderOffset: number;
}

/** The bytes are not a readable ZIP archive; the message says where reading stopped. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ZipFormatError";
  }
}

const EOCD_SIGNATURE = 0x06054b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const ZIP64_EXTRA_ID = 0x0001;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

export function bufferAccess(buffer: Buffer): RandomAccess {
  return { size: buffer.length, read: (position, length) => buffer.subarray(position, Math.min(position + length, buffer.length)) };
}

/** Opens `path` for positional reads, runs `use`, and closes it. */
export function withFileAccess<T>(path: string, use: (file: RandomAccess) => T): T {
  const fd = openSync(path, "r");
  try {
    const size = fstatSync(fd).size;
    return use({
      size,
      read(position, length) {
        const buffer = Buffer.alloc(Math.max(0, Math.min(length, size - position)));
        const bytes = readSync(fd, buffer, 0, buffer.length, position);
        return buffer.subarray(0, bytes);
      },
    });
  } finally {
    closeSync(fd);
  }
}

function readExactly(file: RandomAccess, position: number, length: number, what: string): Buffer {
  const bytes = position >= 0 ? file.read(position, length) : Buffer.alloc(0);
  if (bytes.length !== length) throw new ZipFormatError(`${what} at byte ${position} runs past the end of the file (truncated download?)`);
  return bytes;
}

/** Where the central directory is and how many entries it has. */
function findCentralDirectory(file: RandomAccess): { offset: number; size: number; entries: number } {
  if (file.size < EOCD_SIZE) throw new ZipFormatError(`${file.size} bytes is too small for a ZIP archive`);
  const tailLength = Math.min(file.size, EOCD_SIZE + MAX_COMMENT);
  const tailStart = file.size - tailLength;
  const tail = readExactly(file, tailStart, tailLength, "the end of the archive");
  // the record is followed only by its comment, so the last signature whose comment length fits is the one
  let at = -1;
  for (let i = tail.length - EOCD_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD_SIGNATURE && i + EOCD_SIZE + tail.readUInt16LE(i + 20) === tail.length) {
      at = i;
      break;
    }
  }
  if (at < 0) throw new ZipFormatError("no end-of-central-directory record (not a ZIP archive, or truncated)");
  let entries = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  if (entries === U16_MAX || size === U32_MAX || offset === U32_MAX) {
    const locatorAt = tailStart + at - 20;
    const locator = readExactly(file, locatorAt, 20, "the ZIP64 end-of-central-directory locator");
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR_SIGNATURE) throw new ZipFormatError("ZIP64 sizes without a ZIP64 locator");
    const zip64At = Number(locator.readBigUInt64LE(8));
    const zip64 = readExactly(file, zip64At, 56, "the ZIP64 end-of-central-directory record");
    if (zip64.readUInt32LE(0) !== ZIP64_EOCD_SIGNATURE) throw new ZipFormatError(`no ZIP64 end-of-central-directory record at byte ${zip64At}`);
    entries = Number(zip64.readBigUInt64LE(32));
    size = Number(zip64.readBigUInt64LE(40));
    offset = Number(zip64.readBigUInt64LE(48));
  }
  if (offset + size > file.size) throw new ZipFormatError(`the central directory (bytes ${offset}-${offset + size}) lies past the end of the file (truncated download?)`);
  return { offset, size, entries };
}

/** Sizes and offset that did not fit 32 bits sit in the ZIP64 extra field, in this order, only when their header field is 0xffffffff. */
function applyZip64Extra(extra: Buffer, fields: { uncompressedSize: number; compressedSize: number; localHeaderOffset: number }): void {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    if (id === ZIP64_EXTRA_ID) {
      let at = i + 4;
      for (const key of ["uncompressedSize", "compressedSize", "localHeaderOffset"] as const) {
        if (fields[key] === U32_MAX && at + 8 <= i + 4 + length) {
          fields[key] = Number(extra.readBigUInt64LE(at));
          at += 8;
        }
      }
      return;
    }
    i += 4 + length;
  }
}

/** Every entry of the central directory, in archive order. */
export function readCentralDirectory(file: RandomAccess): ZipEntry[] {
  const { offset, size, entries: count } = findCentralDirectory(file);
  const directory = readExactly(file, offset, size, "the central directory");
  const entries: ZipEntry[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== CENTRAL_HEADER_SIGNATURE) {
      throw new ZipFormatError(`central directory entry ${n + 1} of ${count} is damaged`);
    }
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    const fields = { uncompressedSize: directory.readUInt32LE(at + 24), compressedSize: directory.readUInt32LE(at + 20), localHeaderOffset: directory.readUInt32LE(at + 42) };
    applyZip64Extra(directory.subarray(at + 46 + nameLength, at + 46 + nameLength + extraLength), fields);
    entries.push({
      name: directory.toString("utf8", at + 46, at + 46 + nameLength),
      method: directory.readUInt16LE(at + 10),
      encrypted: (directory.readUInt16LE(at + 8) & 1) === 1,
      ...fields,
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The uncompressed bytes of one entry. */
export function readEntry(file: RandomAccess, entry: ZipEntry): Buffer {
  const header = readExactly(file, entry.localHeaderOffset, 30, `the local header of ${entry.name}`);
  if (header.readUInt32LE(0) !== LOCAL_HEADER_SIGNATURE) throw new ZipFormatError(`no local header for ${entry.name} at byte ${entry.localHeaderOffset}`);
  if (entry.encrypted) throw new ZipFormatError(`${entry.name} is encrypted`);
  const dataAt = entry.localHeaderOffset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
  const data = readExactly(file, dataAt, entry.compressedSize, `the data of ${entry.name}`);
  if (entry.method === 0) return data;
  if (entry.method === 8) return inflateRawSync(data);
  throw new ZipFormatError(`${entry.name} uses compression method ${entry.method}, expected stored (0) or deflate (8)`);
}
