export interface Config {
  /** Configuration of the DevOps Pipelines plugin. */
  devops?: {
    executor?: {
      /**
       * The local executor runs runScript tasks as child processes of the backend, as the
       * backend's user, in a workspace per run. Meant for development and trying the
       * product without a cluster. Default: false.
       */
      local?: {
        /** Default: false. A warning is logged at startup when enabled. */
        enabled?: boolean;
        /** Where run workspaces are created. Default: a folder in the OS temp dir. */
        workspaceDir?: string;
        /** Allow `file://` repositories as pipeline sources (the demo uses them). Default: false. */
        allowFileUrls?: boolean;
      };
    };
    engine?: {
      /** Runs one backend replica drives at once. Default: 10. */
      concurrentRuns?: number;
      /** A run whose engine missed heartbeats this long is taken over. Default: 30 seconds. */
      staleAfterSeconds?: number;
    };
    limits?: {
      /** Most pipelines the portal holds; unset or 0 means unlimited. */
      maxPipelines?: number;
      /** Bytes of log kept per task; output past it is cut with a note. Default: 10 MiB. */
      maxLogBytesPerTask?: number;
    };
    /**
     * The key that encrypts secret parameter values at rest. Without it a random key is
     * used, and secrets stored before a restart cannot be read after it.
     * @visibility secret
     */
    encryptionKey?: string;
    /** Pipeline documents (YAML files) loaded at startup when missing, for demos. */
    seed?: {
      /** Folders holding `*.yaml` pipeline documents. */
      directories?: string[];
    };
  };
}
