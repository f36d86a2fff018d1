import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { RunStatus } from './RunStatus';

describe('RunStatus', () => {
  it('tells Stopped (ended by a user) from Skipped (never started) by its icon', async () => {
    await renderInTestApp(
      <>
        <RunStatus status="stopped" />
        <RunStatus status="skipped" />
      </>,
    );
    expect(screen.getByText('Stopped')).toContainElement(
      screen.getByTestId('status-aborted'),
    );
    expect(screen.getByText('Skipped')).toContainElement(
      screen.getByTestId('status-skipped'),
    );
  });
});
