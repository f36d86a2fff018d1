import type {
  AuditorService,
  AuditorServiceEventSeverityLevel,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';
import type { Request } from 'express';
import type { PipelineRecord } from '../database/types';

/** The plugin's audit events; the auditor logs them as `devops.<eventId>`. */
export type DevopsAuditEventId =
  | 'pipeline-create'
  | 'pipeline-update'
  | 'pipeline-delete'
  | 'pipeline-run'
  | 'cluster-bind'
  | 'cluster-unbind';

/**
 * Records `work` with the auditor: initiated before it, then succeeded with what
 * `succeeded` adds to the meta, or failed with its error, which is thrown on. The request
 * names the actor (the auditor reads its credentials); without one (an action) the meta
 * should. Meta names pipelines, clusters, entities and parameters, never a value.
 */
export async function audited<T>(
  auditor: AuditorService,
  event: {
    eventId: DevopsAuditEventId;
    severityLevel?: AuditorServiceEventSeverityLevel;
    request?: Request<any, any, any, any, any>;
    meta: JsonObject;
  },
  work: () => Promise<T>,
  succeeded?: (result: T) => JsonObject,
): Promise<T> {
  const auditEvent = await auditor.createEvent({
    severityLevel: 'medium',
    ...event,
  });
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await auditEvent.fail({ error: error as Error });
    throw error;
  }
  await auditEvent.success(succeeded ? { meta: succeeded(result) } : undefined);
  return result;
}

/** How audit events name a pipeline. */
export const pipelineMeta = (pipeline: PipelineRecord): JsonObject => ({
  pipelineId: pipeline.id,
  pipelineName: pipeline.document.metadata.name,
  entityRef: pipeline.document.metadata.entityRef,
});
