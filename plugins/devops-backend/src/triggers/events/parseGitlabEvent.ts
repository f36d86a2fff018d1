import { z } from 'zod';
import { objectId, refName } from './gitNames';
import type { CodeHostEvent } from './types';

/** `after` when the push deleted the ref: git's null object id (40 or 64 zeros). */
const DELETED_REF = /^0+$/;

const BRANCH_REF = /^refs\/heads\/(.+)$/;
const TAG_REF = /^refs\/tags\/(.+)$/;

/** A URL field kept only when it is a string, so one odd field does not void the event. */
const url = z.string().optional().catch(undefined);

/** Where GitLab names the repository: `project`, and `repository`, kept for old receivers. */
const locationSchema = z.object({
  project: z
    .object({ web_url: url, git_http_url: url, git_ssh_url: url })
    .nullish(),
  repository: z
    .object({ homepage: url, git_http_url: url, git_ssh_url: url })
    .nullish(),
});

const refPushSchema = locationSchema.extend({
  ref: refName,
  after: objectId,
  checkout_sha: objectId.nullish(),
});

const mergeRequestSchema = locationSchema.extend({
  object_attributes: z.object({
    action: z.string().nullish(),
    iid: z.number().int().positive(),
    target_branch: refName,
    merge_commit_sha: objectId.nullish(),
  }),
});

/**
 * A GitLab webhook delivery as an event that can start pipelines: a push to a branch, a
 * tag push, or a merge request merged. Anything else, and anything malformed, is
 * undefined: the payload comes from the network.
 */
export function parseGitlabEvent(
  payload: unknown,
  eventUuid?: string,
): CodeHostEvent | undefined {
  const common = {
    provider: 'gitlab' as const,
    ...(eventUuid ? { deliveryId: eventUuid } : {}),
  };
  switch (objectKind(payload)) {
    case 'push': {
      const parsed = refPushSchema.safeParse(payload);
      const branch = parsed.success && BRANCH_REF.exec(parsed.data.ref)?.[1];
      if (!parsed.success || !branch) return undefined;
      const { after } = parsed.data;
      return {
        ...common,
        repositoryUrls: urlsOf(parsed.data),
        kind: 'push',
        branch,
        commit: after,
        deleted: DELETED_REF.test(after),
      };
    }
    case 'tag_push': {
      const parsed = refPushSchema.safeParse(payload);
      const tag = parsed.success && TAG_REF.exec(parsed.data.ref)?.[1];
      if (!parsed.success || !tag) return undefined;
      const { after, checkout_sha: checkoutSha } = parsed.data;
      return {
        ...common,
        repositoryUrls: urlsOf(parsed.data),
        kind: 'tag',
        tag,
        // For an annotated tag `after` is the tag object; checkout_sha is the commit it
        // points to. A deleted tag has no checkout_sha, and `after` is the null id.
        commit: checkoutSha ?? after,
        deleted: DELETED_REF.test(after),
      };
    }
    case 'merge_request': {
      const parsed = mergeRequestSchema.safeParse(payload);
      if (!parsed.success) return undefined;
      const attributes = parsed.data.object_attributes;
      // `merge` is sent once, when the merge happened; updates of a merged request
      // (labels, comments) keep the state `merged` but carry another action.
      if (attributes.action !== 'merge' || !attributes.merge_commit_sha) {
        return undefined;
      }
      return {
        ...common,
        repositoryUrls: urlsOf(parsed.data),
        kind: 'merge',
        branch: attributes.target_branch,
        commit: attributes.merge_commit_sha,
        number: attributes.iid,
      };
    }
    default:
      return undefined;
  }
}

/** `object_kind`, or `event_name` (sent by push and tag hooks too). */
function objectKind(payload: unknown): unknown {
  if (typeof payload !== 'object' || payload === null) return undefined;
  const { object_kind: kind, event_name: eventName } = payload as Record<
    string,
    unknown
  >;
  return kind ?? eventName;
}

function urlsOf({ project, repository }: z.infer<typeof locationSchema>) {
  const urls = [
    project?.web_url,
    project?.git_http_url,
    project?.git_ssh_url,
    repository?.homepage,
    repository?.git_http_url,
    repository?.git_ssh_url,
  ].filter((value): value is string => !!value);
  // `project` and `repository` repeat most URLs.
  return [...new Set(urls)];
}
