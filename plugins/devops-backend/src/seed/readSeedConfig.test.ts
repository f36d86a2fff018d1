import { ConfigReader } from '@backstage/config';
import { readSeedCreator, readSeedDirectories } from './readSeedConfig';

const devops = (seed: object) => new ConfigReader({ seed });

describe('readSeedDirectories', () => {
  it('takes paths, and folders with a creator of their own', () => {
    expect(
      readSeedDirectories(
        devops({
          directories: [
            'examples/pipelines',
            { path: 'examples/pipelines/nora', createdBy: 'user:Nora' },
            { path: 'examples/other' },
          ],
        }),
      ),
    ).toEqual([
      { path: 'examples/pipelines' },
      // As the policy compares it with a signed-in user's ref.
      { path: 'examples/pipelines/nora', createdBy: 'user:default/nora' },
      { path: 'examples/other' },
    ]);
  });

  it('reads nothing without config', () => {
    expect(readSeedDirectories(undefined)).toEqual([]);
    expect(readSeedDirectories(devops({}))).toEqual([]);
  });

  it.each([
    [{ directories: 'examples' }, 'devops.seed.directories: must be a list'],
    [{ directories: [3] }, 'devops.seed.directories[0]: must be a folder'],
    [
      { directories: [{ createdBy: 'user:default/nora' }] },
      'devops.seed.directories[0].path: must be a folder',
    ],
    [
      { directories: [{ path: 'x', owner: 'nora' }] },
      'devops.seed.directories[0]: unknown field owner (known: path, createdBy)',
    ],
    [
      { directories: ['a', { path: 'x', createdBy: 'user:' }] },
      'devops.seed.directories[1].createdBy: "user:" is not an entity ref such as user:default/nora',
    ],
  ])('refuses %j, naming the entry', (seed, message) => {
    expect(() => readSeedDirectories(devops(seed))).toThrow(message);
  });
});

describe('readSeedCreator', () => {
  it('completes and lower-cases the ref', () => {
    expect(readSeedCreator(devops({ createdBy: 'user:Guest' }))).toBe(
      'user:default/guest',
    );
    expect(readSeedCreator(devops({}))).toBeUndefined();
  });

  it('refuses what is not an entity ref', () => {
    expect(() => readSeedCreator(devops({ createdBy: 42 }))).toThrow(
      'devops.seed.createdBy: 42 is not an entity ref such as user:default/nora',
    );
  });
});
