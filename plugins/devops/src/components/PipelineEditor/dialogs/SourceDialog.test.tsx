import { ResponseError } from '@backstage/errors';
import type { PipelineSource } from '@devops-pipelines/plugin-devops-common';
import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { CodeHostRepository, DevopsApi } from '../../../api';
import { renderWithDevopsApi } from '../../../__testUtils__/renderWithDevopsApi';
import { octocat, viaOctocat } from '../../../__testUtils__/codeHostAccounts';
import { SourceDialog } from './SourceDialog';

jest.setTimeout(30_000);

const game: CodeHostRepository = {
  name: 'jack/2048',
  url: 'https://github.com/jack/2048.git',
  webUrl: 'https://github.com/jack/2048',
  defaultBranch: 'master',
  private: true,
};

const docs: CodeHostRepository = {
  name: 'jack/docs',
  url: 'https://github.com/jack/docs.git',
  webUrl: 'https://github.com/jack/docs',
  defaultBranch: 'main',
  private: false,
};

const tiles: CodeHostRepository = {
  name: 'jack/tiles',
  url: 'https://github.com/jack/tiles.git',
  webUrl: 'https://github.com/jack/tiles',
  defaultBranch: 'main',
  private: true,
};

function api(overrides: Partial<DevopsApi> = {}): Partial<DevopsApi> {
  return {
    listAccounts: jest.fn().mockResolvedValue([octocat]),
    // Two pages without a search: the second has the tiles repository.
    listRepositories: jest.fn(
      async (_provider, { search = '', page = 1 } = {}) => ({
        items:
          page === 2
            ? [tiles]
            : [game, docs].filter(r => r.name.includes(search)),
        page,
        nextPage: search || page === 2 ? undefined : 2,
        via: viaOctocat,
      }),
    ),
    listBranches: jest.fn().mockResolvedValue({
      items: [{ name: 'master' }, { name: 'feature/tiles' }],
      page: 1,
      via: viaOctocat,
    }),
    ...overrides,
  };
}

async function renderDialog(
  devopsApi: Partial<DevopsApi>,
  source?: PipelineSource,
) {
  const onSave = jest.fn();
  await renderWithDevopsApi(
    <SourceDialog source={source} onSave={onSave} onClose={jest.fn()} />,
    devopsApi,
  );
  return { onSave };
}

/** A text field; by role, as an open picker's list is labelled by the field's label too. */
const field = (name: RegExp) => screen.getByRole('textbox', { name });
const select = (label: string) => screen.getByLabelText(label);
const fill = (name: RegExp, value: string) =>
  fireEvent.change(field(name), { target: { value } });
const save = () =>
  userEvent.click(screen.getByRole('button', { name: 'Save source' }));

/** A failed call as DevopsClient reports it: the backend's serialized error in the body. */
const badRequest = (message: string) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'InputError', message },
        request: {
          method: 'GET',
          url: '/api/devops/repositories/github/repos',
        },
        response: { statusCode: 400 },
      }),
      { status: 400, headers: { 'Content-Type': 'application/json' } },
    ),
  );

