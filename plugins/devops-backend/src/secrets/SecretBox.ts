import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
} from 'crypto';

/**
 * Encrypts secret values at rest with AES-256-GCM. The stored form is
 * `v1:<iv>:<tag>:<ciphertext>` in base64, so a wrong key fails loudly instead of
 * returning garbage.
 */
export class SecretBox {
  readonly #key: Buffer;
  readonly #previousKeys: Buffer[];

  /**
   * Any passphrase; it is stretched to a 256-bit key. Values sealed with one of the
   * `previous` passphrases (a rotated `devops.encryptionKey`) are still opened, and
   * {@link SecretBox.reseal} moves them to the current one.
   */
  constructor(passphrase: string, previous: string[] = []) {
    this.#key = stretch(passphrase);
    this.#previousKeys = previous.map(stretch);
  }

  seal(values: Record<string, string>): string | null {
    if (Object.keys(values).length === 0) return null;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const data = Buffer.concat([
      cipher.update(JSON.stringify(values), 'utf8'),
      cipher.final(),
    ]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map(part => (typeof part === 'string' ? part : part.toString('base64')))
      .join(':');
  }

  /**
   * Like `open`, but values sealed with another key (devops.encryptionKey changed, or was
   * never set and the backend restarted with a new random one) come back empty and
   * flagged, so that one unreadable row does not break every request that loads it.
   */
  tryOpen(sealed: string | null | undefined): {
    values: Record<string, string>;
    unreadable: boolean;
  } {
    try {
      return { values: this.open(sealed), unreadable: false };
    } catch {
      return { values: {}, unreadable: true };
    }
  }

  open(sealed: string | null | undefined): Record<string, string> {
    if (!sealed) return {};
    return this.#openWith(sealed).values;
  }

  /**
   * The value sealed again with the current key when a previous key sealed it, else
   * undefined (nothing to do). Throws when no key opens it.
   */
  reseal(sealed: string): string | null | undefined {
    const { values, current } = this.#openWith(sealed);
    return current ? undefined : this.seal(values);
  }

  #openWith(sealed: string): {
    values: Record<string, string>;
    current: boolean;
  } {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== 'v1') {
      throw new Error(`Unknown secret format "${version}"`);
    }
    const keys = [this.#key, ...this.#previousKeys];
    for (const [index, key] of keys.entries()) {
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          key,
          Buffer.from(iv, 'base64'),
        );
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        const text = Buffer.concat([
          decipher.update(Buffer.from(data, 'base64')),
          decipher.final(),
        ]).toString('utf8');
        return { values: JSON.parse(text), current: index === 0 };
      } catch (error) {
        // GCM's tag check fails for a wrong key; the last key's failure is the answer.
        if (index === keys.length - 1) throw error;
      }
    }
    throw new Error('No key to open the secret with');
  }
}

function stretch(passphrase: string): Buffer {
  return createHash('sha256').update(passphrase).digest();
}
