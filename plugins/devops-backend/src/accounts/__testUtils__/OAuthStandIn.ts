import type { CodeHostProvider } from '@devops-pipelines/plugin-devops-common';
import { createHash, randomBytes } from 'crypto';
import http from 'http';
import { readText } from '../../triggers/codeHosts/__testUtils__/CodeHostStandIn';

/** The commit every branch of the stand-in's listed repositories points at. */
const SHA = 'c5b97d5ae6c19d5c5df71a34c7fbeeda2479ccbc';

/**
 * A STAND-IN for the OAuth side of GitHub and GitLab, since neither runs here: a local
 * HTTP server answering with the shapes their documentation gives.
 *
 * - GitHub ("Authorizing OAuth apps", web application flow): `GET /login/oauth/authorize`
 *   redirects to `redirect_uri` with `code` and `state` (or `error=access_denied`);
 *   `POST /login/oauth/access_token` answers 200 with `access_token`, `token_type`,
 *   `scope`, or 200 with `error`, `error_description`, `error_uri`; `GET /api/v3/user`
 *   (GitHub Enterprise Server's API root) gives the `login`.
 * - GitLab ("OAuth 2.0 identity provider API", authorization code with PKCE):
 *   `GET /oauth/authorize`; `POST /oauth/token` with `authorization_code` and
 *   `refresh_token` grants, answering `access_token`, `token_type`, `expires_in` (7200),
 *   `refresh_token`, `created_at`, or 400 `invalid_grant`; `GET /api/v4/user`.
 *
 * Both check the client, the single-use code, the `redirect_uri` and the PKCE verifier
 * against its S256 challenge, as the hosts do.
 *
 * With its tokens (and tokens `acceptToken` adds, as `integrations:` entries hold), it
 * lists repositories and branches as the REST APIs do, with their paging:
 * - GitHub: `GET /user/repos` (`per_page`, `page`, a `Link` header with `rel="next"`),
 *   `GET /repos/{owner}/{repo}/branches` (the same), and
 *   `GET /repos/{owner}/{repo}/git/matching-refs/heads/{prefix}` (not paged);
 * - GitLab: `GET /projects?membership=true&search=` and
 *   `GET /projects/{url-encoded path}/repository/branches?search=` (`x-next-page`,
 *   empty on the last page).
 */
export class OAuthStandIn {
  /** Token requests as received, form fields decoded. */
  readonly tokenRequests: Array<Record<string, string>> = [];
  /** The user who authorizes; set to refuse to click "Deny". */
  decision: 'approve' | 'deny' = 'approve';

  /** Paths and queries of the REST API calls, as sent. */
  readonly apiRequests: string[] = [];

  private readonly clients = new Map<string, string>();
  private readonly repositories: StandInRepository[] = [];
  private gitHost?: http.RequestListener;
  private readonly codes = new Map<string, IssuedCode>();
  private readonly accessTokens = new Map<string, CodeHostProvider>();
  private readonly refreshTokens = new Set<string>();
  private readonly server = http.createServer((req, res) =>
    this.serve(req, res).catch(error => {
      res.writeHead(500);
      res.end(String(error));
    }),
  );

  constructor(
    readonly provider: CodeHostProvider,
    private readonly login: string,
  ) {}

  static async start(provider: CodeHostProvider, login: string) {
    const standIn = new OAuthStandIn(provider, login);
    await new Promise<void>(resolve =>
      standIn.server.listen(0, '127.0.0.1', resolve),
    );
    return standIn;
  }

  /** The host's web address, as a user enters it for a self-hosted host. */
  get baseUrl(): string {
    const { port } = this.server.address() as { port: number };
    return `http://127.0.0.1:${port}`;
  }

  /** Registers an OAuth application, as its owner does on the host. */
  registerApplication(clientId: string, clientSecret: string) {
    this.clients.set(clientId, clientSecret);
  }

