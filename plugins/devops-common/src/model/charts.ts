/**
 * The versions the portal's chart repository holds of one chart, newest first, as the
 * Deploy chart dialog suggests them; empty, with the reason, when the repository could
 * not be read.
 *
 * @public
 */
export type ChartVersions = {
  versions: string[];
  /** Why there are none to suggest: the dialog then takes any version. */
  unavailable?: string;
};
