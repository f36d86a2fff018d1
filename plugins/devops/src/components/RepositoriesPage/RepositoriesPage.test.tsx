import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CodeHostRepository, DevopsApi } from '../../api';
import { renderWithDevopsApi } from '../../__testUtils__/renderWithDevopsApi';
import { octocat, viaOctocat } from '../../__testUtils__/codeHostAccounts';
import { leaveAppFor } from '../../lib/leaveApp';
import { RepositoriesPage } from './RepositoriesPage';

jest.mock('../../lib/leaveApp', () => ({ leaveAppFor: jest.fn() }));

// MUI dialogs make a test here take seconds in jsdom.
jest.setTimeout(30_000);

const registration = (provider: string) => ({
  homepageUrl: 'https://portal.example.com',
  callbackUrl: `https://portal.example.com/api/devops/repositories/${provider}/redirect`,
  scopes:
    provider === 'gitlab'
      ? ['api', 'read_user']
      : ['repo', 'admin:repo_hook', 'read:user'],
  defaultBaseUrl:
    provider === 'gitlab' ? 'https://gitlab.com' : 'https://github.com',
});

const repository = (name: string, isPrivate = false): CodeHostRepository => ({
  name,
  url: `https://github.com/${name}.git`,
  webUrl: `https://github.com/${name}`,
  defaultBranch: 'main',
  private: isPrivate,
});

function api(overrides: Partial<DevopsApi> = {}): Partial<DevopsApi> {
  return {
    listAccounts: jest.fn().mockResolvedValue([]),
    getAccountRegistration: jest.fn(async provider => registration(provider)),
    connectAccount: jest.fn().mockResolvedValue({
      authorizeUrl: 'https://gitlab.example.com/oauth/authorize?x=1',
    }),
    disconnectAccount: jest.fn().mockResolvedValue(undefined),
    listRepositories: jest
      .fn()
      .mockResolvedValue({ items: [], page: 1, via: viaOctocat }),
    ...overrides,
  };
}

