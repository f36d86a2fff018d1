import { ResponseError } from '@backstage/errors';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import { devopsClusterManagePermission } from '@devops-pipelines/plugin-devops-common';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { type ClusterBinding, type DevopsApi } from '../../api';
import { ClustersPage } from './ClustersPage';
import {
  permissionApiDenying,
  renderWithDevopsApi,
} from '../../__testUtils__/renderWithDevopsApi';

// MUI dialogs and selects make a test here take seconds in jsdom.
jest.setTimeout(30_000);

const binding = (overrides: Partial<ClusterBinding> = {}): ClusterBinding => ({
  name: 'prod',
  namespace: 'devops-pipelines',
  scope: [],
  health: 'healthy',
  checkedAt: '2026-11-30T08:00:00Z',
  createdBy: 'user:default/jack',
  createdAt: '2026-11-29T08:00:00Z',
  ...overrides,
});

/** A failed call as DevopsClient reports it: the backend's serialized error in the body. */
const responseError = (status: number, error: Record<string, unknown>) =>
  ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error,
        request: { method: 'DELETE', url: '/api/devops/clusters/prod' },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ),
  );

/** GET /clusters' answer: the bindings, and whether the user may bind (by default they may). */
const listOf = (items: ClusterBinding[], canBind = true) => ({
  items,
  canBind,
});

const render = (devopsApi: Partial<DevopsApi>, permissionApi?: PermissionApi) =>
  renderWithDevopsApi(<ClustersPage />, devopsApi, { permissionApi });

