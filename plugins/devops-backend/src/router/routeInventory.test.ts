import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CODE_HOST_PROVIDERS } from '@devops-pipelines/plugin-devops-common';
import type express from 'express';
import { CALLBACK_PATHS } from '../accounts/accountsRoutes';
import { createRouter } from './createRouter';
import {
  DevopsTestBackend,
  pipelineDocument,
} from './__testUtils__/devopsTestBackend';
import type { RouterOptions } from './types';
import { stringify as stringifyYaml } from 'yaml';

jest.setTimeout(60_000);

type Route = { method: string; path: string };

/** Every route of an express router, nested routers included, as declared. */
function routesOf(router: express.Router): Route[] {
  return (router.stack as any[]).flatMap(layer => {
    if (layer.route) {
      return Object.keys(layer.route.methods)
        .filter(method => method !== '_all')
        .map(method => ({ method, path: layer.route.path as string }));
    }
    return layer.handle?.stack ? routesOf(layer.handle) : [];
  });
}

/**
 * Every route the plugin serves, found in the router itself rather than listed by hand,
 * so that a route added later is covered without anyone remembering to: each answers 401
 * without credentials, and each asks the permission framework before it answers. The
 * code host callback is the one exception, checked by its own means (a state the
 * portal issued).
 */
describe('every route of the DevOps router', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  // The handlers only read their options when called: none are needed to list routes.
  const routes = routesOf(createRouter({} as RouterOptions));
  let backend: DevopsTestBackend;
  const values: Record<string, string> = { provider: 'github' };

  beforeAll(async () => {
    backend = await DevopsTestBackend.start(await databases.init('SQLITE_3'));
    const pipeline = await backend.createPipeline(pipelineDocument());
    const run = await backend.startRun(pipeline.status.id);
    await backend.waitForRun(run.id);
    Object.assign(values, {
      id: pipeline.status.id,
      pipelineId: pipeline.status.id,
      runId: run.id,
      name: 'no-such-cluster',
    });
  });
  afterAll(() => backend?.stop());

  const urlOf = (route: Route) =>
    `/api/devops${route.path.replace(/:(\w+)/g, (_, name) => {
      if (!values[name]) throw new Error(`No test value for :${name}`);
      return encodeURIComponent(values[name]);
    })}`;
  /**
   * Valid bodies where a route must read the body to know what to authorize: creating
   * checks the permission for the document's entity. Others get an empty one.
   */
  const bodies: Record<string, () => object | string> = {
    'post /pipelines': () => pipelineDocument(),
    'post /pipelines/import': () => stringifyYaml(pipelineDocument()),
  };
  /** Queries a route needs before it knows what to authorize. */
  const queries: Record<string, string> = {
    'get /pipelines/deploy-targets': '?entityRef=component:default/jack-2048',
    'get /pipelines/deploy-targets/namespaces':
      '?entityRef=component:default/jack-2048&target=local',
    'get /charts/versions':
      '?chart=jack-2048&entityRef=component:default/jack-2048',
  };
  const send = (route: Route, authorization?: string) => {
    const req = (backend.http as any)[route.method](
      `${urlOf(route)}${queries[`${route.method} ${route.path}`] ?? ''}`,
    );
    if (authorization) req.set('Authorization', authorization);
    if (route.method === 'get' || route.method === 'delete') return req;
    const body = bodies[`${route.method} ${route.path}`]?.() ?? {};
    return typeof body === 'string'
      ? req.set('Content-Type', 'application/yaml').send(body)
      : req.send(body);
  };
  const isCallback = (route: Route) =>
    CODE_HOST_PROVIDERS.some(provider =>
      CALLBACK_PATHS.includes(route.path.replace(':provider', provider)),
    );
  const guarded = routes.filter(route => !isCallback(route));

  it('finds the routes', () => {
    expect(routes.length).toBeGreaterThan(25);
    expect(routes).toContainEqual({ method: 'get', path: '/pipelines' });
    expect(routes).toContainEqual({
      method: 'get',
      path: '/repositories/:provider/redirect',
    });
  });

  it.each(
    guarded.map(route => [
      `${route.method.toUpperCase()} ${route.path}`,
      route,
    ]),
  )('%s answers 401 without credentials', async (_, route) => {
    const res = await send(route as Route, mockCredentials.none.header());
    expect(res.status).toBe(401);
  });

  it.each(
    guarded.map(route => [
      `${route.method.toUpperCase()} ${route.path}`,
      route,
    ]),
  )(
    '%s asks the permission framework, and a denial lets nothing through',
    async (_, route) => {
      const asked: string[] = [];
      backend.setPermissions(name => {
        asked.push(name);
        return { result: AuthorizeResult.DENY };
      });
      try {
        const res = await send(route as Route);
        expect({ route, asked: asked.length > 0 }).toEqual({
          route,
          asked: true,
        });
        expect(res.status).toBeLessThan(500);
        // Only lists answer, with nothing in them, and the question whether one may
        // create a pipeline, with no.
        const answered =
          res.status < 300
            ? { method: route.method, items: res.body.items ?? res.body }
            : null;
        expect([
          null,
          { method: 'get', items: [] },
          { method: 'get', items: { allowed: false } },
        ]).toContainEqual(answered);
      } finally {
        backend.resetPermissions();
      }
    },
  );

  it('the code host callback, without a token, accepts only a state the portal issued', async () => {
    for (const path of CALLBACK_PATHS) {
      const res = await backend.http
        .get(`/api/devops${path}?state=forged&code=x`)
        .set('Authorization', mockCredentials.none.header());
      expect(res.status).toBe(302);
      expect(new URL(res.headers.location).searchParams.get('problem')).toBe(
        'This authorization was used already or has expired; connect again',
      );
    }
  });
});
