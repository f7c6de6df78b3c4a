// One read of the bytes feeds MD5, SHA-1 and SHA-256 together (design doc, hashing rules).
import { createHash, type Hash } from 'node:crypto';

export type Digests = {
  readonly md5: string;
  readonly sha1: string;
  readonly sha256: string;
  readonly size: number;
};

/** Incremental digests: update with each chunk as it is read, then finish once. */
export class DigestStream {
  readonly #md5: Hash = createHash('md5');
  readonly #sha1: Hash = createHash('sha1');
  readonly #sha256: Hash = createHash('sha256');
  #size = 0;

  update(chunk: Uint8Array): void {
    this.#md5.update(chunk);
    this.#sha1.update(chunk);
    this.#sha256.update(chunk);
    this.#size += chunk.length;
  }

  digest(): Digests {
    return { md5: this.#md5.digest('hex'), sha1: this.#sha1.digest('hex'), sha256: this.#sha256.digest('hex'), size: this.#size };
  }
}