describe('RepositoriesPage', () => {
  beforeEach(() => jest.mocked(leaveAppFor).mockClear());

  it('shows what to register, and connects a self-hosted GitLab through its authorization page', async () => {
    const devopsApi = api();
    await renderWithDevopsApi(<RepositoriesPage />, devopsApi);

    await userEvent.click(screen.getByRole('tab', { name: 'GitLab' }));
    expect(
      await screen.findByTestId('registration-Callback URL'),
    ).toHaveTextContent(
      'https://portal.example.com/api/devops/repositories/gitlab/redirect',
    );
    expect(screen.getByTestId('registration-Homepage URL')).toHaveTextContent(
      'https://portal.example.com',
    );
    expect(screen.getByTestId('registration-Scopes')).toHaveTextContent(
      'api read_user',
    );
    expect(
      screen.getByRole('button', { name: 'Copy Callback URL' }),
    ).toBeInTheDocument();

    const connect = screen.getByRole('button', { name: 'Connect GitLab' });
    expect(connect).toBeDisabled();
    await userEvent.type(screen.getByLabelText('Application ID'), 'app-id');
    await userEvent.type(screen.getByLabelText('Secret'), 'app-secret');
    await userEvent.click(
      screen.getByLabelText('Self-hosted GitLab (9.0 or later)'),
    );
    expect(connect).toBeDisabled();
    await userEvent.type(
      screen.getByLabelText('Base URL'),
      'https://gitlab.example.com',
    );
    await userEvent.click(connect);

    await waitFor(() =>
      expect(leaveAppFor).toHaveBeenCalledWith(
        'https://gitlab.example.com/oauth/authorize?x=1',
      ),
    );
    expect(devopsApi.connectAccount).toHaveBeenCalledWith('gitlab', {
      clientId: 'app-id',
      clientSecret: 'app-secret',
      baseUrl: 'https://gitlab.example.com',
    });
  });

  it("keeps what was typed and shows the backend's reason when connecting is refused", async () => {
    const refused = Object.assign(
      new Error('gitlab.internal is an internal address (10.0.0.5)'),
    );
    await renderWithDevopsApi(
      <RepositoriesPage />,
      api({ connectAccount: jest.fn().mockRejectedValue(refused) }),
    );

    await userEvent.type(await screen.findByLabelText('Client ID'), 'id');
    await userEvent.type(screen.getByLabelText('Client secret'), 'secret');
    await userEvent.click(
      screen.getByRole('button', { name: 'Connect GitHub' }),
    );

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'gitlab.internal is an internal address (10.0.0.5)',
    );
    expect(screen.getByLabelText('Client ID')).toHaveValue('id');
    expect(leaveAppFor).not.toHaveBeenCalled();
  });

  it('says which account came back connected, or why the host refused', async () => {
    await renderWithDevopsApi(
      <RepositoriesPage />,
      api({ listAccounts: jest.fn().mockResolvedValue([octocat]) }),
      { routeEntries: ['/?provider=github&connected=octocat'] },
    );
    expect(
      await screen.findByText(/Connected the GitHub account octocat$/),
    ).toBeInTheDocument();
    expect(await screen.findByText(/Connected as/)).toHaveTextContent(
      'Connected as octocat on https://github.com, through the OAuth application Iv1.portal.',
    );
  });

  it("shows the host's reason when the authorization failed", async () => {
    await renderWithDevopsApi(<RepositoriesPage />, api(), {
      routeEntries: [
        '/?provider=gitlab&problem=GitLab%20did%20not%20authorize%20the%20application%3A%20denied',
      ],
    });
    expect(
      await screen.findByText(/The GitLab account was not connected$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('GitLab did not authorize the application: denied'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('tab', { name: 'GitLab', selected: true }),
    ).toBeInTheDocument();
  });

  it('logs out after a confirmation, and offers to connect again', async () => {
    const listAccounts = jest
      .fn()
      .mockResolvedValueOnce([octocat])
      .mockResolvedValue([]);
    const devopsApi = api({ listAccounts });
    await renderWithDevopsApi(<RepositoriesPage />, devopsApi);

    await userEvent.click(
      await screen.findByRole('button', { name: 'Log out' }),
    );
    const dialog = await screen.findByRole('dialog');
    expect(dialog).toHaveTextContent('Log out of GitHub?');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Log out' }),
    );

    expect(
      await screen.findByRole('button', { name: 'Connect GitHub' }),
    ).toBeInTheDocument();
    expect(devopsApi.disconnectAccount).toHaveBeenCalledWith('github');
  });

  it('lists the repositories the account can read, a page at a time, and searches them', async () => {
    const listRepositories = jest.fn(
      async (_provider, { search = '', page = 1 } = {}) => {
        if (search) return { items: [], page, via: viaOctocat };
        return page === 1
          ? {
              items: [repository('jack/2048', true)],
              page,
              nextPage: 2,
              via: viaOctocat,
            }
          : { items: [repository('jack/docs')], page, via: viaOctocat };
      },
    );
    await renderWithDevopsApi(
      <RepositoriesPage />,
      api({
        listAccounts: jest.fn().mockResolvedValue([octocat]),
        listRepositories,
      }),
    );

    const row = await screen.findByTestId('repository-row-jack/2048');
    expect(
      within(row).getByRole('link', { name: /^jack\/2048/ }),
    ).toHaveAttribute('href', 'https://github.com/jack/2048');
    expect(row).toHaveTextContent('https://github.com/jack/2048.git');
    expect(row).toHaveTextContent('Private');
    expect(
      within(row).getByRole('button', {
        name: 'Copy the clone URL of jack/2048',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Page 1')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Previous' })).toBeDisabled();

    await userEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(
      await screen.findByTestId('repository-row-jack/docs'),
    ).toHaveTextContent('Public');
    expect(screen.getByText('Page 2')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Next' })).toBeDisabled();
    expect(listRepositories).toHaveBeenLastCalledWith('github', {
      search: '',
      page: 2,
    });

    await userEvent.type(
      screen.getByRole('searchbox', { name: 'Search repositories' }),
      'zzz',
    );
    expect(
      await screen.findByText('No repositories match “zzz”'),
    ).toBeInTheDocument();
    // A new search starts from the first page.
    expect(listRepositories).toHaveBeenLastCalledWith('github', {
      search: 'zzz',
      page: 1,
    });
  });

  it('says when the account can read no repositories', async () => {
    await renderWithDevopsApi(
      <RepositoriesPage />,
      api({ listAccounts: jest.fn().mockResolvedValue([octocat]) }),
    );
    expect(
      await screen.findByText('This account can read no repositories'),
    ).toBeInTheDocument();
  });

  it("shows the backend's reason when the repositories cannot be listed", async () => {
    await renderWithDevopsApi(
      <RepositoriesPage />,
      api({
        listAccounts: jest.fn().mockResolvedValue([octocat]),
        listRepositories: jest
          .fn()
          .mockRejectedValue(
            new Error('github.com answered 401 Bad credentials'),
          ),
      }),
    );
    expect(
      await screen.findByText(/The repositories could not be listed$/),
    ).toBeInTheDocument();
    expect(
      screen.getByText('github.com answered 401 Bad credentials'),
    ).toBeInTheDocument();
  });
});
