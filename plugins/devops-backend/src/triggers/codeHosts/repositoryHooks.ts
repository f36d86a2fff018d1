import { CodeHostCall } from './codeHostErrors';
import { sendToRepository } from './codeHostRequest';

/** One repository's webhooks on a code host, as GitHub and GitLab both model them. */
export type RepositoryHooks = {
  repository: { call: CodeHostCall; headers: Record<string, string> };
  /** `<repository API>/hooks` */
  hooksUrl: string;
  /** GitHub edits a hook with PATCH, GitLab with PUT. */
  updateMethod: 'PATCH' | 'PUT';
  /** Every hook of the repository, by id and the URL it posts to. */
  list(): Promise<Array<{ id: number; url?: string }>>;
};

/**
 * Creates the hook posting to `url` unless the repository has one already; otherwise
 * writes `settings` over it. `creation` is what only a new hook is given.
 */
export async function ensureHook(
  hooks: RepositoryHooks,
  url: string,
  settings: object,
  creation: object = {},
): Promise<{ id: string; created: boolean }> {
  const existing = (await hooks.list()).find(hook => hook.url === url);
  if (existing) {
    // Neither host ever shows a hook's secret, so whether it differs cannot be told:
    // writing the settings again is the only way to be sure they are current.
    await sendToRepository(hooks.repository, {
      method: hooks.updateMethod,
      url: `${hooks.hooksUrl}/${existing.id}`,
      body: settings,
    });
    return { id: String(existing.id), created: false };
  }
  const created = await sendToRepository(hooks.repository, {
    method: 'POST',
    url: hooks.hooksUrl,
    body: { ...creation, ...settings },
  });
  return { id: String((created as { id: number }).id), created: true };
}

/** Removes every hook posting to `url`; none is fine. */
export async function removeHooks(hooks: RepositoryHooks, url: string) {
  for (const hook of (await hooks.list()).filter(h => h.url === url)) {
    // 404: removed meanwhile, which is what was asked for.
    await sendToRepository(
      hooks.repository,
      { method: 'DELETE', url: `${hooks.hooksUrl}/${hook.id}` },
      refusal => refusal.status === 404,
    );
  }
}