  /** Revokes every token, as a user does under the host's authorized applications. */
  revokeAll() {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  /**
   * Serves git's smart HTTP under the repositories' clone URLs (`/<path>.git/...`) with
   * `handler`, as the host serves both on one origin.
   */
  serveGit(handler: http.RequestListener) {
    this.gitHost = handler;
  }

  /** A token the host accepts without an authorization, like a personal access token. */
  acceptToken(token: string) {
    this.accessTokens.set(token, this.provider);
  }

  /** A repository the user can read; `branches` default to `main` alone. */
  addRepository(
    path: string,
    options: { private?: boolean; branches?: string[] } = {},
  ) {
    this.repositories.push({
      path,
      private: options.private ?? true,
      branches: options.branches ?? ['main'],
    });
  }

  isValidToken(token: string) {
    return this.accessTokens.has(token);
  }

  async stop() {
    await new Promise(resolve => this.server.close(resolve));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', this.baseUrl);
    if (this.gitHost && /\.git\//.test(url.pathname)) {
      return this.gitHost(req, res);
    }
    const github = this.provider === 'github';
    if (
      req.method === 'GET' &&
      url.pathname === (github ? '/login/oauth/authorize' : '/oauth/authorize')
    ) {
      return this.authorize(url, res);
    }
    if (
      req.method === 'POST' &&
      url.pathname === (github ? '/login/oauth/access_token' : '/oauth/token')
    ) {
      const fields = Object.fromEntries(
        new URLSearchParams(await readText(req)),
      );
      this.tokenRequests.push(fields);
      return this.token(fields, res);
    }
    const apiRoot = github ? '/api/v3' : '/api/v4';
    if (req.method === 'GET' && url.pathname.startsWith(`${apiRoot}/`)) {
      this.apiRequests.push(`${url.pathname}${url.search}`);
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token || !this.accessTokens.has(token)) {
        return github
          ? json(res, 401, {
              message: 'Bad credentials',
              documentation_url: 'https://docs.github.com/rest',
              status: '401',
            })
          : json(res, 401, { message: '401 Unauthorized' });
      }
      const route = url.pathname.slice(apiRoot.length);
      return github
        ? this.serveGithubApi(route, url, res)
        : this.serveGitlabApi(route, url, res);
    }
    return json(res, 404, { message: 'Not Found' });
  }

  private serveGithubApi(route: string, url: URL, res: http.ServerResponse) {
    if (route === '/user') {
      return json(res, 200, {
        login: this.login,
        id: 1,
        type: 'User',
        html_url: `${this.baseUrl}/${this.login}`,
      });
    }
    if (route === '/user/repos') {
      return this.githubPage(
        url,
        res,
        this.repositories.map(repo => ({
          id: this.repositories.indexOf(repo) + 1,
          full_name: repo.path,
          private: repo.private,
          html_url: `${this.baseUrl}/${repo.path}`,
          clone_url: `${this.baseUrl}/${repo.path}.git`,
          default_branch: repo.branches[0],
        })),
      );
    }
    const match =
      /^\/repos\/([^/]+\/[^/]+)\/(branches|git\/matching-refs\/heads\/(.*))$/.exec(
        route,
      );
    const repo = match && this.repositoryAt(decodeURIComponent(match[1]));
    if (!match || !repo) {
      return json(res, 404, {
        message: 'Not Found',
        documentation_url: 'https://docs.github.com/rest',
        status: '404',
      });
    }
    if (match[2] === 'branches') {
      return this.githubPage(
        url,
        res,
        repo.branches.map(name => ({
          name,
          commit: { sha: SHA, url: `${this.baseUrl}/commits/${SHA}` },
          protected: false,
        })),
      );
    }
    const prefix = decodeURIComponent(match[3]);
    return json(
      res,
      200,
      repo.branches
        .filter(name => name.startsWith(prefix))
        .map(name => ({
          ref: `refs/heads/${name}`,
          node_id: 'REF_stand_in',
          url: `${this.baseUrl}/api/v3/repos/${repo.path}/git/refs/heads/${name}`,
          object: { type: 'commit', sha: SHA, url: '' },
        })),
    );
  }

