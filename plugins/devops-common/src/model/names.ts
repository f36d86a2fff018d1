import { z } from 'zod';

/** Pipeline slugs: what URLs, exports and catalog annotations refer to. */
export const PIPELINE_NAME_PATTERN = /^[a-z0-9-]{1,63}$/;

/** Parameter and environment variable names: what a POSIX shell can expand. */
export const VARIABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const pipelineNameSchema = z
  .string()
  .regex(
    PIPELINE_NAME_PATTERN,
    'must be 1 to 63 characters of lowercase letters, digits and "-"',
  );

export const variableNameSchema = z
  .string()
  .regex(
    VARIABLE_NAME_PATTERN,
    'must start with a letter or "_" and hold only letters, digits and "_"',
  );

/** Free text that must not be blank (stage names, task names, images...). */
export const requiredText = (what: string) =>
  z.string().trim().min(1, `${what} is required`);
