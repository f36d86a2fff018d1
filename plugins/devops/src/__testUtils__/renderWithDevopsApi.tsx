import { alertApiRef } from '@backstage/core-plugin-api';
import {
  AuthorizeResult,
  type Permission,
} from '@backstage/plugin-permission-common';
import {
  type PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import {
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import type { ReactElement } from 'react';
import { SWRConfig } from 'swr';
import { type DevopsApi, devopsApiRef } from '../api';
import { taskTypeList } from './taskTypes';

/** A permission API whose policy refuses the given permissions and allows the rest. */
export const permissionApiDenying = (...denied: Permission[]) =>
  mockApis.permission({
    authorize: request =>
      denied.some(permission => permission.name === request.permission.name)
        ? AuthorizeResult.DENY
        : AuthorizeResult.ALLOW,
  });

/**
 * Renders a page or component of the plugin in a test app with the given DevopsApi
 * methods (creating pipelines allowed unless `mayCreatePipeline` is given, the built-in
 * task types alone unless `listTaskTypes` is), a permission API (one that allows
 * everything unless given) and a recording alert API, which it returns for assertions.
 */
export async function renderWithDevopsApi(
  element: ReactElement,
  devopsApi: Partial<DevopsApi>,
  options: {
    /** More APIs the element needs. */
    apis?: Parameters<typeof TestApiProvider>[0]['apis'];
    permissionApi?: PermissionApi;
  } & Parameters<typeof renderInTestApp>[1] = {},
) {
  const {
    apis = [],
    permissionApi = mockApis.permission(),
    ...appOptions
  } = options;
  const alertApi = { post: jest.fn() };
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [
          devopsApiRef,
          {
            mayCreatePipeline: async () => true,
            listTaskTypes: async () => taskTypeList(),
            ...devopsApi,
          },
        ],
        [alertApiRef, alertApi],
        [permissionApiRef, permissionApi],
        ...apis,
      ]}
    >
      {/* usePermission keeps its answers in SWR's cache, which would otherwise carry
          one test's decisions into the next. */}
      <SWRConfig value={{ provider: () => new Map() }}>{element}</SWRConfig>
    </TestApiProvider>,
    appOptions,
  );
  return { alertApi };
}
