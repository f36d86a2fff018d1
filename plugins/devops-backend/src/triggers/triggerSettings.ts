import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { IANAZone } from 'luxon';

export type TriggerSettings = {
  /** The IANA zone schedules fire in. */
  timezone: string;
};

/** Reads `devops.triggers` (documented in config.d.ts). */
export function readTriggerSettings(root: Config): TriggerSettings {
  const timezone = root.getOptionalString('devops.triggers.timezone') ?? 'UTC';
  if (!IANAZone.isValidZone(timezone)) {
    throw new InputError(
      `devops.triggers.timezone "${timezone}" is not a time zone; use an IANA name such as UTC or Europe/Berlin`,
    );
  }
  return { timezone };
}
