import type {
  CodeHostAccountSummary,
  RepositoryListSource,
} from '@devops-pipelines/plugin-devops-common';

/** A connected github.com account, as the backend lists it. */
export const octocat: CodeHostAccountSummary = {
  id: 'account-1',
  provider: 'github',
  baseUrl: 'https://github.com',
  clientId: 'Iv1.portal',
  login: 'octocat',
  connected: true,
};

/** Lists read with that account. */
export const viaOctocat: RepositoryListSource = {
  kind: 'account',
  accountId: octocat.id,
  login: 'octocat',
  baseUrl: 'https://github.com',
};
