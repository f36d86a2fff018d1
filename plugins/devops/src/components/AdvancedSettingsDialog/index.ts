export { AdvancedSettingsDialog } from './AdvancedSettingsDialog';
export type { AdvancedSettingsDialogProps } from './AdvancedSettingsDialog';
