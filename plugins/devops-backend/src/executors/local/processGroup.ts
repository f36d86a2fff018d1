import { spawn } from 'child_process';

/** How often a stopping process group is checked for members still alive. */
const POLL_MS = 50;
/** SIGKILL cannot be ignored; this only bounds the wait for the kernel to act on it. */
const AFTER_KILL_WAIT_MS = 1000;
/** After the script ends, how long output may still arrive from what it left behind. */
const OUTPUT_DRAIN_MS = 2000;

export type ProcessOutcome = {
  /** The exit code, or null when the process was killed by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all. */
  error?: Error;
};

export type ProcessGroupOptions = {
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborting it stops every process of the group: SIGTERM, then SIGKILL. */
  signal: AbortSignal;
  /** How long the processes get between SIGTERM and SIGKILL. */
  killGracePeriodMs: number;
  /** Output as it arrives, decoded as UTF-8; never collected here. */
  onOutput(chunk: string): void;
  /** What the runner did to the processes, in words for the task log. */
  onNotice(level: 'Normal' | 'Warning', text: string): void;
};

/**
 * The leader of a task's process group, a shell that runs the command in the group and
 * ends the whole group when the backend that started it dies: the backend holds the other
 * end of the pipe on fd 3, which reads end of file once the backend is gone, even by
 * SIGKILL, which leaves it no time to stop its tasks itself. Without this a task went on
 * running, unseen, and a re-run repeated what it did (SPEC §3: nothing runs twice unasked).
 * The leader ignores SIGTERM and passes on how the command ended (its code, or the signal
 * that ended it), so the backend sees what the command did, not what the leader did.
 */
const GROUP_LEADER = `
"$@" 3<&- &
task=$!
{ read -r _ || kill -KILL 0; } <&3 >/dev/null 2>&1 &
watch=$!
exec 3<&-
trap '' TERM
wait "$task"
status=$?
kill "$watch" 2>/dev/null
if [ "$status" -gt 128 ] && [ "$status" -le 192 ]; then
  trap - TERM
  kill -$((status - 128)) $$ 2>/dev/null
fi
exit "$status"
`;

/**
 * Runs a command as the leader of a new process group, so that stopping it reaches
 * everything it started (`make` and its compilers, `npm` and its scripts) and not only
 * the shell, and so that the group ends with the backend (see GROUP_LEADER). Resolves
 * once the command has exited and its output is read to the end.
 */
export function runProcessGroup(
  options: ProcessGroupOptions,
): Promise<ProcessOutcome> {
  const { signal, killGracePeriodMs, onOutput, onNotice } = options;

  return new Promise(resolve => {
    const child = spawn(
      'sh',
      ['-c', GROUP_LEADER, 'devops-task', options.command, ...options.args],
      {
        cwd: options.cwd,
        env: options.env,
        detached: true,
        // fd 3: the pipe whose end tells the group that the backend is gone.
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      },
    );
    const pid = child.pid;
    let exited: ProcessOutcome | undefined;
    let stopping: Promise<void> | undefined;
    let drainTimer: NodeJS.Timeout | undefined;
    let done = false;

    const finish = (outcome: ProcessOutcome) => {
      if (done) return;
      done = true;
      clearTimeout(drainTimer);
      signal.removeEventListener('abort', onAbort);
      resolve(outcome);
    };
    const stopGroup = () => {
      stopping ??= pid
        ? terminateGroup(pid, killGracePeriodMs, onNotice)
        : Promise.resolve();
      return stopping;
    };
    function onAbort() {
      onNotice(
        'Normal',
        'Stopping the script: SIGTERM to all of its processes',
      );
      void stopGroup();
    }

    // Piped above; the typings drop that for four stdio entries.
    const output = [child.stdout!, child.stderr!];
    for (const stream of output) {
      stream.setEncoding('utf8');
      stream.on('data', onOutput);
    }
    signal.addEventListener('abort', onAbort, { once: true });

    child.on('error', error => finish({ exitCode: null, signal: null, error }));
    child.on('exit', (exitCode, exitSignal) => {
      exited = { exitCode, signal: exitSignal };
      // What the script started and left running would run on after the task and keep
      // its output open; like CI services do, the task's end ends them too.
      let leftovers = Promise.resolve();
      if (pid && groupAlive(pid)) {
        if (!stopping) {
          onNotice('Normal', 'Stopping processes the script left running');
        }
        leftovers = stopGroup();
      }
      void leftovers.then(() => {
        if (done) return;
        // A process that moved to a session of its own (setsid) escapes the group
        // and may hold the output open forever; stop waiting for it.
        drainTimer = setTimeout(() => {
          onNotice(
            'Warning',
            'A process started by the script outside its process group still holds its output; no more of it is read',
          );
          output.forEach(stream => stream.destroy());
        }, OUTPUT_DRAIN_MS);
      });
    });
    // The group's end of the pipe closes with the group; this end is kept until then.
    child.on('exit', () => child.stdio[3]?.destroy());
    child.on('close', () => finish(exited ?? { exitCode: null, signal: null }));
  });
}

async function terminateGroup(
  pid: number,
  gracePeriodMs: number,
  onNotice: ProcessGroupOptions['onNotice'],
): Promise<void> {
  signalGroup(pid, 'SIGTERM');
  if (await waitUntilGone(pid, gracePeriodMs)) return;
  onNotice(
    'Warning',
    `The script's processes did not stop within ${
      gracePeriodMs / 1000
    } s of SIGTERM; killing them with SIGKILL`,
  );
  signalGroup(pid, 'SIGKILL');
  await waitUntilGone(pid, AFTER_KILL_WAIT_MS);
}

async function waitUntilGone(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (groupAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/** Signal 0 only asks whether the group still has a member. */
function groupAlive(pid: number): boolean {
  return signalGroup(pid, 0);
}

function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    // A negative pid addresses the whole process group the leader created.
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
