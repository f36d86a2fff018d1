/**
 * Why the chart repository's versions cannot be listed, as the end of a sentence that
 * starts with the repository's URL: "asks for credentials the portal does not have".
 */
export class ChartRepositoryUnavailable extends Error {
  name = 'ChartRepositoryUnavailable';
}

/** The most the portal reads of one answer: a large repository's index.yaml fits. */
export const MAX_ANSWER_BYTES = 20 * 1024 * 1024;

/** An answer, its body read as text. */
export type RepositoryAnswer = {
  url: string;
  status: number;
  statusText: string;
  headers: Headers;
  body: string;
};

/**
 * The GETs of one listing, all within one deadline, so that a slow repository (or its
 * token service) cannot keep the dialog waiting longer than `timeoutMs` in all. Requests
 * are anonymous: the repository's credentials are a Kubernetes Secret the backend does
 * not read. Redirects are not followed; the configured URL is where the charts are.
 */
export class RepositoryFetch {
  readonly #signal: AbortSignal;

  constructor(private readonly timeoutMs: number) {
    this.#signal = AbortSignal.timeout(timeoutMs);
  }

  async get(
    url: string,
    headers: Record<string, string> = {},
  ): Promise<RepositoryAnswer> {
    try {
      const response = await fetch(url, {
        headers,
        redirect: 'error',
        signal: this.#signal,
      });
      return {
        url,
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: await readCapped(response),
      };
    } catch (error) {
      if (error instanceof ChartRepositoryUnavailable) throw error;
      throw new ChartRepositoryUnavailable(this.#networkReason(error));
    }
  }

  /** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, a TLS error...) is its cause. */
  #networkReason(error: unknown): string {
    const { name, cause } = (error ?? {}) as {
      name?: unknown;
      cause?: { message?: unknown };
    };
    if (name === 'TimeoutError') {
      return `did not answer within ${this.timeoutMs / 1000} seconds`;
    }
    const reason =
      typeof cause?.message === 'string' && cause.message
        ? cause.message
        : String(error);
    return `could not be reached (${reason})`;
  }
}

/** What a status other than the one expected means, in words. */
export function refusal(answer: RepositoryAnswer): ChartRepositoryUnavailable {
  if (answer.status === 401 || answer.status === 403) {
    return new ChartRepositoryUnavailable(
      'asks for credentials the portal does not have',
    );
  }
  return new ChartRepositoryUnavailable(
    `answered ${answer.status} ${answer.statusText} for ${
      new URL(answer.url).pathname
    }`,
  );
}

async function readCapped(response: Response): Promise<string> {
  const tooLarge = () =>
    new ChartRepositoryUnavailable(
      `sent an answer larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MB`,
    );
  if (Number(response.headers.get('content-length')) > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    // A body without Content-Length (chunked) is counted as it comes.
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
