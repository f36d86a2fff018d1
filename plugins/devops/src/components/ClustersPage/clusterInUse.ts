import { ResponseError } from '@backstage/errors';
import type { ClusterUser } from '../../api';

/**
 * The pipelines listed by the backend's 409 answer to an unforced unbind, or undefined
 * for any other failure.
 */
export function clusterUsersOf(error: unknown): ClusterUser[] | undefined {
  if (!(error instanceof ResponseError) || error.statusCode !== 409) {
    return undefined;
  }
  const pipelines = (error.body.error as { pipelines?: unknown }).pipelines;
  return Array.isArray(pipelines) ? (pipelines as ClusterUser[]) : undefined;
}
