/** Secret values shorter than this are not masked: masking "1" would garble every log. */
const MIN_SECRET_LENGTH = 3;

/**
 * Replaces secret values in complete lines with `***`. Callers hand it whole lines, so a
 * secret split across two output chunks is still seen in one piece.
 */
export class SecretMasker {
  readonly #pattern?: RegExp;

  constructor(secrets: Iterable<string>) {
    const values = [...new Set(secrets)]
      .filter(v => v.length >= MIN_SECRET_LENGTH)
      // Longest first, so a secret containing another is masked whole.
      .sort((a, b) => b.length - a.length)
      .map(v => v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
    if (values.length) this.#pattern = new RegExp(values.join('|'), 'g');
  }

  mask(line: string): string {
    return this.#pattern ? line.replace(this.#pattern, '***') : line;
  }
}
