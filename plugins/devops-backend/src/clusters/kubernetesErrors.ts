/**
 * What went wrong talking to a cluster, sorted by what the user can do about it:
 * `unreachable` (network, TLS, a failing API server), `unauthorized` (the token was
 * refused), `forbidden` (the account lacks a right), or an answer about the object itself.
 */
export type KubernetesProblem = {
  kind: 'unreachable' | 'unauthorized' | 'forbidden' | 'notFound' | 'conflict' | 'invalid' | 'failed';
  /** The API server's status code, when it answered. */
  status?: number;
  /** The API server's own explanation, or the network error. */
  reason: string;
};

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Raised by `withTimeout`: a cluster that does not answer is unreachable, not slow. */
export class KubernetesTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs / 1000} s`);
    this.name = 'KubernetesTimeoutError';
  }
}

/**
 * A request to a cluster, given up after `timeoutMs`. @kubernetes/client-node takes no
 * signal per call, so the request itself may still finish in the background.
 */
export async function withTimeout<T>(request: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KubernetesTimeoutError(timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([request, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Classifies an error of @kubernetes/client-node. Its ApiException carries the status
 * as a numeric `code` and the Status object as a JSON string `body`; network failures
 * are node-fetch errors whose message already names the address and the reason.
 */
export function describeKubernetesError(error: unknown): KubernetesProblem {
  const { code, body, message } = (error ?? {}) as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof code !== 'number') {
    return { kind: 'unreachable', reason: typeof message === 'string' ? message : String(error) };
  }
  const reason = `${code} ${STATUS_TEXT[code] ?? 'error'}${statusMessage(body) ? `: ${statusMessage(body)}` : ''}`;
  if (code === 401) return { kind: 'unauthorized', status: code, reason };
  if (code === 403) return { kind: 'forbidden', status: code, reason };
  if (code === 404) return { kind: 'notFound', status: code, reason };
  if (code === 409) return { kind: 'conflict', status: code, reason };
  if (code === 400 || code === 422) return { kind: 'invalid', status: code, reason };
  if (code >= 500) return { kind: 'unreachable', status: code, reason };
  return { kind: 'failed', status: code, reason };
}

/** The `message` of a Kubernetes Status body, which arrives as text or as an object. */
function statusMessage(body: unknown): string | undefined {
  let status = body;
  if (typeof body === 'string') {
    try {
      status = JSON.parse(body);
    } catch {
      return body.trim() || undefined;
    }
  }
  const text = (status as { message?: unknown } | null)?.message;
  return typeof text === 'string' && text ? text : undefined;
}
