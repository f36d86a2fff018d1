import { z } from 'zod';

const timeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time of day as HH:MM');

/** Periodic trigger rules; "every n" fires at whole multiples of n counted from midnight. */
export const scheduleSchema = z.discriminatedUnion(
  'every',
  [
    z.strictObject({
      every: z.literal('minutes'),
      interval: z.number().int().min(1).max(59).default(5),
    }),
    z.strictObject({
      every: z.literal('hours'),
      interval: z.number().int().min(1).max(23),
      minute: z.number().int().min(0).max(59).default(0),
    }),
    z.strictObject({ every: z.literal('day'), time: timeOfDaySchema }),
    z.strictObject({
      every: z.literal('week'),
      /** ISO weekday: 1 = Monday ... 7 = Sunday. */
      weekday: z.number().int().min(1).max(7),
      time: timeOfDaySchema,
    }),
    z.strictObject({
      every: z.literal('month'),
      /** Day of month; months without that day fire on their last day. */
      day: z.number().int().min(1).max(31),
      time: timeOfDaySchema,
    }),
  ],
  {
    error: issue => {
      if (issue.code !== 'invalid_union') return undefined;
      const every = (issue.input as { every?: unknown } | undefined)?.every;
      return `${
        every === undefined
          ? 'a schedule needs "every"'
          : `unknown schedule ${JSON.stringify(every)}`
      }: must be one of minutes, hours, day, week, month`;
    },
  },
);

export const triggersSchema = z.strictObject({
  events: z
    .strictObject({
      push: z.boolean().default(false),
      merge: z.boolean().default(false),
      tag: z.boolean().default(false),
    })
    .optional(),
  schedule: scheduleSchema.nullable().optional(),
});

/** @public */
export type Schedule = z.infer<typeof scheduleSchema>;
/** @public */
export type Triggers = z.infer<typeof triggersSchema>;
