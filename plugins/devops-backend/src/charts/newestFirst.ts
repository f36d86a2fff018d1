import semver from 'semver';

/**
 * Versions newest first by SemVer 2 (what Helm requires of chart versions; `1.10.0` comes
 * before `1.9.0`, a release before its pre-releases), once each. Tags that are not
 * versions, such as the `sha256-….sig` a signing tool pushes beside a chart, come last.
 */
export function newestFirst(versions: string[]): string[] {
  const unique = [...new Set(versions)];
  const semantic = unique.filter(version => semver.valid(version));
  const others = unique.filter(version => !semver.valid(version));
  return [
    ...semantic.sort((a, b) => semver.compareBuild(b, a)),
    ...others.sort(),
  ];
}
