import { slugFromTitle } from './slug';

describe('slugFromTitle', () => {
  it.each([
    ['YAML部署2048游戏镜像', 'yaml-2048'],
    ['Deploy the 2048 game', 'deploy-the-2048-game'],
    ['  Déploiement -- Prod!  ', 'deploiement-prod'],
    ['', ''],
  ])('makes %j into %j', (title, slug) => {
    expect(slugFromTitle(title)).toBe(slug);
  });

  it('tags a title with nothing Latin by a hash, the same each time', () => {
    const slug = slugFromTitle('部署游戏');
    expect(slug).toMatch(/^pipeline-[0-9a-f]{8}$/);
    expect(slugFromTitle('部署游戏')).toBe(slug);
    expect(slugFromTitle('部署镜像')).not.toBe(slug);
  });

  it('stays within 63 characters and never ends in "-"', () => {
    const slug = slugFromTitle(`${'a'.repeat(62)} b`);
    expect(slug).toBe('a'.repeat(62));
    expect(slugFromTitle('x'.repeat(100))).toHaveLength(63);
  });
});
