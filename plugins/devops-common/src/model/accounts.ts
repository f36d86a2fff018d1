import { z } from 'zod';

/**
 * A code host a user connects an account of.
 *
 * @public
 */
export type CodeHostProvider = 'github' | 'gitlab';

/**
 * Every code host, in the order pages list them.
 *
 * @public
 */
export const CODE_HOST_PROVIDERS: readonly CodeHostProvider[] = [
  'github',
  'gitlab',
];

/**
 * How each code host is named to users.
 *
 * @public
 */
export const CODE_HOST_NAMES: Record<CodeHostProvider, string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
};

/**
 * The signed-in user's account on a code host, as the Repositories page shows it.
 *
 * @public
 */
export type CodeHostAccountSummary = {
  /** What a pipeline's source names to check out with this account. */
  id: string;
  provider: CodeHostProvider;
  /** The host's web address, e.g. `https://github.com` or a self-hosted GitLab. */
  baseUrl: string;
  /** The OAuth application's client ID (GitLab: application ID). */
  clientId: string;
  /** The account name on the host, once an authorization came back. */
  login?: string;
  connected: boolean;
};

/**
 * What a user registers on the code host for this portal's OAuth application.
 *
 * @public
 */
export type ApplicationRegistration = {
  homepageUrl: string;
  /** `<backend>/api/devops/repositories/<provider>/redirect` */
  callbackUrl: string;
  /** The scopes to grant (GitLab: `api`, `read_user`). */
  scopes: string[];
  /** The public host, used unless a private or self-hosted base URL is given. */
  defaultBaseUrl: string;
};

/**
 * POST /repositories/:provider/connect: the OAuth application registered for this
 * portal, and the host's base URL when it is private or self-hosted.
 *
 * @public
 */
export const connectAccountRequestSchema = z.strictObject({
  clientId: z.string().trim().min(1, 'give the client ID'),
  clientSecret: z.string().trim().min(1, 'give the client secret'),
  baseUrl: z.string().trim().optional(),
});

/**
 * Whose credentials list a code host's repositories: the user's connected account, or,
 * where they have none, the portal's `integrations:` entry for the host.
 *
 * @public
 */
export type RepositoryListSource =
  | { kind: 'account'; accountId: string; login: string; baseUrl: string }
  | { kind: 'integration'; host: string };

/**
 * A repository the credentials may read, as the pickers list it.
 *
 * @public
 */
export type CodeHostRepository = {
  /** `owner/repo` on GitHub, `group/sub/project` on GitLab. */
  name: string;
  /** The https clone URL, which a pipeline's source keeps. */
  url: string;
  /** The repository's page on the host. */
  webUrl: string;
  defaultBranch?: string;
  private: boolean;
};

/**
 * A branch of a repository, as the Source dialog lists them.
 *
 * @public
 */
export type CodeHostBranch = { name: string };

/**
 * One page of a code host list, and whose credentials read it.
 *
 * @public
 */
export type CodeHostPage<T> = {
  items: T[];
  page: number;
  /** The next page's number; undefined on the last page. */
  nextPage?: number;
  via: RepositoryListSource;
};
