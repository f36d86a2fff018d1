import type {
  CodeHostBranch,
  CodeHostRepository,
} from '@devops-pipelines/plugin-devops-common';
import type { CodeHostCall } from '../../triggers/codeHosts/codeHostErrors';

/** A host's REST API with the credentials a list is read with. */
export type HostApi = {
  call: CodeHostCall;
  apiBaseUrl: string;
  headers: Record<string, string>;
};

export type ListQuery = {
  /** Part of the name to look for; empty lists everything. */
  search: string;
  /** From 1. */
  page: number;
  perPage: number;
};

export type ListPage<T> = { items: T[]; nextPage?: number };

/** One code host's repository and branch lists. */
export type RepositoryLister = {
  /** The headers that authenticate a request with `token`. */
  authorization(token: string): Record<string, string>;
  /** The repositories the credentials may read. */
  repositories(
    api: HostApi,
    query: ListQuery,
  ): Promise<ListPage<CodeHostRepository>>;
  /** The branches of the repository at `path` (`owner/repo`, `group/sub/project`). */
  branches(
    api: HostApi,
    path: string,
    query: ListQuery,
  ): Promise<ListPage<CodeHostBranch>>;
};

/** The page of an already complete list. */
export function pageOf<T>(all: T[], query: ListQuery): ListPage<T> {
  const start = (query.page - 1) * query.perPage;
  return {
    items: all.slice(start, start + query.perPage),
    nextPage: all.length > start + query.perPage ? query.page + 1 : undefined,
  };
}
