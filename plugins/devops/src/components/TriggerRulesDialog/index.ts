export { TriggerRulesDialog } from './TriggerRulesDialog';
export type { TriggerRulesDialogProps } from './TriggerRulesDialog';
