#!/usr/bin/env node
/* eslint-disable no-console */
// Helper of scripts/pack-install-test.sh: the steps that read and write package.json files.
//
//   packages <repo>                          the publishable packages: every plugins/* package
//                                            that is not private, one per line as
//                                            "<dir>\t<name>\t<version>\t<role>"
//   check-tarball <repo> <dir> <unpacked>    checks what `yarn pack` made of plugins/<dir>,
//                                            unpacked into <unpacked> (its package/ folder)
//   demo-workspaces <repo>                   the workspaces the scratch copy takes: those of the
//                                            root's workspace patterns but plugins/*
//   scratch-manifests <repo> <scratch> <tarballs>
//                                            writes the scratch copy's package.json files: its
//                                            workspaces' dependencies on the plugins as an
//                                            adopter writes them (^version), every publishable
//                                            package added to the app (frontend roles) or the
//                                            backend (the others), root resolutions that
//                                            point each of them at its tarball, and a tsconfig
//                                            without plugins/
//   check-node-packages <scratch> <repo>     loads every non-frontend package from the scratch
//                                            backend: backend plugins and modules must
//                                            default-export a backend feature
// Exits non-zero with a message on stderr at the first problem.
'use strict';

const fs = require('fs');
const path = require('path');
const { builtinModules } = require('module');

const FRONTEND_ROLES = [
  'frontend-plugin',
  'frontend-plugin-module',
  'web-library',
];
const BACKEND_FEATURE_ROLES = ['backend-plugin', 'backend-plugin-module'];
const SCOPE = '@devops-pipelines/';

function fail(message) {
  console.error(`pack-install-test.js: ${message}`);
  process.exit(1);
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    return fail(`cannot read ${file}: ${error.message}`);
  }
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function publishablePackages(repo) {
  const plugins = path.join(repo, 'plugins');
  return fs
    .readdirSync(plugins)
    .filter(dir => fs.existsSync(path.join(plugins, dir, 'package.json')))
    .sort()
    .map(dir => ({
      dir,
      pkg: readJson(path.join(plugins, dir, 'package.json')),
    }))
    .filter(({ pkg }) => !pkg.private)
    .map(({ dir, pkg }) => ({
      dir,
      name: pkg.name,
      version: pkg.version,
      role: (pkg.backstage && pkg.backstage.role) || 'unknown',
      pkg,
    }));
}

