export {
  AdvancedSettingsDialog,
  NOTIFICATION_CHOICES,
} from './AdvancedSettingsDialog';
export type { AdvancedSettingsDialogProps } from './AdvancedSettingsDialog';
