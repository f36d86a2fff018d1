import { HumanDuration } from '@backstage/types';

export interface Config {
  /** Configuration of the DevOps Pipelines plugin. */
  devops?: {
    /** Users' GitHub and GitLab accounts (the Repositories page). */
    repositories?: {
      /**
       * Host names users may connect although they resolve to internal addresses
       * (loopback, private, link-local), e.g. a GitLab inside the company network.
       * Listed hosts may also be reached over http. Default: none.
       */
      allowedHosts?: string[];
    };
    /** The default permission policy (devopsPermissionPolicyModule), when installed. */
    permissions?: {
      /**
       * Groups whose members are the portal's admins (SPEC §9's cloud admins), as entity
       * refs: `group:default/platform-admins`. Default: none.
       */
      adminGroups?: string[];
    };
    /** Triggers that start pipelines by themselves. */
    triggers?: {
      /**
       * The IANA time zone periodic triggers fire in ("every day at 08:00" is 08:00
       * there), and the trigger dialog's preview shows. Default: `UTC`.
       */
      timezone?: string;
    };
    /**
     * Kubernetes clusters pipelines run on. The clusters one can bind are those of
     * `kubernetes.clusterLocatorMethods` entries of type `config` (with a
     * `serviceAccountToken`) and the contexts of `kubeconfig` below.
     */
    kubernetes?: {
      /**
       * A kubeconfig file whose contexts are offered as clusters, each named after its
       * context (for local clusters such as kind or minikube). Default: none.
       */
      kubeconfig?: string;
      /**
       * Binding a cluster creates a namespace for task pods, unless the binding names one:
       * `<namespacePrefix>-<cluster name>`, so that two bindings never share one. An RFC
       * 1123 label of at most 40 characters. Default: `devops`.
       */
      namespacePrefix?: string;
      /**
       * How often every bound cluster is checked (reachable, credentials accepted,
       * namespace present), e.g. `{ minutes: 5 }` or `PT5M`. Default: 1 minute.
       */
      healthCheckFrequency?: HumanDuration | string;
      /**
       * CPU and memory of task pods (Kubernetes quantities: `500m`, `2`, `512Mi`, `1Gi`).
       * A task's own `resources` win over the defaults; nothing may exceed a maximum (the
       * task fails saying which value to lower). Default: none (the cluster's defaults).
       */
      taskResources?: {
        defaults?: {
          requests?: { cpu?: string; memory?: string };
          limits?: { cpu?: string; memory?: string };
        };
        maximums?: { cpu?: string; memory?: string };
      };
      /**
       * Images of the tools task pods run, for air-gapped portals that pull from a mirror.
       * Each must keep its upstream's entrypoint and tools (kaniko's `/kaniko/executor`;
       * helm with `sh`, `awk` and `curl` or `wget`).
       */
      images?: {
        /** Clones the run's commit into each task pod. Default: `alpine/git:2.47.2`. */
        git?: string;
        /** Builds and pushes images (buildImage). Default: `gcr.io/kaniko-project/executor:v1.23.2`. */
        kaniko?: string;
        /** Packages, publishes and installs charts. Default: `alpine/helm:3.16.4`. */
        helm?: string;
      };
      /**
       * Which task pods stay on the cluster after their run, for debugging with kubectl:
       * `none`, `failed` (pods whose task failed) or `all`. The Secrets made for a run
       * (variables, credentials) are deleted in every case. Default: `none`.
       */
      podRetention?: 'none' | 'failed' | 'all';
      /**
       * How long a task pod may fail to pull its image (ErrImagePull, ImagePullBackOff)
       * before the task fails, e.g. `{ minutes: 2 }` or `PT2M`. Default: 2 minutes.
       */
      imagePullTimeout?: HumanDuration | string;
    };
    /**
     * Where pipelines may deploy besides the cluster their runs are bound to (where they
     * may deploy into any namespace). A Deploy YAML or Deploy chart task whose target no
     * entry allows is refused when its pipeline is saved (403, naming the cluster) and
     * fails when it runs. Default: none, so each project deploys to its bound cluster only.
     */
    deployTargets?: Array<{
      /** A cluster the portal knows (kubernetes.clusterLocatorMethods or the kubeconfig). */
      cluster: string;
      /**
       * The namespaces allowed there; `*` matches any run of name characters (`web-*`).
       * Default: every namespace.
       */
      namespaces?: string[];
      /**
       * Groups whose entities may deploy there: those the group owns and those owned by
       * a group nested in it. `web-team` means `group:default/web-team`.
       */
      groups?: string[];
      /** Catalog entities whose pipelines may deploy there (`component:default/shop`). */
      entities?: string[];
    }>;
    /**
     * The image registry buildImage tasks push to, as `<host>/<workspace>/<image>:<tag>`.
     * Without it, buildImage tasks fail saying so.
     */
    registry?: {
      /** Host name with an optional port, without a scheme, e.g. `hub.example.com` or `registry.local:5000`. */
      host: string;
      /**
       * A `kubernetes.io/dockerconfigjson` Secret in the task pods' namespace with push
       * credentials for the registry. Default: none (anonymous push).
       */
      credentialsSecret?: string;
      /** The registry speaks plain HTTP or has a certificate that cannot be verified. Default: false. */
      insecure?: boolean;
    };
    /**
     * The chart repository publishChart tasks push to and deployChart tasks install from.
     * Without it, those tasks fail saying so.
     */
    chartRepository?: {
      /** `oci` (an OCI registry such as Harbor) or `chartmuseum`. */
      type: 'oci' | 'chartmuseum';
      /**
       * For `oci`, the registry and path charts go under, e.g. `oci://harbor.example.com/charts`;
       * for `chartmuseum`, its base URL, e.g. `https://charts.example.com`.
       */
      url: string;
      /**
       * A `kubernetes.io/basic-auth` Secret (keys `username` and `password`) in the task
       * pods' namespace. Default: none (anonymous access).
       */
      credentialsSecret?: string;
    };
    executor?: {
      /**
       * Where runs execute. `auto`: on the cluster bound for the pipeline's project, else
       * with the local executor when it is enabled. `kubernetes`: only on a bound cluster
       * (a run without one fails saying so). `local`: always with the local executor.
       * Default: `auto`.
       */
      type?: 'auto' | 'local' | 'kubernetes';
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
      /**
       * Largest request body the API takes, in bytes (a pipeline document, an import);
       * a larger one is refused with 413 before it is parsed. Default: 2 MiB.
       */
      maxRequestBytes?: number;
      /**
       * Requests one address may send the code hosts' OAuth callback
       * (`/repositories/<host>/redirect`, which takes no Backstage token) per minute, on
       * each replica; more get 429. Default: 30.
       */
      callbackRequestsPerMinute?: number;
    };
    /**
     * The key that encrypts secret parameter values at rest. Without it a random key is
     * used, and secrets stored before a restart cannot be read after it.
     * @visibility secret
     */
    encryptionKey?: string;
    /**
     * Keys `encryptionKey` had before it was rotated. Values they sealed are still read,
     * and are sealed again with `encryptionKey` at startup; remove them once every
     * replica runs with the new key.
     * @visibility secret
     */
    previousEncryptionKeys?: string[];
    /** Pipeline documents (YAML files) loaded at startup when missing, for demos. */
    seed?: {
      /**
       * Folders holding `*.yaml` pipeline documents (sub-folders are not read): a path, or
       * `{ path, createdBy }` to record the folder's pipelines as created by that user.
       */
      directories?: Array<string | { path: string; createdBy?: string }>;
      /**
       * Who is recorded as the creator of the seed pipelines of folders that name none,
       * e.g. the demo's guest so that it may edit them (only a pipeline's creator edits
       * it, SPEC §9). An entity ref; default: service:devops-seed.
       */
      createdBy?: string;
    };
  };
}
