import { VARIABLE_NAME_PATTERN } from '../model/names';
import { setVariable } from './setVariable';

/**
 * Reads the `NAME=value` lines a task wrote to `$DEVOPS_OUTPUT` (the same convention as
 * GitHub Actions' `$GITHUB_OUTPUT`). Blank lines and `#` comments are ignored; other
 * lines that are not assignments are returned so the log can point at them.
 */
export function parseTaskOutputs(content: string): {
  values: Record<string, string>;
  invalidLines: string[];
} {
  const values: Record<string, string> = {};
  const invalidLines: string[] = [];
  for (const raw of content.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    const name = eq > 0 ? line.slice(0, eq).trim() : '';
    if (!VARIABLE_NAME_PATTERN.test(name)) {
      invalidLines.push(raw);
      continue;
    }
    setVariable(values, name, line.slice(eq + 1));
  }
  return { values, invalidLines };
}
