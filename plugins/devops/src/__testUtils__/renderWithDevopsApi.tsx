import { alertApiRef } from '@backstage/core-plugin-api';
import { TestApiProvider, renderInTestApp } from '@backstage/test-utils';
import type { ReactElement } from 'react';
import { type DevopsApi, devopsApiRef } from '../api';

/**
 * Renders a page or component of the plugin in a test app with the given DevopsApi
 * methods and a recording alert API, which it returns for assertions.
 */
export async function renderWithDevopsApi(
  element: ReactElement,
  devopsApi: Partial<DevopsApi>,
  options: {
    /** More APIs the element needs. */
    apis?: Parameters<typeof TestApiProvider>[0]['apis'];
  } & Parameters<typeof renderInTestApp>[1] = {},
) {
  const { apis = [], ...appOptions } = options;
  const alertApi = { post: jest.fn() };
  await renderInTestApp(
    <TestApiProvider
      apis={[[devopsApiRef, devopsApi], [alertApiRef, alertApi], ...apis]}
    >
      {element}
    </TestApiProvider>,
    appOptions,
  );
  return { alertApi };
}
