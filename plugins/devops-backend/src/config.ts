import { Config } from '@backstage/config';
import { tmpdir } from 'os';
import { join } from 'path';
import {
  readSeedCreator,
  readSeedDirectories,
  type SeedDirectory,
} from './seed/readSeedConfig';

export type DevopsConfig = {
  localExecutor?: { workspaceDir: string; allowFileUrls: boolean };
  concurrentRuns: number;
  staleAfterMs: number;
  maxPipelines: number;
  maxLogBytesPerTask: number;
  maxRequestBytes: number;
  callbackRequestsPerMinute: number;
  encryptionKey?: string;
  /** Keys of before a rotation, still read until everything is sealed again. */
  previousEncryptionKeys: string[];
  seedDirectories: SeedDirectory[];
  /** Who the seed pipelines of folders that name no creator are recorded as created by. */
  seedCreatedBy?: string;
  /** Internal hosts users may connect code host accounts of and pipelines fetch from. */
  allowedInternalHosts: string[];
};

/** Reads the `devops:` section with its defaults (documented in config.d.ts). */
export function readDevopsConfig(root: Config): DevopsConfig {
  const config = root.getOptionalConfig('devops');
  const local = config?.getOptionalConfig('executor.local');
  return {
    localExecutor: local?.getOptionalBoolean('enabled')
      ? {
          workspaceDir:
            local.getOptionalString('workspaceDir') ??
            join(tmpdir(), 'devops-pipelines-workspaces'),
          allowFileUrls: local.getOptionalBoolean('allowFileUrls') ?? false,
        }
      : undefined,
    concurrentRuns: config?.getOptionalNumber('engine.concurrentRuns') ?? 10,
    staleAfterMs:
      (config?.getOptionalNumber('engine.staleAfterSeconds') ?? 30) * 1000,
    maxPipelines: config?.getOptionalNumber('limits.maxPipelines') ?? 0,
    maxLogBytesPerTask:
      config?.getOptionalNumber('limits.maxLogBytesPerTask') ??
      10 * 1024 * 1024,
    maxRequestBytes:
      config?.getOptionalNumber('limits.maxRequestBytes') ?? 2 * 1024 * 1024,
    callbackRequestsPerMinute:
      config?.getOptionalNumber('limits.callbackRequestsPerMinute') ?? 30,
    encryptionKey: config?.getOptionalString('encryptionKey'),
    previousEncryptionKeys:
      config?.getOptionalStringArray('previousEncryptionKeys') ?? [],
    seedDirectories: readSeedDirectories(config),
    seedCreatedBy: readSeedCreator(config),
    allowedInternalHosts:
      config?.getOptionalStringArray('repositories.allowedHosts') ?? [],
  };
}
