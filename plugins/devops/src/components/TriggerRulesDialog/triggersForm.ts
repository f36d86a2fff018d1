import type {
  Schedule,
  Triggers,
} from '@devops-pipelines/plugin-devops-common';
import { numberInput } from '../../lib/numberInput';

export type ScheduleKind = 'none' | Schedule['every'];

export type EventFlags = { push: boolean; merge: boolean; tag: boolean };

/**
 * The dialog's fields as typed. Each schedule kind keeps its own values, so switching
 * kinds back and forth loses nothing.
 */
export type TriggersForm = {
  events: EventFlags;
  every: ScheduleKind;
  minutesInterval: string;
  hoursInterval: string;
  minute: string;
  time: string;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  day: string;
};

/** In the order the dialog offers them. */
export const scheduleKinds: ReadonlyArray<{
  every: ScheduleKind;
  label: string;
}> = [
  { every: 'none', label: 'None' },
  { every: 'day', label: 'Every day' },
  { every: 'hours', label: 'Every n hours' },
  { every: 'minutes', label: 'Every n minutes' },
  { every: 'week', label: 'Every week' },
  { every: 'month', label: 'Every month' },
];

const emptyForm: TriggersForm = {
  events: { push: false, merge: false, tag: false },
  every: 'none',
  // The shared schema's default for "every n minutes".
  minutesInterval: '5',
  hoursInterval: '1',
  minute: '0',
  time: '02:00',
  weekday: 1,
  day: '1',
};

function withSchedule(form: TriggersForm, schedule: Schedule): TriggersForm {
  const next = { ...form, every: schedule.every };
  switch (schedule.every) {
    case 'minutes':
      return { ...next, minutesInterval: String(schedule.interval) };
    case 'hours':
      return {
        ...next,
        hoursInterval: String(schedule.interval),
        minute: String(schedule.minute),
      };
    case 'day':
      return { ...next, time: schedule.time };
    case 'week':
      return { ...next, weekday: schedule.weekday, time: schedule.time };
    case 'month':
      return { ...next, day: String(schedule.day), time: schedule.time };
    default:
      return next;
  }
}

/** The fields for a pipeline's current trigger rules. */
export function formFromTriggers(triggers: Triggers | undefined): TriggersForm {
  const form = {
    ...emptyForm,
    events: { ...emptyForm.events, ...triggers?.events },
  };
  return triggers?.schedule ? withSchedule(form, triggers.schedule) : form;
}

function scheduleInput(form: TriggersForm) {
  // An empty time goes as missing, so the schema says it is required.
  const time = form.time || undefined;
  switch (form.every) {
    case 'minutes':
      return { every: 'minutes', interval: numberInput(form.minutesInterval) };
    case 'hours':
      return {
        every: 'hours',
        interval: numberInput(form.hoursInterval),
        minute: numberInput(form.minute),
      };
    case 'day':
      return { every: 'day', time };
    case 'week':
      return { every: 'week', weekday: form.weekday, time };
    case 'month':
      return { every: 'month', day: numberInput(form.day), time };
    default:
      // null, not absent: saving "none" has to remove a schedule the pipeline had.
      return null;
  }
}

/** The request body the fields stand for, still to be checked with `triggersSchema`. */
export function triggersInput(form: TriggersForm): unknown {
  return { events: form.events, schedule: scheduleInput(form) };
}