describe('SourceDialog', () => {
  it('needs a repository and a branch', async () => {
    const { onSave } = await renderDialog(api());
    fill(/^Branch/, '');
    await save();
    expect(field(/^Repository URL/)).toHaveAccessibleDescription(
      'a repository URL is required',
    );
    expect(field(/^Branch/)).toHaveAccessibleDescription(
      'a branch is required',
    );
    await userEvent.selectOptions(select('Provider'), 'git');
    fill(/^Repository URL/, 'https://gitlab.example.com/qa/jack-2048.git');
    fill(/^Branch/, 'master');
    await save();
    expect(onSave).toHaveBeenCalledWith({
      provider: 'git',
      repository: 'https://gitlab.example.com/qa/jack-2048.git',
      branch: 'master',
    });
  });

  it('searches the repositories and picks one: its URL, default branch and the account that listed it', async () => {
    const devopsApi = api();
    const { onSave } = await renderDialog(devopsApi);

    await userEvent.click(field(/^Repository URL/));
    expect(
      await screen.findByRole('option', { name: /jack\/docs/ }),
    ).toBeInTheDocument();
    // The host has more: the next page joins the list, which stays open.
    await userEvent.click(screen.getByRole('button', { name: 'Show more' }));
    expect(
      await screen.findByRole('option', { name: /jack\/tiles/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('option', { name: /jack\/docs/ }),
    ).toBeInTheDocument();
    expect(devopsApi.listRepositories).toHaveBeenCalledWith('github', {
      search: '',
      page: 2,
    });
    expect(screen.queryByRole('button', { name: 'Show more' })).toBeNull();

    await userEvent.type(field(/^Repository URL/), '2048');
    await waitFor(() =>
      expect(devopsApi.listRepositories).toHaveBeenCalledWith('github', {
        search: '2048',
        page: 1,
      }),
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('option', { name: /jack\/docs/ }),
      ).not.toBeInTheDocument(),
    );
    await userEvent.click(screen.getByRole('option', { name: /jack\/2048/ }));

    expect(field(/^Repository URL/)).toHaveValue(game.url);
    expect(field(/^Branch/)).toHaveValue('master');
    expect(select('Credentials')).toHaveAccessibleDescription(
      'Read with your GitHub account octocat',
    );

    await userEvent.clear(field(/^Branch/));
    await userEvent.type(field(/^Branch/), 'feat');
    await waitFor(() =>
      expect(devopsApi.listBranches).toHaveBeenCalledWith('github', game.url, {
        search: 'feat',
        page: 1,
      }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: 'feature/tiles' }),
    );
    await save();

    expect(onSave).toHaveBeenCalledWith({
      provider: 'github',
      repository: game.url,
      branch: 'feature/tiles',
      accountId: 'account-1',
    });
  });

  it('accepts a typed URL, read with the account chosen or without one', async () => {
    const devopsApi = api({
      listBranches: jest.fn().mockResolvedValue({
        items: [{ name: 'main' }],
        page: 1,
        via: { kind: 'integration', host: 'github.com' },
      }),
    });
    const { onSave } = await renderDialog(devopsApi);

    fill(/^Repository URL/, 'https://github.com/acme/private.git');
    await waitFor(() =>
      expect(devopsApi.listBranches).toHaveBeenCalledWith(
        'github',
        'https://github.com/acme/private.git',
        { search: '', page: 1 },
      ),
    );
    // A URL is no name to search for.
    expect(devopsApi.listRepositories).toHaveBeenCalledTimes(1);
    expect(select('Credentials')).toHaveAccessibleDescription(
      "Read with the portal's credentials for github.com",
    );

    await userEvent.selectOptions(select('Credentials'), 'account-1');
    expect(select('Credentials')).toHaveAccessibleDescription(
      'Read with your GitHub account octocat',
    );
    await save();
    expect(onSave).toHaveBeenLastCalledWith({
      provider: 'github',
      repository: 'https://github.com/acme/private.git',
      branch: 'main',
      accountId: 'account-1',
    });

    await userEvent.selectOptions(select('Credentials'), '');
    await save();
    expect(onSave.mock.lastCall[0]).not.toHaveProperty('accountId');
  });

  it("shows the backend's message when the lists cannot load, and still saves", async () => {
    const message =
      "No credentials for gitlab.com: connect your GitLab account on the Repositories page, or type the repository's URL";
    const devopsApi = api({
      listAccounts: jest.fn().mockResolvedValue([]),
      listRepositories: jest.fn(async () => {
        throw await badRequest(message);
      }),
      listBranches: jest.fn(async () => {
        throw await badRequest(message);
      }),
    });
    const { onSave } = await renderDialog(devopsApi);
    await userEvent.selectOptions(select('Provider'), 'gitlab');

    await waitFor(() =>
      expect(field(/^Repository URL/)).toHaveAccessibleDescription(message),
    );
    fill(/^Repository URL/, 'https://gitlab.com/qa/jack-2048.git');
    await waitFor(() => expect(devopsApi.listBranches).toHaveBeenCalled());
    // The same reason is said once, under the repository.
    expect(field(/^Branch/)).toHaveAccessibleDescription(
      'Each run checks out the commit this branch points to when it starts',
    );
    expect(select('Credentials')).toHaveAccessibleDescription(
      "Public repository, or credentials from the portal's integrations",
    );
    await save();

    expect(onSave).toHaveBeenCalledWith({
      provider: 'gitlab',
      repository: 'https://gitlab.com/qa/jack-2048.git',
      branch: 'main',
    });
  });

  it("keeps an existing source's account, and drops it with another provider", async () => {
    const { onSave } = await renderDialog(api(), {
      provider: 'github',
      repository: game.url,
      branch: 'master',
      accountId: 'account-9',
    });

    expect(
      await screen.findByLabelText('Credentials'),
    ).toHaveAccessibleDescription(
      'Read with the account chosen by another user',
    );
    await save();
    expect(onSave).toHaveBeenLastCalledWith(
      expect.objectContaining({ accountId: 'account-9' }),
    );

    await userEvent.selectOptions(select('Provider'), 'gitlab');
    await save();
    expect(onSave.mock.lastCall[0]).toEqual({
      provider: 'gitlab',
      repository: game.url,
      branch: 'master',
    });
  });
});
