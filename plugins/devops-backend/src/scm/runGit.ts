import { spawn } from 'child_process';
import { SourceError } from '../executors/types';
import { credentialHelperSetup, type GitCredentials } from './gitCredentials';
import { allowedGitProtocols } from './gitUrl';

/** What is kept of a git command's output: enough for ref listings and error messages. */
const MAX_CAPTURED_BYTES = 1024 * 1024;

/**
 * Variables that point git at another repository than the one asked for; a backend
 * started from inside a git hook, for example, has them set.
 */
const REPOSITORY_LOCATION_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
];

export type GitOptions = {
  cwd?: string;
  allowFileUrls: boolean;
  timeoutMs: number;
  /** For a private http(s) repository; see {@link credentialHelperSetup}. */
  credentials?: GitCredentials;
};

export type GitResult = {
  /** null when git was killed (see `timedOut`). */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
};

/**
 * Runs `git <args>` without a shell and without any way to prompt: credentials come from
 * `options.credentials`, the backend's own git setup or the URL, never from a person at
 * a terminal.
 */
export async function runGit(
  args: string[],
  options: GitOptions,
): Promise<GitResult> {
  const helper = credentialHelperSetup(options.credentials);
  const env: NodeJS.ProcessEnv = { ...process.env, ...helper.env };
  for (const name of REPOSITORY_LOCATION_VARIABLES) delete env[name];
  env.GIT_TERMINAL_PROMPT = '0';
  env.GIT_ALLOW_PROTOCOL = allowedGitProtocols(options.allowFileUrls);
  // Git keeps Authorization headers out of its traces (GIT_TRACE_CURL and the like, which
  // reach stderr and so error messages) unless this is 0.
  env.GIT_TRACE_REDACT = '1';

  return new Promise((resolve, reject) => {
    // detached: a new session has no controlling terminal, so even ssh cannot ask for a
    // password or host key; and git's helpers (ssh, remote-https) share one process
    // group that a timeout kills as a whole.
    const child = spawn('git', [...helper.args, ...args], {
      cwd: options.cwd,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = capture(child.stdout);
    const stderr = capture(child.stderr);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // The group ended on its own in the meantime.
      }
    }, options.timeoutMs);

    child.on('error', error => {
      clearTimeout(timer);
      reject(
        (error as NodeJS.ErrnoException).code === 'ENOENT'
          ? new SourceError(
              'The git command is not installed on the DevOps backend host; install git to use pipeline sources',
            )
          : error,
      );
    });
    child.on('close', code => {
      clearTimeout(timer);
      resolve({ code, stdout: stdout(), stderr: stderr(), timedOut });
    });
  });
}

function capture(stream: NodeJS.ReadableStream): () => string {
  const chunks: Buffer[] = [];
  let size = 0;
  stream.on('data', (chunk: Buffer) => {
    if (size >= MAX_CAPTURED_BYTES) return;
    chunks.push(chunk);
    size += chunk.length;
  });
  return () => Buffer.concat(chunks).toString('utf8');
}

/**
 * The first lines git wrote to stderr, for a message a user reads: git puts the cause
 * first and generic advice ("Please make sure you have the correct access rights") after.
 */
export function firstLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map(line => line.trim().replace(/\.$/, ''))
    .filter(Boolean)
    .slice(0, 2)
    .join('; ');
}