  /** GitHub's paging: `per_page` (30 by default, at most 100) and a Link header. */
  private githubPage(url: URL, res: http.ServerResponse, all: unknown[]) {
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 30),
      100,
    );
    const page = Number(url.searchParams.get('page') ?? 1);
    const items = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    if (all.length > page * perPage) {
      const next = new URL(url.href);
      next.searchParams.set('page', String(page + 1));
      headers.link = `<${next.href}>; rel="next"`;
    }
    res.writeHead(200, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(items));
  }

  private serveGitlabApi(route: string, url: URL, res: http.ServerResponse) {
    if (route === '/user') {
      return json(res, 200, {
        id: 1,
        username: this.login,
        name: 'Stand-in User',
        state: 'active',
        web_url: `${this.baseUrl}/${this.login}`,
      });
    }
    const search = url.searchParams.get('search') ?? '';
    if (route === '/projects') {
      return this.gitlabPage(
        url,
        res,
        this.repositories
          .filter(repo => repo.path.includes(search))
          .map(repo => ({
            id: this.repositories.indexOf(repo) + 1,
            path_with_namespace: repo.path,
            visibility: repo.private ? 'private' : 'public',
            web_url: `${this.baseUrl}/${repo.path}`,
            http_url_to_repo: `${this.baseUrl}/${repo.path}.git`,
            default_branch: repo.branches[0],
          })),
      );
    }
    const match = /^\/projects\/([^/]+)\/repository\/branches$/.exec(route);
    const repo = match && this.repositoryAt(decodeURIComponent(match[1]));
    if (!repo) return json(res, 404, { message: '404 Project Not Found' });
    return this.gitlabPage(
      url,
      res,
      repo.branches
        .filter(name => name.includes(search))
        .map(name => ({
          name,
          merged: false,
          protected: false,
          default: false,
        })),
    );
  }

  /** GitLab's offset paging: `per_page` (20 by default, at most 100) and x-next-page. */
  private gitlabPage(url: URL, res: http.ServerResponse, all: unknown[]) {
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? 20),
      100,
    );
    const page = Number(url.searchParams.get('page') ?? 1);
    const more = all.length > page * perPage;
    res.writeHead(200, {
      'content-type': 'application/json',
      'x-page': String(page),
      'x-per-page': String(perPage),
      'x-total': String(all.length),
      'x-next-page': more ? String(page + 1) : '',
    });
    res.end(JSON.stringify(all.slice((page - 1) * perPage, page * perPage)));
  }

  private repositoryAt(path: string) {
    return this.repositories.find(repo => repo.path === path);
  }

  private authorize(url: URL, res: http.ServerResponse) {
    const query = url.searchParams;
    const redirectUri = query.get('redirect_uri')!;
    const back = new URL(redirectUri);
    if (query.get('state')) back.searchParams.set('state', query.get('state')!);
    if (this.decision === 'deny') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set(
        'error_description',
        this.provider === 'github'
          ? 'The user has denied your application access.'
          : 'The resource owner or authorization server denied the request.',
      );
    } else {
      const code = randomBytes(10).toString('hex');
      this.codes.set(code, {
        clientId: query.get('client_id')!,
        redirectUri,
        challenge: query.get('code_challenge') ?? undefined,
        method: query.get('code_challenge_method') ?? undefined,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href });
    res.end();
  }

  private token(fields: Record<string, string>, res: http.ServerResponse) {
    const refuse = (error: string, description: string) =>
      this.provider === 'github'
        ? json(res, 200, {
            error,
            error_description: description,
            error_uri:
              'https://docs.github.com/apps/managing-oauth-apps/troubleshooting-oauth-app-access-token-request-errors',
          })
        : json(res, error === 'invalid_client' ? 401 : 400, {
            error,
            error_description: description,
          });
    if (this.clients.get(fields.client_id) !== fields.client_secret) {
      return refuse(
        'invalid_client',
        'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
      );
    }
    if (fields.grant_type === 'refresh_token') {
      if (!this.refreshTokens.delete(fields.refresh_token)) {
        return refuse(
          'invalid_grant',
          'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
        );
      }
      return this.issue(res);
    }
    const issued = this.codes.get(fields.code);
    this.codes.delete(fields.code);
    const verifierMatches =
      !issued?.challenge ||
      (issued.method === 'S256' &&
        createHash('sha256')
          .update(fields.code_verifier ?? '')
          .digest('base64url') === issued.challenge);
    if (
      !issued ||
      issued.clientId !== fields.client_id ||
      issued.redirectUri !== fields.redirect_uri ||
      !verifierMatches
    ) {
      return this.provider === 'github'
        ? refuse(
            'bad_verification_code',
            'The code passed is incorrect or expired.',
          )
        : refuse(
            'invalid_grant',
            'The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.',
          );
    }
    return this.issue(res);
  }

  private issue(res: http.ServerResponse) {
    const accessToken = `${
      this.provider === 'github' ? 'gho' : 'gloa'
    }_${randomBytes(12).toString('hex')}`;
    this.accessTokens.set(accessToken, this.provider);
    if (this.provider === 'github') {
      return json(res, 200, {
        access_token: accessToken,
        token_type: 'bearer',
        scope: 'admin:repo_hook,read:user,repo',
      });
    }
    const refreshToken = randomBytes(16).toString('hex');
    this.refreshTokens.add(refreshToken);
    return json(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 7200,
      refresh_token: refreshToken,
      scope: 'api read_user',
      created_at: Math.floor(Date.now() / 1000),
    });
  }
}

type StandInRepository = {
  path: string;
  private: boolean;
  /** The first is the default branch. */
  branches: string[];
};

type IssuedCode = {
  clientId: string;
  redirectUri: string;
  challenge?: string;
  method?: string;
};

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