describe('ClustersPage', () => {
  it('says that runs use the local executor while no cluster is bound', async () => {
    await render({ listClusters: jest.fn().mockResolvedValue(listOf([])) });

    expect(await screen.findByText('No cluster bound')).toBeInTheDocument();
    expect(
      screen.getByText(
        /^No cluster bound: runs use the local executor\. Bind a cluster/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Bind cluster' }),
    ).toBeInTheDocument();
  });

  it('lists each binding with its namespace, scope, health and last check', async () => {
    await render({
      listClusters: jest.fn().mockResolvedValue(
        listOf([
          binding(),
          binding({
            name: 'edge',
            namespace: 'ci',
            scope: ['group:default/team-a', 'group:default/team-b'],
            health: 'unreachable',
            healthMessage:
              'cluster unhealthy or unreachable: connect ECONNREFUSED; check it in the Kubernetes console',
          }),
          binding({
            name: 'old',
            health: 'removed',
            healthMessage:
              "cluster was deleted from the portal's configuration; bind another cluster",
          }),
          binding({ name: 'new', health: 'unknown', checkedAt: undefined }),
        ]),
      ),
    });

    expect(await screen.findByText('Clusters (4)')).toBeInTheDocument();
    const prod = within(screen.getByTestId('cluster-row-prod'));
    expect(prod.getByText('devops-pipelines')).toBeInTheDocument();
    expect(prod.getByText('Whole portal')).toBeInTheDocument();
    expect(prod.getByText('Healthy')).toBeInTheDocument();
    expect(
      prod.getByText(new Date('2026-11-30T08:00:00Z').toLocaleString()),
    ).toBeInTheDocument();

    const edge = within(screen.getByTestId('cluster-row-edge'));
    expect(edge.getByText('ci')).toBeInTheDocument();
    expect(
      edge.getByText('group:default/team-a, group:default/team-b'),
    ).toBeInTheDocument();
    expect(edge.getByText('Unreachable')).toBeInTheDocument();
    expect(
      edge.getByText(/check it in the Kubernetes console$/),
    ).toBeInTheDocument();

    const old = within(screen.getByTestId('cluster-row-old'));
    expect(old.getByText('Removed')).toBeInTheDocument();
    expect(
      old.getByText(
        "cluster was deleted from the portal's configuration; bind another cluster",
      ),
    ).toBeInTheDocument();

    const fresh = within(screen.getByTestId('cluster-row-new'));
    expect(fresh.getByText('Not checked yet')).toBeInTheDocument();
    expect(fresh.getByText('Never')).toBeInTheDocument();
  });

  it('offers no binding or unbinding to whom the policy does not let manage clusters', async () => {
    const denied = permissionApiDenying(devopsClusterManagePermission);
    await render(
      { listClusters: jest.fn().mockResolvedValue(listOf([], false)) },
      denied,
    );

    expect(await screen.findByText('No cluster bound')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Bind cluster' })).toBeNull();
  });

  it('lists the bindings without their actions to whom the policy does not let manage clusters', async () => {
    const denied = permissionApiDenying(devopsClusterManagePermission);
    await render(
      { listClusters: jest.fn().mockResolvedValue(listOf([binding()], false)) },
      denied,
    );

    expect(await screen.findByTestId('cluster-row-prod')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Bind cluster' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Unbind prod' })).toBeNull();
    expect(screen.queryByRole('columnheader', { name: 'Actions' })).toBeNull();
  });

  it('disables Unbind, saying why, on a binding the policy does not let this user manage', async () => {
    // A project manager: may bind for their groups, but prod serves the whole portal.
    const denied = permissionApiDenying(devopsClusterManagePermission);
    await render(
      { listClusters: jest.fn().mockResolvedValue(listOf([binding()])) },
      denied,
    );

    expect(
      await screen.findByRole('button', { name: 'Bind cluster' }),
    ).toBeEnabled();
    const unbind = await screen.findByRole('button', { name: 'Unbind prod' });
    await waitFor(() => expect(unbind).toBeDisabled());
    await userEvent.hover(unbind.parentElement!);
    expect(
      await screen.findByText(/does not let you unbind this cluster/),
    ).toBeInTheDocument();
  });

  it('shows why the clusters could not be read', async () => {
    await render({
      listClusters: jest.fn().mockRejectedValue(
        await responseError(403, {
          name: 'NotAllowedError',
          message: 'You are not allowed to read clusters',
        }),
      ),
    });

    expect(
      await screen.findByText('You are not allowed to read clusters'),
    ).toBeInTheDocument();
    expect(screen.queryByText('No cluster bound')).toBeNull();
  });

  it('binds a cluster chosen from the available ones, with its namespace and scope', async () => {
    const bound = binding({
      name: 'staging',
      namespace: 'ci-pods',
      scope: ['group:default/team-a'],
    });
    const listClusters = jest
      .fn()
      .mockResolvedValueOnce(listOf([]))
      .mockResolvedValue(listOf([bound]));
    const bindCluster = jest.fn().mockResolvedValue(bound);
    const { alertApi } = await render({
      listClusters,
      listAvailableClusters: jest.fn().mockResolvedValue([
        {
          name: 'staging',
          title: 'Staging',
          url: 'https://staging:6443',
          source: 'config',
          defaultNamespace: 'devops-staging',
        },
        {
          name: 'kind-dev',
          url: 'https://127.0.0.1:41000',
          source: 'kubeconfig',
          defaultNamespace: 'devops-kind-dev',
        },
      ]),
      bindCluster,
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Bind cluster' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByRole('button', { name: 'Bind' })).toBeDisabled();
    await userEvent.click(
      await dialog.findByRole('button', { name: /Cluster/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', {
        name: 'Staging (staging) — https://staging:6443',
      }),
    );
    // The namespace it would get, and that no other binding shares it.
    expect(dialog.getByLabelText('Namespace')).toHaveAttribute(
      'placeholder',
      'devops-staging',
    );
    expect(
      dialog.getByText(
        /Leave empty for devops-staging, which no other binding shares/,
      ),
    ).toBeInTheDocument();
    await userEvent.type(dialog.getByLabelText('Namespace'), 'ci-pods');
    await userEvent.type(dialog.getByLabelText('Scope'), 'team-a, ');
    await userEvent.click(dialog.getByRole('button', { name: 'Bind' }));

    await waitFor(() =>
      expect(bindCluster).toHaveBeenCalledWith({
        name: 'staging',
        namespace: 'ci-pods',
        scope: ['team-a'],
      }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({
        message: 'Bound cluster staging: task pods run in namespace ci-pods',
      }),
    );
    expect(
      await screen.findByTestId('cluster-row-staging'),
    ).toBeInTheDocument();
  });

  it("keeps the dialog open with the cluster's refusal when binding fails", async () => {
    const message =
      "Cannot bind cluster 'staging' (namespace 'devops-pipelines'): credentials refused by the cluster (401 Unauthorized); update the cluster's token in the portal's Kubernetes configuration";
    await render({
      listClusters: jest.fn().mockResolvedValue(listOf([])),
      listAvailableClusters: jest.fn().mockResolvedValue([
        {
          name: 'staging',
          url: 'https://staging:6443',
          source: 'config',
          defaultNamespace: 'devops-staging',
        },
      ]),
      bindCluster: jest.fn().mockRejectedValue(
        await responseError(503, {
          name: 'ServiceUnavailableError',
          message,
        }),
      ),
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Bind cluster' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(
      await dialog.findByRole('button', { name: /Cluster/ }),
    );
    await userEvent.click(
      await screen.findByRole('option', { name: /^staging/ }),
    );
    await userEvent.click(dialog.getByRole('button', { name: 'Bind' }));

    expect(await dialog.findByRole('alert')).toHaveTextContent(message);
    expect(screen.getByRole('dialog')).toBeInTheDocument();
  });

  it('says how to configure clusters when none is left to bind', async () => {
    await render({
      listClusters: jest.fn().mockResolvedValue(listOf([])),
      listAvailableClusters: jest.fn().mockResolvedValue([]),
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Bind cluster' }),
    );

    expect(
      await screen.findByText(
        /No cluster left to bind: every cluster the portal knows is bound, or none is configured/,
      ),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Bind' })).toBeDisabled();
  });

  it('unbinds after confirmation, listing the pipelines that use the cluster before forcing', async () => {
    const unbindCluster = jest
      .fn()
      .mockRejectedValueOnce(
        await responseError(409, {
          name: 'ConflictError',
          message: "Cluster 'prod' is used by 2 pipelines",
          pipelines: [
            {
              id: 'p1',
              name: 'deploy-2048-yaml',
              title: 'YAML deploy of the 2048 game',
              entityRef: 'component:default/jack-2048',
              uses: ['runs', 'deploys'],
            },
            {
              id: 'p2',
              name: 'nightly',
              entityRef: 'component:default/shop',
              uses: ['runs'],
            },
          ],
        }),
      )
      .mockResolvedValue(undefined);
    const listClusters = jest
      .fn()
      .mockResolvedValueOnce(listOf([binding()]))
      .mockResolvedValue(listOf([]));
    const { alertApi } = await render({ listClusters, unbindCluster });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Unbind prod' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    expect(dialog.getByText('Unbind cluster prod?')).toBeInTheDocument();
    expect(
      dialog.getByText(/stop working until another binding covers them/),
    ).toBeInTheDocument();
    await userEvent.click(dialog.getByRole('button', { name: 'Unbind' }));

    expect(unbindCluster).toHaveBeenLastCalledWith('prod', { force: false });
    expect(
      await dialog.findByText(/2 pipelines use this cluster/),
    ).toBeInTheDocument();
    const list = within(
      dialog.getByRole('list', { name: 'Pipelines using the cluster' }),
    );
    expect(
      list.getByRole('link', { name: 'YAML deploy of the 2048 game' }),
    ).toHaveAttribute('href', '/devops/pipelines/p1');
    expect(
      list.getByText(
        'component:default/jack-2048: its runs execute there; a deploy task targets it',
      ),
    ).toBeInTheDocument();
    expect(
      list.getByText('component:default/shop: its runs execute there'),
    ).toBeInTheDocument();

    await userEvent.click(
      dialog.getByRole('button', { name: 'Unbind anyway' }),
    );

    await waitFor(() =>
      expect(unbindCluster).toHaveBeenLastCalledWith('prod', { force: true }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(alertApi.post).toHaveBeenCalledWith(
      expect.objectContaining({ message: 'Unbound cluster prod' }),
    );
    expect(await screen.findByText('No cluster bound')).toBeInTheDocument();
  });

  it('shows other unbind failures in the dialog', async () => {
    await render({
      listClusters: jest.fn().mockResolvedValue(listOf([binding()])),
      unbindCluster: jest.fn().mockRejectedValue(
        await responseError(403, {
          name: 'NotAllowedError',
          message: 'You are not allowed to manage clusters',
        }),
      ),
    });

    await userEvent.click(
      await screen.findByRole('button', { name: 'Unbind prod' }),
    );
    const dialog = within(await screen.findByRole('dialog'));
    await userEvent.click(dialog.getByRole('button', { name: 'Unbind' }));

    expect(await dialog.findByRole('alert')).toHaveTextContent(
      'You are not allowed to manage clusters',
    );
  });
});
