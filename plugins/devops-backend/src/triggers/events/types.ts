import type { CodeHostProvider } from '../types';

export type { CodeHostProvider };

/** A code host delivery that can start pipelines, in the same shape for every provider. */
export type CodeHostEvent = {
  provider: CodeHostProvider;
  /** X-GitHub-Delivery / X-Gitlab-Event-UUID: the same delivery sent again has the same id. */
  deliveryId?: string;
  /** Every URL the host gives for the repository (web page, https clone, ssh clone), as sent. */
  repositoryUrls: string[];
} & (
  | { kind: 'push'; branch: string; commit: string; deleted: boolean }
  /** A pull / merge request merged into `branch`; `commit` is the merge commit. */
  | { kind: 'merge'; branch: string; commit: string; number: number }
  | { kind: 'tag'; tag: string; commit: string; deleted: boolean }
);
