import {
  CodeHostCall,
  CodeHostRefusal,
  refusalError,
  unreachableError,
} from './codeHostErrors';

/** A host that has not answered by then is taken as unreachable rather than slow. */
const REQUEST_TIMEOUT_MS = 30_000;

export type CodeHostRequest = {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  /** Sent as JSON. */
  body?: unknown;
};

export type CodeHostAnswer = {
  status: number;
  headers: Headers;
  /** Parsed JSON, the text when it is not JSON, or undefined when empty. */
  body: unknown;
};

/**
 * Sends one request to a code host's API and returns its answer. No answer, and any
 * answer other than 2xx that `tolerate` does not accept, becomes an error that says
 * what to do (see codeHostErrors).
 */
export async function sendCodeHostRequest(
  call: CodeHostCall,
  request: CodeHostRequest,
  tolerate: (refusal: CodeHostRefusal) => boolean = () => false,
): Promise<CodeHostAnswer> {
  const line = { method: request.method, url: request.url };
  let response: Response;
  try {
    response = await fetch(request.url, {
      method: request.method,
      headers: {
        ...request.headers,
        ...(request.body === undefined
          ? {}
          : { 'Content-Type': 'application/json' }),
      },
      body:
        request.body === undefined ? undefined : JSON.stringify(request.body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    throw unreachableError(call, line, networkReason(error));
  }

  const answer = {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
    body: await readBody(response),
  };
  if (!response.ok && !tolerate(answer)) {
    throw refusalError(call, line, answer);
  }
  return answer;
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text().catch(() => '');
  if (!text) {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED, a TLS error...) is its cause. */
function networkReason(error: unknown): string {
  const { name, message, cause } = (error ?? {}) as {
    name?: unknown;
    message?: unknown;
    cause?: { message?: unknown };
  };
  if (name === 'TimeoutError') {
    return `no answer within ${REQUEST_TIMEOUT_MS / 1000} s`;
  }
  if (typeof cause?.message === 'string' && cause.message) {
    return cause.message;
  }
  return typeof message === 'string' ? message : String(error);
}

/**
 * A request on a repository the client connected to: its call (for the error messages)
 * and its credentials' headers go with it. Returns the answer's body.
 */
export async function sendToRepository(
  repository: { call: CodeHostCall; headers: Record<string, string> },
  request: Omit<CodeHostRequest, 'headers'>,
  tolerate?: Parameters<typeof sendCodeHostRequest>[2],
): Promise<unknown> {
  const answer = await sendCodeHostRequest(
    repository.call,
    { ...request, headers: repository.headers },
    tolerate,
  );
  return answer.body;
}
