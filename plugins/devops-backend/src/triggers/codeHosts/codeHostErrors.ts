import { CODE_HOST_NAMES } from '@devops-pipelines/plugin-devops-common';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';

import type { CodeHostProvider } from '../types';

export type { CodeHostProvider };

/** What the portal was doing on which repository, so that a failure can name its fix. */
export type CodeHostCall = {
  provider: CodeHostProvider;
  /** The host as its `integrations:` entry names it, e.g. `github.com`. */
  host: string;
  /** `owner/repo` or `group/sub/project`. */
  repository: string;
  purpose: 'webhooks' | 'commitStatuses';
  /** Token from config, or a GitHub App's installation token. */
  credentials: 'token' | 'app';
  /** The repository's webhook settings page, for the user to free a slot. */
  webhooksPage: string;
};

/** A request to the host's API; never carries the credentials, which travel in headers. */
export type CodeHostRequestLine = { method: string; url: string };

/** The host's answer to a request it refused. */
export type CodeHostRefusal = {
  status: number;
  statusText: string;
  headers: Headers;
  body: unknown;
};

/** GitHub: `The "push" event cannot have more than 20 hooks`; GitLab: `Maximum number of project hooks (100) exceeded`. */
const HOOK_LIMIT =
  /cannot have more than \d+ hooks|maximum number of project hooks/i;

export function missingCredentialsError(
  provider: CodeHostProvider,
  host: string,
  purpose: CodeHostCall['purpose'],
): InputError {
  const credentials =
    provider === 'github' ? 'a token (or a GitHub App)' : 'a token';
  const alternative =
    purpose === 'webhooks'
      ? ', or register the webhook by hand'
      : ' so that runs can report commit statuses';
  return new InputError(
    `No credentials for ${host}: add an integrations.${provider} entry with ${credentials} for ${host} to app-config.yaml${alternative}`,
  );
}

export function missingApiBaseUrlError(host: string): InputError {
  return new InputError(
    `The integrations.github entry for ${host} has no apiBaseUrl: set it to the REST API of that host in app-config.yaml, e.g. https://${host}/api/v3`,
  );
}

/** No answer at all: the host is down, unreachable from the backend, or too slow. */
export function unreachableError(
  call: CodeHostCall,
  request: CodeHostRequestLine,
  reason: string,
): ServiceUnavailableError {
  const origin = new URL(request.url).origin;
  return new ServiceUnavailableError(
    `${CODE_HOST_NAMES[call.provider]} at ${call.host} could not be reached: ${
      request.method
    } ${
      request.url
    } failed (${reason}); check that ${origin} is up and that the backend can reach it, then try again`,
  );
}

/** An answer other than 2xx, sorted by what the user can do about it. */
export function refusalError(
  call: CodeHostCall,
  request: CodeHostRequestLine,
  refusal: CodeHostRefusal,
): Error {
  const provider = CODE_HOST_NAMES[call.provider];
  const message = hostMessage(refusal.body);
  const answered = `${provider} answered ${refusal.status} ${
    refusal.statusText
  }${message ? `: ${message}` : ''}`;

  if (isRateLimit(refusal, message)) {
    return new ServiceUnavailableError(
      `${provider} at ${call.host} is limiting the portal's requests (${answered}); try again later`,
    );
  }
  if (refusal.status === 401) {
    const fix =
      call.credentials === 'app'
        ? "check the app's ID and private key in app-config.yaml"
        : 'replace it in app-config.yaml';
    return new NotAllowedError(
      `${credentialsName(
        call,
      )} was refused (${answered}); it has expired or was revoked: ${fix}`,
    );
  }
  if (refusal.status === 403 || refusal.status === 404) {
    return new NotAllowedError(
      `${credentialsName(call)} may not ${
        call.purpose === 'webhooks'
          ? 'manage the webhooks of'
          : 'set commit statuses on'
      } ${call.repository} (${answered}): ${requiredRights(
        call,
      )}; also check that ${call.repository} exists on ${call.host}`,
    );
  }
  if (HOOK_LIMIT.test(message)) {
    return new ConflictError(
      `${call.repository} has reached its webhook limit (${answered}): remove an unused webhook on ${call.webhooksPage}, then turn event triggers on again`,
    );
  }
  if (refusal.status >= 500) {
    return new ServiceUnavailableError(
      `${provider} at ${call.host} failed to answer ${request.method} ${request.url} (${answered}); try again later`,
    );
  }
  const refused = `${provider} at ${call.host} refused ${request.method} ${request.url} (${answered})`;
  if (refusal.status === 400 || refusal.status === 422) {
    return new InputError(
      `${refused}; check the pipeline's repository and the commit, or report this message if they are right`,
    );
  }
  return new Error(`${refused}; report this message if it persists`);
}

function credentialsName(call: CodeHostCall): string {
  const owner = `integrations.${call.provider} for ${call.host}`;
  return call.credentials === 'app'
    ? `The GitHub App of ${owner}`
    : `The token of ${owner}`;
}

function requiredRights(call: CodeHostCall): string {
  if (call.provider === 'gitlab') {
    return call.purpose === 'webhooks'
      ? 'it needs the Maintainer role on the project and the api scope'
      : 'it needs at least the Developer role on the project and the api scope';
  }
  return call.purpose === 'webhooks'
    ? 'it needs the admin:repo_hook scope (classic token) or "Webhooks: read and write" (fine-grained token or GitHub App)'
    : 'it needs the repo:status scope (classic token) or "Commit statuses: read and write" (fine-grained token or GitHub App)';
}

/** GitHub answers 403 (or 429) with `x-ratelimit-remaining: 0` or a "secondary rate limit" message. */
function isRateLimit(refusal: CodeHostRefusal, message: string): boolean {
  return (
    refusal.status === 429 ||
    (refusal.status === 403 &&
      (refusal.headers.get('x-ratelimit-remaining') === '0' ||
        /rate limit/i.test(message)))
  );
}

/**
 * The host's own explanation. GitHub: `message` and `errors[].message`; GitLab:
 * `message` (text, or field → messages), `error` and `error_description`.
 */
function hostMessage(body: unknown): string {
  if (typeof body === 'string') {
    return body.trim().slice(0, 300);
  }
  if (!body || typeof body !== 'object') {
    return '';
  }
  const { message, errors, error, error_description } = body as Record<
    string,
    unknown
  >;
  return [
    ...texts(message),
    ...(Array.isArray(errors) ? errors.flatMap(item => texts(item)) : []),
    ...texts(error),
    ...texts(error_description),
  ].join('; ');
}

function texts(value: unknown): string[] {
  if (typeof value === 'string') {
    return value ? [value] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap(texts);
  }
  if (value && typeof value === 'object') {
    const { message } = value as { message?: unknown };
    if (typeof message === 'string') {
      return [message];
    }
    return Object.entries(value).flatMap(([field, inner]) =>
      texts(inner).map(text => (field === 'base' ? text : `${field} ${text}`)),
    );
  }
  return [];
}
