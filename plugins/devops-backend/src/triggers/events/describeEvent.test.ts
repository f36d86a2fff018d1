import { describeEvent } from './describeEvent';

describe('describeEvent', () => {
  const repositoryUrls = ['https://github.com/octo/app'];

  it('names a push by its short commit and branch', () => {
    expect(
      describeEvent({
        provider: 'github',
        repositoryUrls,
        kind: 'push',
        branch: 'main',
        commit: 'a6a1647045f2c9d8b1e3f0a7c4d2b5e8f9a0c1d3',
        deleted: false,
      }),
    ).toBe('push a6a16470 to main');
  });

  it.each([
    ['github', 'merge of #12 into main'],
    ['gitlab', 'merge of !12 into main'],
  ] as const)('writes a merge on %s in its notation', (provider, text) => {
    expect(
      describeEvent({
        provider,
        repositoryUrls,
        kind: 'merge',
        branch: 'main',
        commit: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85',
        number: 12,
      }),
    ).toBe(text);
  });

  it('names a tag', () => {
    expect(
      describeEvent({
        provider: 'gitlab',
        repositoryUrls,
        kind: 'tag',
        tag: 'v1.2.0',
        commit: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
        deleted: false,
      }),
    ).toBe('tag v1.2.0');
  });
});
