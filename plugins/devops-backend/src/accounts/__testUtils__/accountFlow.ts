import request from 'supertest';
import {
  DevopsTestBackend,
  userHeader,
} from '../../router/__testUtils__/devopsTestBackend';
import type { OAuthStandIn } from './OAuthStandIn';

/** The OAuth application registered on the stand-ins for the portal. */
export const TEST_APP = {
  clientId: 'Iv1.portal-app',
  clientSecret: 'portal-app-secret',
};

/** The DevOps API as a signed-in user calls it. */
export function userApi(backend: DevopsTestBackend, user: string) {
  const authorized = (test: request.Test) =>
    test.set('Authorization', userHeader(user));
  return {
    get: (path: string) => authorized(backend.http.get(`/api/devops${path}`)),
    post: (path: string, body: object) =>
      authorized(backend.http.post(`/api/devops${path}`)).send(body),
    put: (path: string, body: object) =>
      authorized(backend.http.put(`/api/devops${path}`)).send(body),
    delete: (path: string) =>
      authorized(backend.http.delete(`/api/devops${path}`)),
  };
}

/** The user's browser: the host's authorize page answers with a redirect to the callback. */
export async function authorizeInBrowser(authorizeUrl: string): Promise<URL> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(response.status).toBe(302);
  return new URL(response.headers.get('location')!);
}

/** The callback as the browser calls it: no Backstage token goes with it. */
export async function callback(
  backend: DevopsTestBackend,
  location: URL,
): Promise<URL> {
  const response = await request(backend.backend.server).get(
    `${location.pathname}${location.search}`,
  );
  expect(response.status).toBe(302);
  return new URL(response.headers.location);
}

/** Starts connecting the user's account on the stand-in; returns the authorize page. */
export async function startConnecting(
  backend: DevopsTestBackend,
  user: string,
  standIn: OAuthStandIn,
  app = TEST_APP,
): Promise<string> {
  const res = await userApi(backend, user).post(
    `/repositories/${standIn.provider}/connect`,
    { ...app, baseUrl: standIn.baseUrl },
  );
  expect(res.status).toBe(200);
  return res.body.authorizeUrl as string;
}

/** The whole flow: connect, authorize on the host, come back; returns the landing page. */
export async function connectAccount(
  backend: DevopsTestBackend,
  user: string,
  standIn: OAuthStandIn,
): Promise<URL> {
  return callback(
    backend,
    await authorizeInBrowser(await startConnecting(backend, user, standIn)),
  );
}
