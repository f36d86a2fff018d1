import { z } from 'zod';
import { objectId, refName } from './gitNames';
import type { CodeHostEvent } from './types';

/** `after` when the push deleted the ref: git's null object id (40 or 64 zeros). */
const DELETED_REF = /^0+$/;

const BRANCH_REF = /^refs\/heads\/(.+)$/;
const TAG_REF = /^refs\/tags\/(.+)$/;

/** A URL field kept only when it is a string, so one odd field does not void the event. */
const url = z.string().optional().catch(undefined);

const repositorySchema = z.object({
  html_url: url,
  clone_url: url,
  ssh_url: url,
  git_url: url,
});

const pushSchema = z.object({
  ref: refName,
  after: objectId,
  head_commit: z.object({ id: objectId }).nullish(),
  repository: repositorySchema,
});

const pullRequestSchema = z.object({
  action: z.string(),
  pull_request: z.object({
    number: z.number().int().positive(),
    merged: z.boolean().nullish(),
    merge_commit_sha: objectId.nullish(),
    base: z.object({ ref: refName }),
  }),
  repository: repositorySchema,
});

/**
 * A GitHub webhook delivery (`eventName` is its X-GitHub-Event header) as an event that
 * can start pipelines: a push to a branch, a tag pushed, or a pull request merged.
 * Anything else, and anything malformed, is undefined: the payload comes from the network.
 */
export function parseGithubEvent(
  eventName: string,
  payload: unknown,
  deliveryId?: string,
): CodeHostEvent | undefined {
  const common = {
    provider: 'github' as const,
    ...(deliveryId ? { deliveryId } : {}),
  };
  if (eventName === 'push') {
    const parsed = pushSchema.safeParse(payload);
    if (!parsed.success) return undefined;
    const { ref, after, head_commit: headCommit, repository } = parsed.data;
    const deleted = DELETED_REF.test(after);
    const repositoryUrls = urlsOf(repository);
    const branch = BRANCH_REF.exec(ref)?.[1];
    if (branch) {
      return {
        ...common,
        repositoryUrls,
        kind: 'push',
        branch,
        commit: after,
        deleted,
      };
    }
    const tag = TAG_REF.exec(ref)?.[1];
    if (tag) {
      // GitHub sends this push for every tag that appears, whether from git, a release or
      // the API. For an annotated tag `after` is the tag object, not a commit; head_commit
      // is the commit the tag points to, and GitHub sets it on every tag creation since
      // 2021. Only a deleted tag has none, and then `after` is the null id either way.
      const commit = headCommit?.id ?? after;
      return { ...common, repositoryUrls, kind: 'tag', tag, commit, deleted };
    }
    return undefined;
  }
  if (eventName === 'pull_request') {
    const parsed = pullRequestSchema.safeParse(payload);
    if (!parsed.success) return undefined;
    const { action, pull_request: pullRequest, repository } = parsed.data;
    // A merged pull request arrives as `closed` with `merged`; closing unmerged does not.
    if (action !== 'closed' || !pullRequest.merged) return undefined;
    if (!pullRequest.merge_commit_sha) return undefined;
    return {
      ...common,
      repositoryUrls: urlsOf(repository),
      kind: 'merge',
      branch: pullRequest.base.ref,
      commit: pullRequest.merge_commit_sha,
      number: pullRequest.number,
    };
  }
  return undefined;
}

function urlsOf(repository: z.infer<typeof repositorySchema>): string[] {
  return [
    repository.html_url,
    repository.clone_url,
    repository.ssh_url,
    repository.git_url,
  ].filter((value): value is string => !!value);
}
