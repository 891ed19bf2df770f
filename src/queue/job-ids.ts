/**
 * UUID v7 job ids, ordered within this process exactly as uuid's own `v7()` orders them (its
 * millisecond + sequence rule), but with the random bits cut from a pooled buffer: `v7()` asks the
 * CSPRNG for 16 bytes per id, which was about 5% of the CPU of a batch create (measured with
 * `--cpu-prof`). Every id still gets fresh random bytes that no other id shares.
 *
 * The text is written here too, with `v7()`'s bit layout (a test compares the two): `v7()` builds
 * a byte array per id and hex-encodes all 16 bytes, while the first 12 hex digits (the millisecond)
 * are the same for every id of a millisecond. 0.30 → 0.17 µs per id (rounds of 1,000 ids, medians).
 */
import { randomFillSync } from "node:crypto";

const ID_BYTES = 16;
const IDS_PER_FILL = 512;
const pool = new Uint8Array(ID_BYTES * IDS_PER_FILL);
let used = IDS_PER_FILL; // empty: filled on first use
let lastMs = Number.NEGATIVE_INFINITY;
let sequence = 0;
let prefixMs = Number.NaN;
let prefix = "";

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"));

/** The next job id: later than every id made before it in this process. */
export function newJobId(): string {
  if (used === IDS_PER_FILL) {
    randomFillSync(pool);
    used = 0;
  }
  const at = used++ * ID_BYTES;
  const now = Date.now();
  if (now > lastMs) {
    lastMs = now;
    sequence = randomSequence(at);
  } else {
    sequence = (sequence + 1) | 0;
    if (sequence === 0) lastMs++; // the 31-bit sequence wrapped: borrow the next millisecond
  }
  return uuidV7Text(lastMs, sequence, pool, at);
}

/** A random start for a millisecond's sequence, as uuid's v7 takes it (31 bits, room to count up). */
function randomSequence(at: number): number {
  return (
    (((pool[at + 6] as number) & 0x7f) << 24) |
    ((pool[at + 7] as number) << 16) |
    ((pool[at + 8] as number) << 8) |
    (pool[at + 9] as number)
  );
}

const hex = (byte: number) => HEX[byte & 0xff] as string;

/**
 * `v7({ msecs, seq, random })`'s text, `random` being the 16 bytes from `at`: 48 bits of
 * milliseconds, version 7, 31 bits of sequence around the variant bits, then random bits.
 */
export function uuidV7Text(msecs: number, seq: number, random: Uint8Array, at: number): string {
  if (msecs !== prefixMs) {
    prefixMs = msecs;
    prefix = millisecondHex(msecs);
  }
  // Locals, not a helper closing over `random`: that closure, made per id, cost more than uuid's own.
  const r10 = random[at + 10] as number;
  const r11 = random[at + 11] as number;
  const r12 = random[at + 12] as number;
  const r13 = random[at + 13] as number;
  const r14 = random[at + 14] as number;
  const r15 = random[at + 15] as number;
  return (
    `${prefix}${hex(0x70 | ((seq >>> 28) & 0x0f))}${hex(seq >>> 20)}-` +
    `${hex(0x80 | ((seq >>> 14) & 0x3f))}${hex(seq >>> 6)}-` +
    `${hex((seq << 2) | (r10 & 0x03))}${hex(r11)}${hex(r12)}${hex(r13)}${hex(r14)}${hex(r15)}`
  );
}

/** `xxxxxxxx-xxxx-`: the first two groups, the 48-bit millisecond (byte by byte as uuid takes it). */
function millisecondHex(msecs: number): string {
  const byte = (shift: number) => hex(msecs / 2 ** shift);
  return `${byte(40)}${byte(32)}${byte(24)}${byte(16)}-${byte(8)}${byte(0)}-`;
}
