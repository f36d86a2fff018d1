import webhooks from '@octokit/webhooks-examples';
import { parseGithubEvent } from './parseGithubEvent';

// GitHub's documented example payloads, as @octokit/webhooks-examples publishes them.
function example(name: string, matches: (payload: any) => boolean): any {
  const found = webhooks
    .find(definition => definition.name === name)
    ?.examples.find(payload => matches(payload));
  if (!found) throw new Error(`@octokit/webhooks-examples has no such ${name}`);
  return structuredClone(found);
}

const branchPush = () =>
  example('push', p => p.ref === 'refs/heads/master' && !p.deleted);
const tagCreated = () =>
  example('push', p => p.ref === 'refs/tags/simple-tag' && p.created);
const tagDeleted = () =>
  example('push', p => p.ref === 'refs/tags/simple-tag' && p.deleted);
const pullRequest = (action: string) =>
  example('pull_request', p => p.action === action);

const HELLO_WORLD_URLS = [
  'https://github.com/Codertocat/Hello-World',
  'https://github.com/Codertocat/Hello-World.git',
  'git@github.com:Codertocat/Hello-World.git',
  'git://github.com/Codertocat/Hello-World.git',
];

describe('parseGithubEvent', () => {
  it('reads a branch push', () => {
    expect(parseGithubEvent('push', branchPush(), 'delivery-1')).toEqual({
      provider: 'github',
      deliveryId: 'delivery-1',
      repositoryUrls: HELLO_WORLD_URLS,
      kind: 'push',
      branch: 'master',
      commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      deleted: false,
    });
  });

  it('reads a branch deletion', () => {
    // The package has no branch deletion; its tag deletion with the ref of a branch is one.
    const payload = { ...tagDeleted(), ref: 'refs/heads/feature/old' };

    expect(parseGithubEvent('push', payload)).toMatchObject({
      kind: 'push',
      branch: 'feature/old',
      commit: '0000000000000000000000000000000000000000',
      deleted: true,
    });
  });

  it('reads a lightweight tag push', () => {
    expect(parseGithubEvent('push', tagCreated())).toEqual({
      provider: 'github',
      repositoryUrls: HELLO_WORLD_URLS,
      kind: 'tag',
      tag: 'simple-tag',
      commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      deleted: false,
    });
  });

  it('takes the commit an annotated tag points to, not the tag object', () => {
    // The example's tag is lightweight; for an annotated one only `after` differs.
    const payload = {
      ...tagCreated(),
      after: '4ed0f6a8fbd1cd5d5fc1d4f64acdfc4a3a84c2f5',
    };

    expect(parseGithubEvent('push', payload)).toMatchObject({
      kind: 'tag',
      commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    });
  });

  it('reads a tag deletion', () => {
    expect(parseGithubEvent('push', tagDeleted())).toMatchObject({
      kind: 'tag',
      tag: 'simple-tag',
      deleted: true,
    });
  });

  it('reads a merged pull request as a merge into its base branch', () => {
    // The package's closed pull requests are all unmerged; merging sets only these.
    const closed = pullRequest('closed');
    const payload = {
      ...closed,
      pull_request: {
        ...closed.pull_request,
        merged: true,
        merged_at: '2019-05-15T15:20:40Z',
      },
    };

    expect(parseGithubEvent('pull_request', payload, 'delivery-2')).toEqual({
      provider: 'github',
      deliveryId: 'delivery-2',
      repositoryUrls: HELLO_WORLD_URLS,
      kind: 'merge',
      branch: 'master',
      commit: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85',
      number: 2,
    });
  });

  it('ignores a pull request closed without being merged', () => {
    const payload = pullRequest('closed');
    expect(payload.pull_request.merged).toBe(false);

    expect(parseGithubEvent('pull_request', payload)).toBeUndefined();
  });

  it.each(['opened', 'synchronize', 'labeled'])(
    'ignores the pull request action %s',
    action => {
      expect(
        parseGithubEvent('pull_request', pullRequest(action)),
      ).toBeUndefined();
    },
  );

  it('ignores events that start no pipeline', () => {
    const ping = example('ping', () => true);
    const create = example('create', () => true);

    expect(parseGithubEvent('ping', ping)).toBeUndefined();
    expect(parseGithubEvent('create', create)).toBeUndefined();
    // A push payload under another event name is still not a push.
    expect(parseGithubEvent('issues', branchPush())).toBeUndefined();
  });

  it('ignores a push to a ref that is neither a branch nor a tag', () => {
    const payload = { ...branchPush(), ref: 'refs/notes/commits' };
    expect(parseGithubEvent('push', payload)).toBeUndefined();
  });

  it('keeps only the repository URLs that are strings', () => {
    const push = branchPush();
    const payload = {
      ...push,
      repository: { ...push.repository, ssh_url: null, git_url: 42 },
    };

    expect(parseGithubEvent('push', payload)?.repositoryUrls).toEqual([
      'https://github.com/Codertocat/Hello-World',
      'https://github.com/Codertocat/Hello-World.git',
    ]);
  });

  it.each([
    ['no object', 'push', 'not json'],
    ['null', 'push', null],
    ['a push without after', 'push', { ...branchPush(), after: undefined }],
    ['a numeric ref', 'push', { ...branchPush(), ref: 7 }],
    ['a push without repository', 'push', { ...branchPush(), repository: 1 }],
    [
      'a commit that is no object id',
      'push',
      { ...branchPush(), after: 'x'.repeat(65) },
    ],
    [
      'a NUL in the ref',
      'push',
      { ...branchPush(), ref: 'refs/heads/ma\u0000in' },
    ],
    [
      'a merged pull request without number',
      'pull_request',
      {
        ...pullRequest('closed'),
        pull_request: {
          merged: true,
          merge_commit_sha: 'c4295bd74fb0f4fda03689c3df3f2803b658fd85',
          base: { ref: 'master' },
        },
      },
    ],
  ])('returns undefined for %s', (_, eventName, payload) => {
    expect(parseGithubEvent(eventName, payload)).toBeUndefined();
  });
});
