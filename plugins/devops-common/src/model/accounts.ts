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
