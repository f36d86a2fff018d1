import { renderTestApp } from '@backstage/frontend-test-utils';
import { devopsApiRef } from '@devops-pipelines/plugin-devops';
import devopsPlugin from '@devops-pipelines/plugin-devops/alpha';
import { screen, within } from '@testing-library/react';

// The lazy page can take 10 s to load in a cold run (below): more than jest's default 5 s.
jest.setTimeout(30_000);

describe('the devops plugin in the app', () => {
  it('serves the pipelines page at /devops', async () => {
    const listPipelines = jest
      .fn()
      .mockResolvedValue({ items: [], totalCount: 0 });
    const mayCreatePipeline = jest.fn().mockResolvedValue(true);

    renderTestApp({
      features: [devopsPlugin],
      initialRouteEntries: ['/devops'],
      // What the pipelines page asks of the API: its list, and whether to offer Create.
      apis: [[devopsApiRef, { listPipelines, mayCreatePipeline }]],
    });

    // The page and its table load lazily, which takes a while in a cold test run.
    expect(
      await screen.findByText('No pipelines yet', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    const sidebar = screen.getByRole('navigation', { name: 'sidebar nav' });
    expect(
      within(sidebar).getByRole('link', { name: 'Pipelines' }),
    ).toHaveAttribute('href', '/devops');
    expect(listPipelines).toHaveBeenCalled();
  });
});
