import type { CoreV1Api, CoreV1Event, V1Pod, Watch } from '@kubernetes/client-node';
import { keepWatching, WatchEventType } from './keepWatching';
import { LABELS, MANAGED_BY } from './names';

/** What a task pod's follower hears about its pod. */
export type PodListener = {
  onPod(type: WatchEventType, pod: V1Pod): void;
  onEvent(event: CoreV1Event): void;
  /** The pod or event watch failed; `failingForMs` is how long it has failed in a row. */
  onError(what: 'pod' | 'events', error: unknown, failingForMs: number): void;
};

export type NamespacePodWatchOptions = {
  namespace: string;
  connect(): Promise<{ core: CoreV1Api; watch: Watch }>;
  /**
   * How long the watches stay open after the last listener left, so that the next task
   * of a run does not list the namespace again. Default: 5 s.
   */
  idleMs?: number;
};

const PODS_SELECTOR = `${LABELS.managedBy}=${MANAGED_BY}`;
const eventKey = (event: CoreV1Event) => event.metadata?.uid ?? event.metadata?.name ?? '';
const EVENTS_SELECTOR = 'involvedObject.kind=Pod';

/**
 * One watch of the DevOps pods of a namespace, and one of their events, shared by every
 * task pod followed there: a watch per pod costs the API server a connection and a list
 * per task, which limits how many tasks run at once (Tekton's controllers share
 * informers the same way). The pods and events seen are kept, so a listener that comes
 * after its pod was created, or after a takeover, hears its state and history first.
 */
export class NamespacePodWatch {
  readonly #listeners = new Map<string, Set<PodListener>>();
  readonly #pods = new Map<string, V1Pod>();
  /** Per pod name, its events by uid. */
  readonly #events = new Map<string, Map<string, CoreV1Event>>();
  #stop?: AbortController;
  #idle?: NodeJS.Timeout;
  #clients?: ReturnType<NamespacePodWatchOptions['connect']>;

  constructor(private readonly options: NamespacePodWatchOptions) {}

  /** Listens to one pod; replays what is known of it. Returns the way to stop listening. */
  subscribe(pod: string, listener: PodListener): () => void {
    clearTimeout(this.#idle);
    this.#idle = undefined;
    let listeners = this.#listeners.get(pod);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(pod, listeners);
    }
    listeners.add(listener);
    const known = this.#pods.get(pod);
    if (known) listener.onPod('ADDED', known);
    for (const event of this.#events.get(pod)?.values() ?? []) listener.onEvent(event);
    if (!this.#stop) this.#start();
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.#unsubscribe(pod, listener);
    };
  }

  #unsubscribe(pod: string, listener: PodListener) {
    const listeners = this.#listeners.get(pod);
    listeners?.delete(listener);
    if (listeners?.size === 0) {
      this.#listeners.delete(pod);
      if (!this.#pods.has(pod)) this.#events.delete(pod);
    }
    if (this.#listeners.size === 0 && this.#stop && !this.#idle) {
      this.#idle = setTimeout(() => this.close(), this.options.idleMs ?? 5_000);
      this.#idle.unref();
    }
  }

  /** The clients, made once; a failed attempt reaches the listeners and is made again. */
  #connected(): ReturnType<NamespacePodWatchOptions['connect']> {
    if (!this.#clients) {
      const clients = this.options.connect();
      this.#clients = clients;
      clients.catch(() => {
        if (this.#clients === clients) this.#clients = undefined;
      });
    }
    return this.#clients;
  }

  #start() {
    const stop = new AbortController();
    this.#stop = stop;
    const { namespace } = this.options;
    const path = `/api/v1/namespaces/${namespace}`;
    const watch = async () => (await this.#connected()).watch;
    void keepWatching<V1Pod>({
      watch,
      path: `${path}/pods`,
      labelSelector: PODS_SELECTOR,
      list: async () => {
        const pods = await (await this.#connected()).core.listNamespacedPod({
          namespace,
          labelSelector: PODS_SELECTOR,
        });
        this.#forgetPodsMissingFrom(pods.items);
        return pods;
      },
      onObject: (type, pod) => this.#onPod(type, pod),
      onError: (error, failingForMs) => this.#broadcastError('pod', error, failingForMs),
      signal: stop.signal,
    });
    void keepWatching<CoreV1Event>({
      watch,
      path: `${path}/events`,
      fieldSelector: EVENTS_SELECTOR,
      list: async () =>
        (await this.#connected()).core.listNamespacedEvent({
          namespace,
          fieldSelector: EVENTS_SELECTOR,
        }),
      onObject: (type, event) => {
        if (type === 'DELETED') this.#forgetEvent(event);
        else this.#onEvent(event);
      },
      onError: (error, failingForMs) => this.#broadcastError('events', error, failingForMs),
      signal: stop.signal,
    });
  }

  /** Ends the watches and forgets what they saw; done by itself once nobody listens. */
  close() {
    clearTimeout(this.#idle);
    this.#stop?.abort();
    this.#stop = undefined;
    this.#idle = undefined;
    this.#clients = undefined;
    this.#pods.clear();
    this.#events.clear();
  }

  /**
   * A pod deleted while the watch was down sends no DELETED: a fresh list not holding a
   * pod that was seen is its deletion (as an informer's re-list does).
   */
  #forgetPodsMissingFrom(listed: V1Pod[]) {
    const names = new Set(listed.map(pod => pod.metadata?.name));
    for (const [name, pod] of [...this.#pods]) {
      if (!names.has(name)) this.#onPod('DELETED', pod);
    }
  }

  #onPod(type: WatchEventType, pod: V1Pod) {
    const name = pod.metadata?.name;
    if (!name) return;
    if (type === 'DELETED') {
      this.#pods.delete(name);
      if (!this.#listeners.has(name)) this.#events.delete(name);
    } else {
      this.#pods.set(name, pod);
    }
    for (const listener of this.#listeners.get(name) ?? []) listener.onPod(type, pod);
  }

  #onEvent(event: CoreV1Event) {
    const pod = event.involvedObject?.name;
    // Events of pods that are not DevOps's, or are gone, are not kept.
    if (!pod || (!this.#pods.has(pod) && !this.#listeners.has(pod))) return;
    let events = this.#events.get(pod);
    if (!events) {
      events = new Map();
      this.#events.set(pod, events);
    }
    events.set(eventKey(event), event);
    for (const listener of this.#listeners.get(pod) ?? []) listener.onEvent(event);
  }

  /** Events expire (after an hour by default): kept ones go with them. */
  #forgetEvent(event: CoreV1Event) {
    const pod = event.involvedObject?.name;
    const events = pod ? this.#events.get(pod) : undefined;
    events?.delete(eventKey(event));
    if (pod && events?.size === 0) this.#events.delete(pod);
  }

  #broadcastError(what: 'pod' | 'events', error: unknown, failingForMs: number) {
    for (const listeners of this.#listeners.values()) {
      for (const listener of listeners) listener.onError(what, error, failingForMs);
    }
  }
}
