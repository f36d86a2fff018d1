import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  Pipeline,
  PipelineDocument,
} from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';

/** Where a save goes: a new pipeline, or an update of the version that was read. */
export type SaveTarget =
  | { pipelineId?: undefined }
  | { pipelineId: string; version: number };

/**
 * Creates or updates a pipeline. A 409 on update means someone saved the pipeline
 * after it was read: that is a `conflict` for the editor to explain, not an error.
 */
export function useSavePipeline() {
  const devopsApi = useApi(devopsApiRef);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string>();
  const [conflict, setConflict] = useState(false);

  const save = async (
    document: PipelineDocument,
    target: SaveTarget,
  ): Promise<Pipeline | undefined> => {
    setSaving(true);
    setError(undefined);
    try {
      return target.pipelineId === undefined
        ? await devopsApi.createPipeline(document)
        : await devopsApi.updatePipeline(target.pipelineId, {
            ...document,
            version: target.version,
          });
    } catch (e) {
      if (
        target.pipelineId !== undefined &&
        ResponseError.is(e) &&
        e.statusCode === 409
      ) {
        setConflict(true);
      } else {
        setError(errorMessage(e));
      }
      return undefined;
    } finally {
      setSaving(false);
    }
  };

  return {
    save,
    saving,
    error,
    conflict,
    endConflict: () => setConflict(false),
  };
}
