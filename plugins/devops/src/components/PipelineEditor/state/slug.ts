const MAX_SLUG_LENGTH = 63;

/** FNV-1a: a short, stable tag for titles that have no Latin letters or digits. */
function shortHash(text: string): string {
  let hash = 0x811c9dc5;
  for (const char of text) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The slug (`metadata.name`, `[a-z0-9-]{1,63}`) for a title typed in any language:
 * "YAML部署2048游戏镜像" gives "yaml-2048". Accents are dropped ("Déploiement" gives
 * "deploiement"); a title with nothing Latin at all ("部署游戏") gets "pipeline-" and a
 * hash of the title, so that two such titles do not collide.
 */
export function slugFromTitle(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/^-+|-+$/g, '');
  if (slug) return slug;
  return title.trim() ? `pipeline-${shortHash(title.trim())}` : '';
}