/** Every file below root, as paths relative to it with forward slashes. */
function listFiles(root, base = '') {
  const out = [];
  for (const entry of fs.readdirSync(path.join(root, base), {
    withFileTypes: true,
  })) {
    const rel = base ? `${base}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(root, rel));
    else out.push(rel);
  }
  return out;
}

/** The package a bare import specifier names ('@a/b/c' -> '@a/b', 'x/y' -> 'x'). */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isBuiltin(specifier) {
  return (
    specifier.startsWith('node:') ||
    builtinModules.includes(specifier) ||
    builtinModules.includes(specifier.split('/')[0])
  );
}

/** The bare specifiers a built JavaScript file imports or requires. */
function importsOf(source) {
  const found = new Set();
  const spec = String.raw`(['"])((?:@[\w.-]+/)?[\w.-][\w./:-]*)\1`;
  const patterns = [
    new RegExp(String.raw`\bfrom\s*${spec}`, 'g'),
    new RegExp(String.raw`\bimport\s*${spec}`, 'g'),
    new RegExp(String.raw`\bimport\(\s*${spec}\s*\)`, 'g'),
    new RegExp(String.raw`\brequire\(\s*${spec}\s*\)`, 'g'),
  ];
  for (const pattern of patterns) {
    for (const match of source.matchAll(pattern)) {
      const specifier = match[2];
      if (!specifier.startsWith('.') && !specifier.startsWith('/')) {
        found.add(specifier);
      }
    }
  }
  return [...found];
}

/** Every path an exports / typesVersions value holds (`backstage` names a feature type). */
function stringsIn(value) {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') {
    return Object.entries(value)
      .filter(([key]) => key !== 'backstage')
      .flatMap(([, inner]) => stringsIn(inner));
  }
  return [];
}

function checkTarball(repo, dir, unpacked) {
  const where = `the tarball of plugins/${dir}`;
  const problems = [];
  const source = readJson(path.join(repo, 'plugins', dir, 'package.json'));
  const root = readJson(path.join(repo, 'package.json'));
  const pkgDir = path.join(unpacked, 'package');
  if (!fs.existsSync(path.join(pkgDir, 'package.json'))) {
    fail(`${where} has no package/package.json`);
  }
  const pkg = readJson(path.join(pkgDir, 'package.json'));
  const files = listFiles(pkgDir);
  const has = file => files.includes(file.replace(/^\.\//, ''));

  // Identity and metadata.
  if (pkg.name !== source.name || pkg.version !== source.version) {
    problems.push(
      `name/version ${pkg.name}@${pkg.version} is not the source's`,
    );
  }
  if (pkg.private) problems.push('it is private');
  if (pkg.license !== 'Apache-2.0') problems.push('license is not Apache-2.0');
  const repository = pkg.repository || {};
  if (repository.type !== 'git' || !/^https:\/\//.test(repository.url || '')) {
    problems.push('repository needs {type: git, url: https://...}');
  }
  if (repository.directory !== `plugins/${dir}`) {
    problems.push(`repository.directory is not plugins/${dir}`);
  }
  if (!pkg.homepage) problems.push('no homepage');
  if (!pkg.bugs || !pkg.bugs.url) problems.push('no bugs.url');
  for (const keyword of ['backstage', 'backstage-plugin']) {
    if (!(pkg.keywords || []).includes(keyword)) {
      problems.push(`keywords lack "${keyword}"`);
    }
  }
  for (const script of ['prepack', 'postpack']) {
    const expected = `backstage-cli package ${script}`;
    if ((source.scripts || {})[script] !== expected) {
      problems.push(
        `plugins/${dir}/package.json needs the script ${script}: "${expected}"`,
      );
    }
  }

  // Files every published package carries.
  const license = path.join(repo, 'LICENSE');
  if (!has('LICENSE')) problems.push('no LICENSE');
  else if (
    !fs
      .readFileSync(path.join(pkgDir, 'LICENSE'))
      .equals(fs.readFileSync(license))
  ) {
    problems.push("its LICENSE is not the repository's (Apache-2.0)");
  }
  if (!has('README.md')) {
    problems.push(
      `no README.md (plugins/${dir}/README.md is the package's page on npm)`,
    );
  }
  if (!has('CHANGELOG.md')) problems.push('no CHANGELOG.md');
  else if (
    !fs
      .readFileSync(path.join(pkgDir, 'CHANGELOG.md'), 'utf8')
      .includes(`\n## ${pkg.version}\n`)
  ) {
    problems.push(`CHANGELOG.md has no "## ${pkg.version}" section`);
  }
  if (files.some(file => file.startsWith('src/'))) {
    problems.push('it contains src/: only the build belongs in it');
  }
  if (!files.some(file => file.startsWith('dist/'))) problems.push('no dist/');
  const migrations = path.join(repo, 'plugins', dir, 'migrations');
  if (fs.existsSync(migrations)) {
    for (const file of listFiles(migrations)) {
      if (!has(`migrations/${file}`))
        problems.push(`migrations/${file} is missing`);
    }
  }
  if (source.configSchema) {
    if (
      pkg.configSchema !== 'config.schema.json' ||
      !has('config.schema.json')
    ) {
      problems.push('the config schema was not compiled to config.schema.json');
    }
  }

  // Entry points: in dist, and there.
  const entryPoints = [
    pkg.main,
    pkg.module,
    pkg.types,
    ...stringsIn(pkg.exports),
    ...stringsIn(pkg.typesVersions),
  ].filter(Boolean);
  if (!pkg.main) problems.push('no main');
  for (const entry of entryPoints) {
    if (/^(\.\/)?src\//.test(entry))
      problems.push(`entry point ${entry} is in src/`);
    else if (!has(entry)) problems.push(`entry point ${entry} is not in it`);
  }

  // Dependencies: published ranges only, @backstage/* as carets of the release's versions.
  const declared = new Set();
  for (const field of [
    'dependencies',
    'peerDependencies',
    'optionalDependencies',
    'devDependencies',
  ]) {
    for (const [name, range] of Object.entries(pkg[field] || {})) {
      if (/^(workspace|link|portal|file):/.test(range)) {
        problems.push(`${field}.${name} is "${range}"`);
      }
      if (field === 'devDependencies') continue;
      declared.add(name);
      if (!name.startsWith('@backstage/')) continue;
      const pinned =
        (root.resolutions || {})[`${name}@${range}`] ||
        (root.resolutions || {})[name];
      if (!range.startsWith('^')) {
        problems.push(`${field}.${name} is "${range}", not a caret range`);
      } else if (pinned && range !== `^${pinned}`) {
        problems.push(
          `${field}.${name} is "${range}", but the release pins ${pinned} (root resolutions)`,
        );
      }
    }
  }
  for (const file of files.filter(f => /^dist\/.*\.(c|m)?js$/.test(f))) {
    const text = fs.readFileSync(path.join(pkgDir, file), 'utf8');
    for (const specifier of importsOf(text)) {
      if (isBuiltin(specifier)) continue;
      const name = packageOf(specifier);
      if (name !== pkg.name && !declared.has(name)) {
        problems.push(
          `${file} imports ${specifier}, which is not in dependencies or peerDependencies`,
        );
      }
    }
  }

  if (problems.length > 0) {
    fail(
      `${where} (${pkg.name}):\n  - ${[...new Set(problems)].join('\n  - ')}`,
    );
  }
  console.log(
    `${pkg.name}@${pkg.version}: ${files.length} files, entry points in dist, metadata and dependencies as published`,
  );
}

/** The root's workspace patterns that are not plugins/: the demo and its examples. */
function demoPatterns(root) {
  return (root.workspaces || []).filter(
    pattern => !/^plugins(\/|$)/.test(pattern),
  );
}

/** The folders (relative to base) that workspace patterns such as `packages/*` match. */
function expandPatterns(base, patterns) {
  const dirs = [];
  for (const pattern of patterns) {
    const parent = path.posix.dirname(pattern);
    const last = path.posix.basename(pattern);
    if (/[*?[{]/.test(parent))
      fail(`workspace pattern ${pattern}: only its last part may be a glob`);
    const re = new RegExp(
      `^${last
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
    );
    if (!fs.existsSync(path.join(base, parent))) continue;
    for (const entry of fs.readdirSync(path.join(base, parent), {
      withFileTypes: true,
    })) {
      const dir = path.posix.join(parent, entry.name);
      if (
        entry.isDirectory() &&
        re.test(entry.name) &&
        fs.existsSync(path.join(base, dir, 'package.json'))
      ) {
        dirs.push(dir);
      }
    }
  }
  return [...new Set(dirs)].sort();
}

function demoWorkspaces(repo) {
  return expandPatterns(
    repo,
    demoPatterns(readJson(path.join(repo, 'package.json'))),
  );
}

function scratchManifests(repo, scratch, tarballs) {
  const packages = publishablePackages(repo);
  const ours = new Map(packages.map(p => [p.name, p]));
  const root = readJson(path.join(repo, 'package.json'));
  const resolutions = { ...(root.resolutions || {}) };
  for (const p of packages) {
    const tarball = path.join(tarballs, `${p.dir}.tgz`);
    if (!fs.existsSync(tarball)) fail(`no tarball ${tarball}`);
    resolutions[p.name] = `file:${tarball}`;
  }
  writeJson(path.join(scratch, 'package.json'), {
    name: root.name,
    version: root.version,
    private: true,
    engines: root.engines,
    workspaces: demoPatterns(root),
    scripts: { tsc: 'tsc' },
    devDependencies: root.devDependencies,
    resolutions,
    prettier: root.prettier,
  });

  // The demo's sources are type-checked against the packages' published declarations.
  const tsconfigFile = path.join(scratch, 'tsconfig.json');
  const tsconfig = readJson(tsconfigFile);
  tsconfig.include = (tsconfig.include || []).filter(
    entry => !/^plugins(\/|$)/.test(entry),
  );
  writeJson(tsconfigFile, tsconfig);

  const workspaces = expandPatterns(scratch, demoPatterns(root)).map(dir => {
    const file = path.join(scratch, dir, 'package.json');
    return { dir, file, pkg: readJson(file) };
  });
  const withRole = role => {
    const found = workspaces.filter(
      w => w.pkg.backstage && w.pkg.backstage.role === role,
    );
    if (found.length !== 1)
      fail(`the demo needs one workspace of role ${role}, not ${found.length}`);
    return found[0].pkg;
  };
  const app = withRole('frontend');
  const backend = withRole('backend');
  // The demo's own workspaces (the example backend module) are copied along: a
  // dependency on one stays a workspace dependency, as in an adopter's monorepo.
  const demoNames = new Set(workspaces.map(w => w.pkg.name));
  for (const { dir, pkg } of workspaces) {
    for (const field of [
      'dependencies',
      'devDependencies',
      'peerDependencies',
    ]) {
      for (const name of Object.keys(pkg[field] || {})) {
        if (ours.has(name)) pkg[field][name] = `^${ours.get(name).version}`;
        else if (demoNames.has(name)) continue;
        else if (String(pkg[field][name]).startsWith('workspace:')) {
          fail(
            `${dir} depends on ${name} (${pkg[field][name]}), which is not a publishable package of plugins/`,
          );
        }
      }
    }
  }
  for (const p of packages) {
    const target = FRONTEND_ROLES.includes(p.role) ? app : backend;
    if (
      !(target.dependencies || {})[p.name] &&
      !(target.devDependencies || {})[p.name]
    ) {
      target.dependencies = {
        ...target.dependencies,
        [p.name]: `^${p.version}`,
      };
    }
  }
  for (const { file, pkg } of workspaces) writeJson(file, pkg);
  console.log(
    `the demo's workspaces: ${workspaces.map(w => w.dir).join(', ')}`,
  );
  for (const p of packages) {
    const where = FRONTEND_ROLES.includes(p.role) ? app.name : backend.name;
    console.log(
      `${p.name}: ^${p.version} in ${where}, resolved to ${p.dir}.tgz`,
    );
  }
}

function checkNodePackages(scratch, repo) {
  const backendDir = path.join(scratch, 'packages', 'backend');
  for (const p of publishablePackages(repo)) {
    if (FRONTEND_ROLES.includes(p.role)) continue;
    let resolved;
    try {
      resolved = require.resolve(p.name, { paths: [backendDir] });
    } catch (error) {
      fail(
        `${p.name} cannot be resolved from the scratch backend: ${error.message}`,
      );
    }
    if (!resolved.includes(`${path.sep}node_modules${path.sep}`)) {
      fail(`${p.name} resolves to ${resolved}, not into node_modules`);
    }
    let mod;
    try {
      mod = require(resolved);
    } catch (error) {
      fail(`${p.name} does not load from its tarball: ${error.stack || error}`);
    }
    const exported = Object.keys(mod).filter(key => key !== '__esModule');
    if (exported.length === 0) fail(`${p.name} exports nothing`);
    if (BACKEND_FEATURE_ROLES.includes(p.role)) {
      const feature = mod.default;
      if (!feature || feature.$$type !== '@backstage/BackendFeature') {
        fail(`${p.name} (${p.role}) does not default-export a backend feature`);
      }
    }
    console.log(
      `${p.name} (${p.role}) loads from ${path.relative(scratch, resolved)}: ${
        exported.length
      } exports${
        BACKEND_FEATURE_ROLES.includes(p.role)
          ? ', default export a backend feature'
          : ''
      }`,
    );
  }
}

const [command, ...args] = process.argv.slice(2);
switch (command) {
  case 'packages':
    for (const p of publishablePackages(args[0])) {
      console.log([p.dir, p.name, p.version, p.role].join('\t'));
    }
    break;
  case 'check-tarball':
    checkTarball(args[0], args[1], args[2]);
    break;
  case 'demo-workspaces':
    for (const dir of demoWorkspaces(args[0])) console.log(dir);
    break;
  case 'scratch-manifests':
    scratchManifests(args[0], args[1], args[2]);
    break;
  case 'check-node-packages':
    checkNodePackages(args[0], args[1]);
    break;
  default:
    fail(`unknown command ${command}`);
}
