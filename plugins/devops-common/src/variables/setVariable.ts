/**
 * Sets a variable as an own property. Plain assignment would hand a variable named
 * `__proto__` to the prototype setter, which drops it without a word.
 */
export function setVariable(
  vars: Record<string, string>,
  name: string,
  value: string,
): void {
  Object.defineProperty(vars, name, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
