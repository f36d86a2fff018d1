import type { CodeHostProvider } from '@devops-pipelines/plugin-devops-common';
import type { AccountTokens } from './types';

/** A host that has not answered by then is taken as unreachable rather than slow. */
const REQUEST_TIMEOUT_MS = 30_000;

/** The OAuth application a user registered on the host for this portal. */
export type OAuthApplication = {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
};

/** The host refused or failed an OAuth step; `reason` is in its own words. */
export class OAuthError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'OAuthError';
  }
}

/** One code host's side of the authorization code flow with PKCE (RFC 6749, RFC 7636). */
export type OAuthProvider = {
  /** What the application must be allowed, as the registration page lists it. */
  scopes: string[];
  /** The host's page that asks the user to authorize the application. */
  authorizeUrl(
    app: OAuthApplication,
    request: { redirectUri: string; state: string; codeChallenge: string },
  ): string;
  exchangeCode(
    app: OAuthApplication,
    grant: { code: string; codeVerifier: string; redirectUri: string },
  ): Promise<AccountTokens>;
  refresh(
    app: OAuthApplication,
    grant: { refreshToken: string; redirectUri: string },
  ): Promise<AccountTokens>;
  /** The name of the account a token belongs to. */
  login(app: OAuthApplication, accessToken: string): Promise<string>;
  /** The REST API root of the host. */
  apiBaseUrl(baseUrl: string): string;
};

type TokenAnswer = {
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  error?: string;
  error_description?: string;
};

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, {
      ...init,
      redirect: 'error',
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    throw new OAuthError(
      `${new URL(url).origin} did not answer (${cause ?? String(error)})`,
    );
  }
}

/**
 * Posts a token request as a form, as RFC 6749 has it. GitHub answers errors with 200
 * and an `error` field, GitLab with 400 or 401 and the same fields: both end up here.
 */
async function requestTokens(
  url: string,
  fields: Record<string, string>,
): Promise<AccountTokens> {
  const response = await send(url, {
    method: 'POST',
    headers: {
      Accept: 'application/json',
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams(fields).toString(),
  });
  const answer = (await response.json().catch(() => ({}))) as TokenAnswer;
  if (answer.error || !answer.access_token) {
    throw new OAuthError(
      answer.error_description ??
        answer.error ??
        `${new URL(url).origin} answered ${response.status} without a token`,
    );
  }
  return {
    accessToken: answer.access_token,
    refreshToken: answer.refresh_token,
    expiresAt:
      typeof answer.expires_in === 'number'
        ? new Date(Date.now() + answer.expires_in * 1000)
        : undefined,
  };
}

async function getJson(url: string, headers: Record<string, string>) {
  const response = await send(url, { headers });
  const body = (await response.json().catch(() => undefined)) as any;
  if (!response.ok) {
    throw new OAuthError(
      `${url} answered ${response.status}${
        body?.message ? `: ${body.message}` : ''
      }`,
    );
  }
  return body;
}

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/** github.com and GitHub Enterprise Server (OAuth applications, and GitHub Apps' user tokens). */
export const githubOAuth: OAuthProvider = {
  // Private repositories with their hooks and statuses, and who the user is.
  scopes: ['repo', 'admin:repo_hook', 'read:user'],
  apiBaseUrl: baseUrl =>
    new URL(baseUrl).host === 'github.com'
      ? 'https://api.github.com'
      : `${trimSlash(baseUrl)}/api/v3`,
  authorizeUrl(app, request) {
    const url = new URL(`${trimSlash(app.baseUrl)}/login/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: request.redirectUri,
      scope: this.scopes.join(' '),
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
      allow_signup: 'false',
    }).toString();
    return url.href;
  },
  exchangeCode: (app, grant) =>
    requestTokens(`${trimSlash(app.baseUrl)}/login/oauth/access_token`, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.codeVerifier,
    }),
  refresh: (app, grant) =>
    requestTokens(`${trimSlash(app.baseUrl)}/login/oauth/access_token`, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken,
    }),
  async login(app, accessToken) {
    const user = await getJson(`${this.apiBaseUrl(app.baseUrl)}/user`, {
      Accept: 'application/vnd.github+json',
      Authorization: `Bearer ${accessToken}`,
      'X-GitHub-Api-Version': '2022-11-28',
    });
    return String(user.login);
  },
};

/** gitlab.com and self-managed GitLab. */
export const gitlabOAuth: OAuthProvider = {
  scopes: ['api', 'read_user'],
  apiBaseUrl: baseUrl => `${trimSlash(baseUrl)}/api/v4`,
  authorizeUrl(app, request) {
    const url = new URL(`${trimSlash(app.baseUrl)}/oauth/authorize`);
    url.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: request.redirectUri,
      response_type: 'code',
      scope: this.scopes.join(' '),
      state: request.state,
      code_challenge: request.codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.href;
  },
  exchangeCode: (app, grant) =>
    requestTokens(`${trimSlash(app.baseUrl)}/oauth/token`, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      code: grant.code,
      grant_type: 'authorization_code',
      redirect_uri: grant.redirectUri,
      code_verifier: grant.codeVerifier,
    }),
  refresh: (app, grant) =>
    requestTokens(`${trimSlash(app.baseUrl)}/oauth/token`, {
      client_id: app.clientId,
      client_secret: app.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: grant.refreshToken,
      redirect_uri: grant.redirectUri,
    }),
  async login(app, accessToken) {
    const user = await getJson(`${this.apiBaseUrl(app.baseUrl)}/user`, {
      Authorization: `Bearer ${accessToken}`,
    });
    return String(user.username);
  },
};

export const oauthProviders: Record<CodeHostProvider, OAuthProvider> = {
  github: githubOAuth,
  gitlab: gitlabOAuth,
};
