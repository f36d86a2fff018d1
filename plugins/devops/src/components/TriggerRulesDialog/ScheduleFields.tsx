import Box from '@material-ui/core/Box';
import FormHelperText from '@material-ui/core/FormHelperText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { ReactNode } from 'react';
import type { FieldErrors } from '../../lib/validation';
import { weekdayNames } from '../../lib/weekdays';
import {
  scheduleKinds,
  type ScheduleKind,
  type TriggersForm,
} from './triggersForm';

export type ScheduleFieldsProps = {
  form: TriggersForm;
  errors: FieldErrors;
  onChange: (patch: Partial<TriggersForm>) => void;
};

type FieldProps = {
  label: string;
  value: string;
  /** The value's path in the request, where the schema reports its errors. */
  field: string;
  /** The bounds, shown before a mistake rather than only after one. */
  hint?: string;
  type?: 'number' | 'time';
  onChange: (value: string) => void;
};

/** The periodic trigger: which kind, and the values that kind needs. */
export const ScheduleFields = ({
  form,
  errors,
  onChange,
}: ScheduleFieldsProps) => {
  const field = (props: FieldProps) => {
    const error = errors[props.field];
    return (
      <TextField
        id={`trigger-${props.field.replace('.', '-')}`}
        label={props.label}
        type={props.type ?? 'number'}
        value={props.value}
        onChange={event => props.onChange(event.target.value)}
        error={Boolean(error)}
        helperText={error ?? props.hint}
        InputLabelProps={{ shrink: true }}
        margin="dense"
      />
    );
  };
  const time = field({
    label: 'Time',
    type: 'time',
    value: form.time,
    field: 'schedule.time',
    onChange: value => onChange({ time: value }),
  });

  let values: ReactNode = null;
  switch (form.every) {
    case 'minutes':
      values = field({
        label: 'Interval (minutes)',
        value: form.minutesInterval,
        field: 'schedule.interval',
        hint: '1–59, default 5',
        onChange: value => onChange({ minutesInterval: value }),
      });
      break;
    case 'hours':
      values = (
        <>
          {field({
            label: 'Interval (hours)',
            value: form.hoursInterval,
            field: 'schedule.interval',
            hint: '1–23',
            onChange: value => onChange({ hoursInterval: value }),
          })}
          {field({
            label: 'At minute',
            value: form.minute,
            field: 'schedule.minute',
            hint: '0–59',
            onChange: value => onChange({ minute: value }),
          })}
        </>
      );
      break;
    case 'day':
      values = time;
      break;
    case 'week':
      values = (
        <>
          <TextField
            id="trigger-schedule-weekday"
            select
            label="Weekday"
            value={form.weekday}
            onChange={event =>
              onChange({ weekday: Number(event.target.value) })
            }
            margin="dense"
          >
            {weekdayNames().map((name, index) => (
              <MenuItem key={name} value={index + 1}>
                {name}
              </MenuItem>
            ))}
          </TextField>
          {time}
        </>
      );
      break;
    case 'month':
      values = (
        <>
          {field({
            label: 'Day of month',
            value: form.day,
            field: 'schedule.day',
            hint: '1–31; shorter months fire on their last day',
            onChange: value => onChange({ day: value }),
          })}
          {time}
        </>
      );
      break;
    default:
      break;
  }

  return (
    <>
      <TextField
        id="trigger-schedule-every"
        select
        label="Periodic trigger"
        value={form.every}
        onChange={event =>
          onChange({ every: event.target.value as ScheduleKind })
        }
        fullWidth
        margin="normal"
      >
        {scheduleKinds.map(kind => (
          <MenuItem key={kind.every} value={kind.every}>
            {kind.label}
          </MenuItem>
        ))}
      </TextField>
      {values && (
        <Box display="flex" flexWrap="wrap" gridGap={16}>
          {values}
        </Box>
      )}
      {(form.every === 'minutes' || form.every === 'hours') && (
        <FormHelperText>
          "Every n" counts from midnight: every 2 hours at minute 28 fires at
          00:28, 02:28, 04:28 and so on.
        </FormHelperText>
      )}
    </>
  );
};
