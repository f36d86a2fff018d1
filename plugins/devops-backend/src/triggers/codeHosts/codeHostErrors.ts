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
  /** `owner/repo` or `group/sub/project`; empty when listing the repositories themselves. */
  repository: string;
  purpose: 'webhooks' | 'commitStatuses' | 'repositories';
  /**
   * Token from config, a GitHub App's installation token, or the token of a user's
   * connected account (`account` names it).
   */
  credentials: 'token' | 'app' | 'account';
  /** The connected account's login, when `credentials` is `account`. */
  account?: string;
  /** The repository's webhook settings page, for the user to free a slot. */
  webhooksPage?: string;
};

/** What each purpose does to a repository, as a refusal names it. */
const PURPOSE_ACTIONS: Record<CodeHostCall['purpose'], string> = {
  webhooks: 'manage the webhooks of',
  commitStatuses: 'set commit statuses on',
  repositories: 'read',
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
  const integration = `add an integrations.${provider} entry with ${credentials} for ${host} to app-config.yaml`;
  const fixes: Record<CodeHostCall['purpose'], string> = {
    webhooks: `${integration}, or register the webhook by hand`,
    commitStatuses: `${integration} so that runs can report commit statuses`,
    repositories: `connect your ${CODE_HOST_NAMES[provider]} account on the Repositories page, or ${integration}; or type the repository's URL`,
  };
  return new InputError(`No credentials for ${host}: ${fixes[purpose]}`);
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
    const fix = {
      app: "check the app's ID and private key in app-config.yaml",
      token: 'replace it in app-config.yaml',
      account: `reconnect your ${provider} account on the Repositories page`,
    }[call.credentials];
    return new NotAllowedError(
      `${credentialsName(
        call,
      )} was refused (${answered}); it has expired or was revoked: ${fix}`,
    );
  }
  if (refusal.status === 403 || refusal.status === 404) {
    const what = call.repository || 'the repositories';
    return new NotAllowedError(
      `${credentialsName(call)} may not ${
        PURPOSE_ACTIONS[call.purpose]
      } ${what} (${answered}): ${requiredRights(call)}${
        call.repository
          ? `; also check that ${call.repository} exists on ${call.host}`
          : ''
      }`,
    );
  }
  if (HOOK_LIMIT.test(message)) {
    return new ConflictError(
      `${
        call.repository
      } has reached its webhook limit (${answered}): remove an unused webhook${
        call.webhooksPage ? ` on ${call.webhooksPage}` : ''
      }, then turn event triggers on again`,
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
  return {
    app: `The GitHub App of ${owner}`,
    token: `The token of ${owner}`,
    account: `The ${CODE_HOST_NAMES[call.provider]} account${
      call.account ? ` ${call.account}` : ''
    } on ${call.host}`,
  }[call.credentials];
}

const REQUIRED_RIGHTS: Record<
  CodeHostProvider,
  Record<CodeHostCall['purpose'], string>
> = {
  github: {
    webhooks:
      'it needs the admin:repo_hook scope (classic token) or "Webhooks: read and write" (fine-grained token or GitHub App)',
    commitStatuses:
      'it needs the repo:status scope (classic token) or "Commit statuses: read and write" (fine-grained token or GitHub App)',
    repositories:
      'it needs the repo scope (classic token) or "Contents: read" (fine-grained token or GitHub App)',
  },
  gitlab: {
    webhooks: 'it needs the Maintainer role on the project and the api scope',
    commitStatuses:
      'it needs at least the Developer role on the project and the api scope',
    repositories:
      'it needs at least the Reporter role on the project and the api or read_api scope',
  },
};

function requiredRights(call: CodeHostCall): string {
  return REQUIRED_RIGHTS[call.provider][call.purpose];
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
