import type { PipelineRecord } from '../database/types';
import type { PipelineBindingKey } from './types';

/** What decides a pipeline's binding: its entity, and the cluster its settings chose. */
export const pipelineBindingKey = ({
  document,
}: Pick<PipelineRecord, 'document'>): PipelineBindingKey => ({
  entityRef: document.metadata.entityRef,
  cluster: document.spec.cluster,
});
