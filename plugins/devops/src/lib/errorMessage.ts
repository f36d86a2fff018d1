import { ResponseError } from '@backstage/errors';

/**
 * What to tell the user about a failed call. A ResponseError's own message is only
 * "Request failed with 400 Bad Request"; the backend's explanation (which field is
 * wrong, which limit was hit) is in the serialized error of the response body.
 */
export function errorMessage(error: unknown): string {
  if (error instanceof ResponseError) {
    return error.body.error.message || error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
