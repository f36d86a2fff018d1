/**
 * The number typed into a form field: an empty field is no value (so a schema default
 * or "required" applies) and text that is no number stays NaN for the schema to reject.
 */
export function numberInput(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}
