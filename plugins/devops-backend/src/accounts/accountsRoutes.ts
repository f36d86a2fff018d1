import { HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  CODE_HOST_PROVIDERS,
  connectAccountRequestSchema,
  devopsAccountManagePermission,
  type CodeHostAccountSummary,
  type CodeHostProvider,
} from '@devops-pipelines/plugin-devops-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { rateLimit } from 'express-rate-limit';
import type { PipelineAuthorizer } from '../permissions/PipelineAuthorizer';
import { parseBody } from '../router/validation';
import { AccountService } from './AccountService';
import type { BrowseQuery, RepositoryBrowser } from './RepositoryBrowser';
import type { CodeHostAccount } from './types';

/** The path of the callback the host redirects the browser to: no Backstage token comes with it. */
export const CALLBACK_PATHS = CODE_HOST_PROVIDERS.map(
  provider => `/repositories/${provider}/redirect`,
);

function providerOf(req: Request): CodeHostProvider {
  const provider = req.params.provider as CodeHostProvider;
  if (!CODE_HOST_PROVIDERS.includes(provider)) {
    throw new InputError(
      `Unknown code host "${req.params.provider}"; use github or gitlab`,
    );
  }
  return provider;
}

/** A query parameter given once, as text; anything else is a client's mistake. */
function textParameter(req: Request, name: string): string | undefined {
  const value = req.query[name];
  if (value === undefined || typeof value === 'string') return value;
  throw new InputError(`Give the ${name} query parameter once, as text`);
}

function browseQuery(req: Request): BrowseQuery {
  const page = textParameter(req, 'page');
  return {
    search: textParameter(req, 'search'),
    page: page === undefined ? undefined : Number(page),
  };
}

const summary = (account: CodeHostAccount): CodeHostAccountSummary => ({
  id: account.id,
  provider: account.provider,
  baseUrl: account.baseUrl,
  clientId: account.clientId,
  login: account.login,
  connected: Boolean(account.login),
});

/** Code repositories (SPEC §7): the signed-in user's GitHub and GitLab accounts. */
export function accountsRoutes(options: {
  httpAuth: HttpAuthService;
  authorizer: PipelineAuthorizer;
  accounts: AccountService;
  repositories: RepositoryBrowser;
  callbackRequestsPerMinute: number;
}) {
  const { httpAuth, authorizer, accounts, repositories } = options;
  const router = Router();
  // Anyone may reach the callback, token or not: one address may not hammer it.
  const callbackLimit = rateLimit({
    windowMs: 60_000,
    limit: options.callbackRequestsPerMinute,
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    handler: (_req, _res, next) =>
      next(
        Object.assign(
          new Error(
            `More than ${options.callbackRequestsPerMinute} requests a minute to the code hosts' callback from this address (devops.limits.callbackRequestsPerMinute); try again in a minute`,
          ),
          { name: 'TooManyRequestsError', statusCode: 429 },
        ),
      ),
  });

  /** Only a user has accounts, and may manage only their own. */
  const accountUser = async (req: Request) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    await authorizer.authorize(credentials, devopsAccountManagePermission);
    return credentials.principal.userEntityRef;
  };

  router.get('/repositories/accounts', async (req, res) => {
    const userRef = await accountUser(req);
    res.json({ items: (await accounts.list(userRef)).map(summary) });
  });

  router.get('/repositories/:provider/registration', async (req, res) => {
    await accountUser(req);
    res.json(await accounts.registration(providerOf(req)));
  });

  router.post('/repositories/:provider/connect', async (req, res) => {
    const userRef = await accountUser(req);
    const request = parseBody(connectAccountRequestSchema, req.body);
    res.json(await accounts.connect(userRef, providerOf(req), request));
  });

  // The host sends the browser here; the state, single-use and bound to the user who
  // started the authorization, stands in for the Backstage token it cannot carry.
  router.get(
    '/repositories/:provider/redirect',
    callbackLimit,
    async (req, res) => {
      const text = (value: unknown) =>
        typeof value === 'string' ? value : undefined;
      res.redirect(
        await accounts.complete(providerOf(req), {
          state: text(req.query.state),
          code: text(req.query.code),
          error: text(req.query.error),
          error_description: text(req.query.error_description),
        }),
      );
    },
  );

  router.get('/repositories/:provider/repos', async (req, res) => {
    const userRef = await accountUser(req);
    res.json(
      await repositories.repositories(
        userRef,
        providerOf(req),
        browseQuery(req),
      ),
    );
  });

  router.get('/repositories/:provider/branches', async (req, res) => {
    const userRef = await accountUser(req);
    const repository = textParameter(req, 'repository');
    if (!repository) {
      throw new InputError(
        'Give the repository whose branches to list (repository=<URL>)',
      );
    }
    res.json(
      await repositories.branches(
        userRef,
        providerOf(req),
        repository,
        browseQuery(req),
      ),
    );
  });

  router.delete('/repositories/:provider', async (req, res) => {
    const userRef = await accountUser(req);
    await accounts.disconnect(userRef, providerOf(req));
    res.status(204).end();
  });

  return router;
}
