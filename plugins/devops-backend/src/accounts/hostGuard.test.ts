import { checkHostUrl } from './hostGuard';

describe('checkHostUrl', () => {
  it('takes a public https address, without its trailing slash', async () => {
    await expect(checkHostUrl('https://140.82.112.3/', [])).resolves.toBe(
      'https://140.82.112.3',
    );
    await expect(
      checkHostUrl('https://140.82.112.3/gitlab/', []),
    ).resolves.toBe('https://140.82.112.3/gitlab');
  });

  it.each([
    [
      'https://localhost',
      /^localhost is an internal address \((127\.0\.0\.1|::1)\)/,
    ],
    ['https://[::1]:8443', /^\[::1\] is an internal address \(::1\)/],
    ['https://169.254.169.254', /^169\.254\.169\.254 is an internal address/],
    ['https://192.168.10.4', /^192\.168\.10\.4 is an internal address/],
    ['https://[::ffff:10.0.0.1]', /is an internal address/],
  ])('refuses %s, which is inside the portal network', async (url, message) => {
    await expect(checkHostUrl(url, [])).rejects.toThrow(message);
  });

  it('lets the hosts the admin listed through, over http too', async () => {
    await expect(
      checkHostUrl('http://gitlab.corp.internal', ['gitlab.corp.internal']),
    ).resolves.toBe('http://gitlab.corp.internal');
  });

  it('refuses what is not a plain https address of a host', async () => {
    await expect(checkHostUrl('gitlab.example.com', [])).rejects.toThrow(
      '"gitlab.example.com" is not a URL',
    );
    await expect(checkHostUrl('http://140.82.112.3', [])).rejects.toThrow(
      'http://140.82.112.3 is not an https:// address',
    );
    await expect(
      checkHostUrl('https://user:pw@140.82.112.3', []),
    ).rejects.toThrow('without credentials, query or fragment');
    await expect(
      checkHostUrl('ftp://gitlab.corp', ['gitlab.corp']),
    ).rejects.toThrow('is not an http(s) address');
  });
});
