export { TriggerActivityCard } from './TriggerActivityCard';
export type { TriggerActivityCardProps } from './TriggerActivityCard';
export { usePipelineTriggers } from './usePipelineTriggers';
