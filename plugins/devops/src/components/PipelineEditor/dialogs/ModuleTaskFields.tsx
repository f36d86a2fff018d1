import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import TextField from '@material-ui/core/TextField';
import { initialChecked, type ModuleField } from './moduleFields';
import { VARIABLES_HINT, type TaskForm } from './taskForm';

export type ModuleTaskFieldsProps = {
  fields: readonly ModuleField[];
  form: TaskForm;
  /** The form's errors by field key, once they are shown. */
  errors: Record<string, string>;
  onText(key: string, value: string): void;
  onChecked(key: string, checked: boolean): void;
};

function ModuleTextField(props: {
  field: ModuleField;
  value: string;
  error?: string;
  onChange(value: string): void;
}) {
  const { field, value, error, onChange } = props;
  // Strings are expanded before the module's task sees them; numbers and choices not.
  const hint =
    field.description ?? (field.kind === 'text' ? VARIABLES_HINT : undefined);
  return (
    <TextField
      id={`task-${field.key}`}
      label={field.label}
      required={field.required}
      select={field.kind === 'select'}
      SelectProps={field.kind === 'select' ? { native: true } : undefined}
      type={field.kind === 'number' ? 'number' : undefined}
      inputProps={field.integer ? { step: 1 } : undefined}
      multiline={field.kind === 'text' && field.multiline}
      minRows={field.kind === 'text' && field.multiline ? 4 : undefined}
      // "e.g.", so that an example is not taken for a default value.
      placeholder={field.example && `e.g. ${field.example}`}
      value={value}
      onChange={e => onChange(e.target.value)}
      error={Boolean(error)}
      helperText={error ?? hint}
      fullWidth
      margin="dense"
      InputProps={
        field.multiline ? { style: { fontFamily: 'monospace' } } : undefined
      }
    >
      {field.kind === 'select' && [
        // Empty: no value yet, or none for an optional field.
        <option key="" value="" />,
        ...(field.options ?? []).map(option => (
          <option key={option} value={option}>
            {option}
          </option>
        )),
      ]}
    </TextField>
  );
}

function ModuleCheckbox(props: {
  field: ModuleField;
  checked: boolean;
  error?: string;
  onChange(checked: boolean): void;
}) {
  const { field, checked, error, onChange } = props;
  const helper = error ?? field.description;
  const helperId = `task-${field.key}-helper-text`;
  return (
    <FormControl fullWidth margin="dense">
      <FormControlLabel
        control={
          <Checkbox
            id={`task-${field.key}`}
            checked={checked}
            onChange={e => onChange(e.target.checked)}
            inputProps={helper ? { 'aria-describedby': helperId } : undefined}
          />
        }
        label={field.label}
      />
      {helper && (
        <FormHelperText id={helperId} error={Boolean(error)}>
          {helper}
        </FormHelperText>
      )}
    </FormControl>
  );
}

/**
 * The fields of a task type a backend module registered, as its schema describes them:
 * text (several lines where the schema says `multiline`), a select for a set of values,
 * a number input, a checkbox.
 */
export const ModuleTaskFields = (props: ModuleTaskFieldsProps) => {
  const { fields, form, errors, onText, onChecked } = props;
  return (
    <>
      {fields.map(field =>
        field.kind === 'checkbox' ? (
          <ModuleCheckbox
            key={field.key}
            field={field}
            checked={form.checkboxes[field.key] ?? initialChecked(field)}
            error={errors[field.key]}
            onChange={checked => onChecked(field.key, checked)}
          />
        ) : (
          <ModuleTextField
            key={field.key}
            field={field}
            value={form.fields[field.key] ?? ''}
            error={errors[field.key]}
            onChange={value => onText(field.key, value)}
          />
        ),
      )}
    </>
  );
};
