import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChartVersionReader, ChartVersionReaderOptions } from './ChartVersionReader';
import { ChartIndexServer } from './__testUtils__/ChartIndexServer';

/** A chart repository served over HTTP (ChartMuseum's type): its index.yaml is read. */
describe('ChartVersionReader of a chartmuseum repository', () => {
  let repository: ChartIndexServer;

  beforeEach(async () => {
    repository = await ChartIndexServer.start();
  });
  afterEach(() => repository.stop());

  const versionsOf = (options: Partial<ChartVersionReaderOptions> = {}) =>
    new ChartVersionReader({
      repository: { type: 'chartmuseum', url: repository.url },
      ...options,
    });
  const unavailable = (reason: string) => ({
    versions: [],
    unavailable: `The chart repository ${repository.url} ${reason}, so its versions cannot be listed here`,
  });

  it('lists the versions of the chart from /index.yaml, newest first by SemVer', async () => {
    expect(await versionsOf().list('web-app')).toEqual({
      versions: ['2.0.0-rc.1', '1.10.0', '1.9.3', '1.2.0', '0.1.0'],
    });
    expect(await versionsOf().list('worker')).toEqual({ versions: ['3.0.0'] });
    expect(repository.requests).toEqual(['/index.yaml', '/index.yaml']);
  });

  it('has no versions of a chart the index does not name', async () => {
    expect(await versionsOf().list('no-such-chart')).toEqual({ versions: [] });
    // An object's inherited keys are not charts.
    expect(await versionsOf().list('constructor')).toEqual({ versions: [] });
  });

  it('says so when the repository asks for credentials', async () => {
    repository.answer = 'credentials';
    expect(await versionsOf().list('web-app')).toEqual(
      unavailable('asks for credentials the portal does not have'),
    );
  });

  it('says so when the repository does not answer in time', async () => {
    repository.answer = 'silence';
    expect(await versionsOf({ timeoutMs: 200 }).list('web-app')).toEqual(
      unavailable('did not answer within 0.2 seconds'),
    );
  });

  it('says so when nothing listens at the repository URL', async () => {
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}`;
    await new Promise(resolve => closed.close(resolve));

    const answer = await new ChartVersionReader({
      repository: { type: 'chartmuseum', url },
    }).list('web-app');

    expect(answer.versions).toEqual([]);
    expect(answer.unavailable).toMatch(
      new RegExp(
        `^The chart repository ${url} could not be reached \\(.*ECONNREFUSED.*\\), so its versions cannot be listed here$`,
      ),
    );
  });

  it('says so when the index is not YAML, or not an index', async () => {
    repository.answer = { body: 'entries: [unclosed' };
    expect((await versionsOf().list('web-app')).unavailable).toMatch(
      /^The chart repository \S+ sent an index.yaml that is not a Helm chart repository index \(Flow sequence in block collection must be sufficiently indented and end with a \] at line 1, column 19:\)/,
    );

    // A login page a proxy sends instead, for one.
    repository.answer = { body: '<html><body>Sign in</body></html>' };
    expect(await versionsOf().list('web-app')).toEqual(
      unavailable(
        'sent an index.yaml that is not a Helm chart repository index (it has no entries)',
      ),
    );

    repository.answer = {
      body: 'apiVersion: v1\nentries:\n  web-app: 1.0.0\n',
    };
    expect(await versionsOf().list('web-app')).toEqual(
      unavailable(
        'sent an index.yaml that is not a Helm chart repository index (entries.web-app is not a list of chart versions)',
      ),
    );
  });

  it('reads no more than 20 MB of an index', async () => {
    repository.answer = { body: `# ${'-'.repeat(20 * 1024 * 1024)}` };
    expect(await versionsOf().list('web-app')).toEqual(
      unavailable('sent an answer larger than 20 MB'),
    );
  });

  it('resolves no YAML aliases, so that a few cannot expand into gigabytes', async () => {
    const levels = Array.from(
      { length: 9 },
      (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(',')}]`,
    );
    repository.answer = {
      body: ['apiVersion: v1', 'l0: &l0 [x]', ...levels, 'entries: {}'].join(
        '\n',
      ),
    };
    expect(await versionsOf().list('web-app')).toEqual(
      unavailable(
        'sent an index.yaml that is not a Helm chart repository index (Alias resolution is disabled)',
      ),
    );
  });

  it('asks the repository once a minute per chart, however often the dialog asks', async () => {
    let now = 0;
    const versions = versionsOf({ now: () => now });

    const [first, second] = await Promise.all([
      versions.list('web-app'),
      versions.list('web-app'),
    ]);
    now = 59_000;
    expect(await versions.list('web-app')).toEqual(first);
    expect(second).toEqual(first);
    expect(repository.requests).toHaveLength(1);

    // An answer that said the repository was unavailable is kept as long.
    repository.answer = 'credentials';
    await versions.list('worker');
    now = 61_000;
    expect(await versions.list('web-app')).toEqual(
      unavailable('asks for credentials the portal does not have'),
    );
    expect(repository.requests).toHaveLength(3);
  });
});

describe('ChartVersionReader without a chart repository', () => {
  it('says that none is configured', async () => {
    expect(await new ChartVersionReader({}).list('web-app')).toEqual({
      versions: [],
      unavailable:
        'No chart repository is configured (devops.chartRepository), so the portal cannot list chart versions (the portal admin may configure one)',
    });
  });
});
