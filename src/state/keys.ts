import { type Cipher, createCipheriv, createDecipheriv, createHmac, type Decipher } from "node:crypto";
import { DistinctCounter } from "../rules/distinct.js";

/**
 * What the state derives from the fingerprint key; the key itself is never stored. Without the
 * key, a stolen state file holds masked samples, counts and pseudo-random bytes: object and
 * bucket names hashed with a keyed HMAC, persons sealed with AES. With the key, a candidate NIR
 * can be tested against it (the price of counting the same person across nights).
 */
export class StateKeys {
  /** A check value stored in the state, so that another key is refused rather than mixed in. */
  readonly check: string;
  /** The seed of the in-memory distinct-person hash: stable across runs with the same key. */
  readonly distinctSeed: number;
  private readonly idKey: Buffer;
  /**
   * One cipher each way for the whole run: ECB carries nothing from block to block and every
   * input is whole blocks without padding, so `update` alone is exact, and setting up a cipher
   * per object cost more than the encryption (about 15 µs, measured).
   */
  private readonly cipher: Cipher;
  private readonly decipher: Decipher;

  constructor(fingerprintKey: string) {
    const derive = (label: string) => createHmac("sha256", fingerprintKey).update(`reliquat state ${label}`).digest();
    this.check = derive("key check v1").toString("hex").slice(0, 16);
    this.distinctSeed = derive("distinct seed v1").readUInt32LE(0) & 0x7fffffff;
    this.idKey = derive("ids v1");
    const sealKey = derive("seal v1").subarray(0, 16);
    this.cipher = createCipheriv("aes-128-ecb", sealKey, null).setAutoPadding(false);
    this.decipher = createDecipheriv("aes-128-ecb", sealKey, null).setAutoPadding(false);
  }

  /** A keyed id for names (provider, bucket, key, version): the state never holds them in clear. */
  id(...parts: string[]): Buffer {
    return createHmac("sha256", this.idKey).update(parts.join("\0")).digest().subarray(0, 16);
  }

  /**
   * Seals an object's distinct-person hashes: each 53-bit hash with 8 zero bytes in one AES
   * block, encrypted in one call (ECB is right here: each block is one independent value, and
   * the zero half tells a wrong key on opening). A sketch's registers are kept as they are: a
   * register holds the rank of a hash's bits, nothing a person can be found from.
   */
  seal(persons: DistinctCounter): Buffer {
    const saved = persons.export();
    if ("sketch" in saved) return Buffer.concat([Buffer.from([1]), saved.sketch]);
    const plain = Buffer.alloc(saved.values.length * 16);
    for (const [i, v] of saved.values.entries()) plain.writeDoubleLE(v, i * 16);
    return Buffer.concat([Buffer.from([0]), this.cipher.update(plain)]);
  }

  /** Opens what {@link seal} gave. Throws on a blob sealed with another key or damaged. */
  open(blob: Buffer, exactLimit?: number): DistinctCounter {
    if (blob[0] === 1) return DistinctCounter.restore({ sketch: blob.subarray(1) }, exactLimit);
    const sealed = blob.subarray(1);
    if (blob[0] !== 0 || sealed.length % 16 !== 0) throw new Error("damaged persons record");
    const plain = sealed.length === 0 ? sealed : this.decipher.update(sealed);
    const values: number[] = [];
    for (let i = 0; i < plain.length; i += 16) {
      if (plain.readBigUInt64LE(i + 8) !== 0n) throw new Error("persons record sealed with another key");
      values.push(plain.readDoubleLE(i));
    }
    return DistinctCounter.restore({ values }, exactLimit);
  }
}
