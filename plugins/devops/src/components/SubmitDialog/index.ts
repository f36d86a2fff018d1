export { DialogError, SubmitDialogActions } from './SubmitDialogParts';
export type { SubmitDialogActionsProps } from './SubmitDialogParts';
