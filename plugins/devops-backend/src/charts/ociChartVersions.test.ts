import { ChartVersionReader } from './ChartVersionReader';
import { OciRegistryStandIn } from './__testUtils__/OciRegistryStandIn';

/** Chart versions as tags of `<path>/<chart>` in an OCI registry, where helm push puts them. */
describe('ChartVersionReader of an oci repository', () => {
  let registry: OciRegistryStandIn;

  beforeEach(async () => {
    registry = await OciRegistryStandIn.start();
    // What `helm push web-app-<version>.tgz oci://<host>/charts` leaves, and a signature
    // a signing tool pushed beside it.
    registry.repositories.set('charts/web-app', [
      '0.9.0',
      '1.0.0',
      '1.1.0-rc.1',
      '1.1.0_build.7',
      'sha256-4f1c0a3b.sig',
    ]);
    registry.repositories.set('charts/internal', ['1.0.0']);
    registry.publicRepositories.add('charts/web-app');
  });
  afterEach(() => registry.stop());

  const url = () => `oci://${registry.host}/charts`;
  // The stand-in speaks plain HTTP, as a registry `helm --plain-http` is used with.
  const versionsOf = () =>
    new ChartVersionReader({
      repository: { type: 'oci', url: url() },
      plainHttp: true,
    });

  it('lists the tags with an anonymous token, "_" turned back into "+", newest first', async () => {
    expect(await versionsOf().list('web-app')).toEqual({
      versions: [
        '1.1.0+build.7',
        '1.1.0-rc.1',
        '1.0.0',
        '0.9.0',
        'sha256-4f1c0a3b.sig',
      ],
    });
    expect(registry.requests).toEqual([
      '/v2/charts/web-app/tags/list',
      `/token?service=${OciRegistryStandIn.SERVICE}&scope=${encodeURIComponent(
        'repository:charts/web-app:pull',
      )}`,
      '/v2/charts/web-app/tags/list',
    ]);
  });

  it('takes the token as OAuth 2 names it too, and follows the pages of tags', async () => {
    registry.tokenField = 'access_token';
    registry.pageSize = 2;

    expect((await versionsOf().list('web-app')).versions).toHaveLength(5);
    expect(registry.requests.slice(2)).toEqual([
      '/v2/charts/web-app/tags/list',
      '/v2/charts/web-app/tags/list?n=2&last=1.0.0',
      '/v2/charts/web-app/tags/list?n=2&last=1.1.0_build.7',
    ]);
  });

  it('has no versions of a chart the registry does not hold', async () => {
    registry.publicRepositories.add('charts/no-such-chart');
    expect(await versionsOf().list('no-such-chart')).toEqual({ versions: [] });
  });

  it('says so when the registry refuses an anonymous token', async () => {
    expect(await versionsOf().list('internal')).toEqual({
      versions: [],
      unavailable: `The chart repository ${url()} asks for credentials the portal does not have, so its versions cannot be listed here`,
    });
  });
});
