import type { TaskTypeInfo } from '@devops-pipelines/plugin-devops-common';
import Ajv2020, {
  type ErrorObject,
  type ValidateFunction,
} from 'ajv/dist/2020';

/** How the task dialog asks for a field of a module's task type. */
export type ModuleFieldKind = 'text' | 'select' | 'number' | 'checkbox';

/**
 * A field of a task type a backend module registered, read from the JSON Schema the
 * backend serves for it (`fieldsSchema`, zod's `z.toJSONSchema` of the type's fields).
 */
export type ModuleField = {
  key: string;
  kind: ModuleFieldKind;
  /** The schema's `title`, else the key. */
  label: string;
  description?: string;
  /** The first of the schema's `examples`, for the placeholder. */
  example?: string;
  multiline: boolean;
  required: boolean;
  /** What a select offers: the schema's `enum`. */
  options?: string[];
  default?: unknown;
  /** A number field that takes whole numbers only. */
  integer: boolean;
};

/** What every task has, whatever its type: never one of a type's own fields. */
const COMMON_KEYS = ['name', 'type', 'resources'];

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const stringOr = (value: unknown) =>
  typeof value === 'string' ? value : undefined;

function kindOf(property: Record<string, unknown>): ModuleFieldKind {
  switch (property.type) {
    case 'boolean':
      return 'checkbox';
    case 'number':
    case 'integer':
      return 'number';
    default:
      return Array.isArray(property.enum) &&
        property.enum.every(value => typeof value === 'string')
        ? 'select'
        : 'text';
  }
}

function fieldOf(
  key: string,
  property: Record<string, unknown>,
  required: boolean,
): ModuleField {
  const kind = kindOf(property);
  const examples = Array.isArray(property.examples) ? property.examples : [];
  return {
    key,
    kind,
    label: stringOr(property.title) || key,
    description: stringOr(property.description),
    example: examples.length ? String(examples[0]) : undefined,
    multiline: property.multiline === true,
    required,
    options: kind === 'select' ? (property.enum as string[]) : undefined,
    default: property.default,
    integer: property.type === 'integer',
  };
}

/**
 * The fields the dialog shows for a module's task type, in the schema's order. The
 * schema comes from another package's backend module: anything it does not say as
 * expected is read leniently, and the backend's check on save has the last word.
 */
export function moduleFieldsOf(info: TaskTypeInfo): ModuleField[] {
  const { properties, required } = info.fieldsSchema;
  if (!isRecord(properties)) return [];
  const requiredKeys = Array.isArray(required) ? required : [];
  return Object.entries(properties).flatMap(([key, property]) =>
    isRecord(property) && !COMMON_KEYS.includes(key)
      ? [fieldOf(key, property, requiredKeys.includes(key))]
      : [],
  );
}

/** The value a field starts with in a new task: the schema's default, as typed. */
export function initialText(field: ModuleField): string {
  const value = field.default;
  return typeof value === 'string' || typeof value === 'number'
    ? String(value)
    : '';
}

/** Whether a checkbox is ticked when the task does not say: the schema's default. */
export const initialChecked = (field: ModuleField) => field.default === true;

/**
 * The value of a text, select or number field as the task holds it, or why it is no
 * number. An empty field is no value: left out of the task, where the schema's
 * `required` says whether it may be.
 */
export function readModuleText(
  field: ModuleField,
  text: string,
): { value?: string | number; error?: string } {
  if (field.kind !== 'number') return text ? { value: text } : {};
  if (!text.trim()) return {};
  const value = Number(text);
  return Number.isFinite(value) ? { value } : { error: 'must be a number' };
}

// Not strict: the schemas carry keywords of the portal's own, such as `multiline`.
// Formats (email, uri...) would need ajv-formats: they are left to the backend. Schemas
// are not added by their `$id`, so that a list loaded again compiles again.
const ajv = new Ajv2020({
  strict: false,
  allErrors: true,
  validateFormats: false,
  addUsedSchema: false,
});
/** Each type's schema compiled once; null when ajv could not compile it. */
const validators = new WeakMap<object, ValidateFunction | null>();

function validatorOf(schema: Record<string, unknown>): ValidateFunction | null {
  let validate = validators.get(schema);
  if (validate === undefined) {
    try {
      validate = ajv.compile(schema);
    } catch {
      validate = null;
    }
    validators.set(schema, validate);
  }
  return validate;
}

const BOUNDS: Record<string, string> = {
  '>=': 'at least',
  '<=': 'at most',
  '>': 'more than',
  '<': 'less than',
};

/** Ajv's message, in plainer words where ajv's are terse. */
function messageOf({ keyword, params, message }: ErrorObject): string {
  switch (keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a field of this task type';
    case 'enum':
      return `must be one of ${params.allowedValues.join(', ')}`;
    case 'type':
      if (params.type === 'integer') return 'must be a whole number';
      break;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `must be ${BOUNDS[params.comparison]} ${params.limit}`;
    default:
      break;
  }
  return message ?? 'is not valid';
}

/** The property an error concerns: the first step of its path, or the one it names. */
function keyOf({ keyword, params, instancePath }: ErrorObject) {
  if (keyword === 'required') return params.missingProperty as string;
  if (keyword === 'additionalProperties') {
    return params.additionalProperty as string;
  }
  const step = instancePath.split('/')[1];
  // A JSON Pointer step: `~1` is `/`, `~0` is `~`.
  return step?.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * What the type's schema refuses in a module task's own fields (`values`, as
 * `readModuleText` and the checkboxes give them): at the field it concerns (`key`), or
 * naming the property where no field shows it. A schema ajv cannot compile is left to
 * the backend, which checks the task on save: nothing is said.
 */
export function moduleFieldProblems(
  info: TaskTypeInfo,
  fields: readonly ModuleField[],
  values: Record<string, unknown>,
): { key?: string; message: string }[] {
  const validate = validatorOf(info.fieldsSchema);
  if (!validate || validate(values)) return [];
  const labels = new Map(fields.map(field => [field.key, field.label]));
  return (validate.errors ?? []).map(error => {
    const key = keyOf(error);
    const message = messageOf(error);
    const label = key === undefined ? undefined : labels.get(key);
    if (label === undefined) {
      return { message: key ? `${key} ${message}` : message };
    }
    return {
      key,
      message: error.keyword === 'required' ? `${label} ${message}` : message,
    };
  });
}
