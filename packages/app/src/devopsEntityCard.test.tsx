import { createApiRef } from '@backstage/frontend-plugin-api';
import { renderTestApp } from '@backstage/frontend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import { devopsApiRef } from '@devops-pipelines/plugin-devops';
import devopsPlugin from '@devops-pipelines/plugin-devops/alpha';
import { screen, within } from '@testing-library/react';

// The catalog's entity page and the card load lazily, which takes a while in a cold run.
jest.setTimeout(60_000);

/**
 * The catalog's API, by its id: API refs are matched by id, and the app does not depend
 * on @backstage/plugin-catalog-react, which exports the ref, just for a test.
 */
const catalogApiRef = createApiRef<object>({ id: 'plugin.catalog.service' });

const component = (name: string, annotations: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: {
    type: 'website',
    owner: 'group:default/web-team',
    lifecycle: 'production',
  },
});

const nightly = {
  apiVersion: 'devops.backstage.io/v1',
  kind: 'Pipeline',
  metadata: { name: 'nightly', entityRef: 'component:default/jack-2048' },
  spec: { stages: [] },
  status: {
    id: 'p1',
    version: 1,
    active: true,
    createdBy: 'user:default/jack',
    createdAt: '2026-11-20T08:00:00Z',
    updatedAt: '2026-11-20T08:00:00Z',
    lastRun: {
      id: 'run-7',
      buildId: 7,
      status: 'succeeded',
      trigger: { type: 'schedule' },
      queuedAt: '2026-11-21T09:00:00Z',
      durationMs: 3000,
    },
  },
};

function renderEntityPage(entity: ReturnType<typeof component>) {
  const listPipelines = jest
    .fn()
    .mockResolvedValue({ items: [nightly], totalCount: 1 });
  // What the entity page asks of the catalog: the entity, and its processing history.
  const catalogApi = {
    getEntityByRef: jest.fn().mockResolvedValue(entity),
    getEntitiesByRefs: jest.fn().mockResolvedValue({ items: [] }),
    getEntityAncestors: jest.fn().mockResolvedValue({ items: [] }),
  };
  renderTestApp({
    features: [catalogPlugin, devopsPlugin],
    initialRouteEntries: [`/catalog/default/component/${entity.metadata.name}`],
    apis: [
      [devopsApiRef, { listPipelines, mayCreatePipeline: async () => true }],
      [catalogApiRef, catalogApi],
    ],
  });
  return { listPipelines };
}

/** Where links named Pipelines lead, but the sidebar's to the DevOps page. */
const tabLinks = () =>
  screen
    .queryAllByRole('link', { name: 'Pipelines' })
    .map(link => link.getAttribute('href'))
    .filter(href => href !== '/devops');

describe("the Pipelines card on the demo app's entity pages", () => {
  it("shows the latest runs on the overview, linking into the entity's Pipelines tab", async () => {
    const { listPipelines } = renderEntityPage(
      component('jack-2048', { 'devops.backstage.io/pipelines': 'true' }),
    );

    const item = await screen.findByTestId(
      'entity-pipeline-nightly',
      {},
      { timeout: 30_000 },
    );
    const tab = '/catalog/default/component/jack-2048/pipelines';
    expect(within(item).getByRole('link', { name: '#7' })).toHaveAttribute(
      'href',
      `${tab}/runs/run-7`,
    );
    expect(screen.getByRole('link', { name: /View all/ })).toHaveAttribute(
      'href',
      tab,
    );
    // The tab itself: alone in its group (Deployment), it shows as a plain tab.
    expect(tabLinks()).toEqual([tab]);
    expect(listPipelines).toHaveBeenCalledWith({
      entityRef: 'component:default/jack-2048',
      limit: 5,
    });
  });

  it('leaves the card out where the entity has no pipelines annotation', async () => {
    const { listPipelines } = renderEntityPage(component('payments-api'));

    expect(
      await screen.findByText('About', {}, { timeout: 30_000 }),
    ).toBeInTheDocument();
    expect(tabLinks()).toEqual([]);
    expect(screen.queryByRole('link', { name: /View all/ })).toBeNull();
    expect(listPipelines).not.toHaveBeenCalled();
  });
});
