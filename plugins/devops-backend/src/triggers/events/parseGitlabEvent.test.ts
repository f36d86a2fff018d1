import { parseGitlabEvent } from './parseGitlabEvent';
import mergeRequestHook from './__fixtures__/gitlab/merge_request.json';
import pushHook from './__fixtures__/gitlab/push.json';
import tagPushHook from './__fixtures__/gitlab/tag_push.json';

// The fixtures are the payload examples of GitLab's documentation, "Webhook events"
// (https://docs.gitlab.com/user/project/integrations/webhook_events/): "Push events",
// "Tag events" and "Merge request events", copied unchanged.

const NULL_ID = '0000000000000000000000000000000000000000';

/** The documented merge request (action `open`) as GitLab sends it once merged. */
function mergedRequest() {
  return {
    ...mergeRequestHook,
    object_attributes: {
      ...mergeRequestHook.object_attributes,
      state: 'merged',
      action: 'merge',
      merge_commit_sha: '4c8f0d9b5a8f3c7e1d2b6a9e0f1c3d5b7a9e2c4f',
    },
  };
}

describe('parseGitlabEvent', () => {
  it('reads a branch push', () => {
    expect(parseGitlabEvent(pushHook, 'uuid-1')).toEqual({
      provider: 'gitlab',
      deliveryId: 'uuid-1',
      repositoryUrls: [
        'http://example.com/mike/diaspora',
        'http://example.com/mike/diaspora.git',
        'git@example.com:mike/diaspora.git',
      ],
      kind: 'push',
      branch: 'master',
      commit: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      deleted: false,
    });
  });

  it('reads a branch deletion', () => {
    // Deleting a branch sends the documented push with a null `after` and checkout_sha.
    const payload = {
      ...pushHook,
      ref: 'refs/heads/feature/old',
      after: NULL_ID,
      checkout_sha: null,
      commits: [],
      total_commits_count: 0,
    };

    expect(parseGitlabEvent(payload)).toMatchObject({
      kind: 'push',
      branch: 'feature/old',
      deleted: true,
    });
  });

  it('reads a tag push', () => {
    expect(parseGitlabEvent(tagPushHook, 'uuid-2')).toEqual({
      provider: 'gitlab',
      deliveryId: 'uuid-2',
      repositoryUrls: [
        'http://example.com/jsmith/example',
        'http://example.com/jsmith/example.git',
        'git@example.com:jsmith/example.git',
      ],
      kind: 'tag',
      tag: 'v1.0.0',
      commit: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
      deleted: false,
    });
  });

  it('takes the commit an annotated tag points to, not the tag object', () => {
    // The documented tag is lightweight; for an annotated one `after` is the tag object.
    const payload = {
      ...tagPushHook,
      after: '9a1f2c3b4d5e6f708192a3b4c5d6e7f809a1b2c3',
    };

    expect(parseGitlabEvent(payload)).toMatchObject({
      kind: 'tag',
      commit: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
      deleted: false,
    });
  });

  it('reads a tag deletion', () => {
    const payload = {
      ...tagPushHook,
      before: '82b3d5ae55f7080f1e6022629cdb57bfae7cccc7',
      after: NULL_ID,
      checkout_sha: null,
    };

    expect(parseGitlabEvent(payload)).toMatchObject({
      kind: 'tag',
      tag: 'v1.0.0',
      deleted: true,
    });
  });

  it('reads a merged merge request as a merge into its target branch', () => {
    // The documented example is an opened request; merging changes these attributes.
    expect(parseGitlabEvent(mergedRequest(), 'uuid-3')).toEqual({
      provider: 'gitlab',
      deliveryId: 'uuid-3',
      repositoryUrls: [
        'http://example.com/gitlabhq/gitlab-test',
        'http://example.com/gitlabhq/gitlab-test.git',
        'git@example.com:gitlabhq/gitlab-test.git',
      ],
      kind: 'merge',
      branch: 'master',
      commit: '4c8f0d9b5a8f3c7e1d2b6a9e0f1c3d5b7a9e2c4f',
      number: 1,
    });
  });

  it('ignores the documented opened merge request', () => {
    expect(mergeRequestHook.object_attributes.action).toBe('open');
    expect(parseGitlabEvent(mergeRequestHook)).toBeUndefined();
  });

  it('ignores an update of a request that was merged before', () => {
    const merged = mergedRequest();
    const payload = {
      ...merged,
      object_attributes: { ...merged.object_attributes, action: 'update' },
    };

    expect(parseGitlabEvent(payload)).toBeUndefined();
  });

  it('dispatches on event_name when object_kind is missing', () => {
    const { object_kind: _, ...payload } = tagPushHook;
    expect(parseGitlabEvent(payload)).toMatchObject({ kind: 'tag' });
  });

  it('ignores events that start no pipeline', () => {
    expect(
      parseGitlabEvent({ ...pushHook, object_kind: 'pipeline' }),
    ).toBeUndefined();
    expect(
      parseGitlabEvent({ ...pushHook, object_kind: 'note' }),
    ).toBeUndefined();
  });

  it('ignores a push whose ref does not fit its kind', () => {
    expect(
      parseGitlabEvent({ ...pushHook, ref: 'refs/tags/v1.0.0' }),
    ).toBeUndefined();
    expect(
      parseGitlabEvent({ ...tagPushHook, ref: 'refs/heads/master' }),
    ).toBeUndefined();
  });

  it.each([
    ['no object', 'push'],
    ['null', null],
    ['a push without after', { ...pushHook, after: undefined }],
    ['a numeric ref', { ...pushHook, ref: 1 }],
    ['a commit that is no object id', { ...pushHook, after: 'main' }],
    ['a line break in the ref', { ...pushHook, ref: 'refs/heads/ma\nin' }],
    [
      'a merge without iid',
      {
        ...mergedRequest(),
        object_attributes: { ...mergedRequest().object_attributes, iid: '1' },
      },
    ],
  ])('returns undefined for %s', (_, payload) => {
    expect(parseGitlabEvent(payload)).toBeUndefined();
  });
});
