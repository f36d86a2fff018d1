import { CHART_REPOSITORY_SHELL_FUNCTIONS } from '../chartRepository';

/** Where the target cluster's kubeconfig and the release's values are mounted. */
export const DEPLOY_FILES_DIR = '/devops/deploy';

/**
 * Runs in the helm image with the task's fields as positional parameters, never pasted
 * into the script text: `$1` release, `$2` chart, `$3` version, `$4` namespace,
 * `$5` repository type (oci or chartmuseum), `$6` repository URL, `$7` "true" to create
 * the namespace if missing (`--create-namespace`; otherwise the planner has checked that
 * it exists). helm talks to the target cluster through the mounted kubeconfig, not the
 * cluster the pod runs on.
 * `--wait`: the task succeeds only when the release's workloads are ready (helm's own
 * 5-minute limit), so a later stage never tests a deployment that is still rolling out
 * and a crash-looping release fails the run here.
 */
export const DEPLOY_CHART_SCRIPT = `set -eu
release=$1 chart=$2 version=$3 namespace=$4 repository_type=$5 repository_url=$6 create_namespace=$7
${CHART_REPOSITORY_SHELL_FUNCTIONS}
set -- upgrade --install "$release" --version "$version" --namespace "$namespace" --wait --kubeconfig ${DEPLOY_FILES_DIR}/kubeconfig --values ${DEPLOY_FILES_DIR}/values.yaml
if [ "$create_namespace" = true ]; then set -- "$@" --create-namespace; fi
case "$repository_type" in
  oci)
    oci_login "$repository_url"
    helm "$@" "$repository_url/$chart"
    ;;
  chartmuseum)
    if have_credentials; then
      set -- "$@" --username "$(cat "$credentials_dir/username")" --password "$(cat "$credentials_dir/password")"
    fi
    helm "$@" "$chart" --repo "$repository_url"
    ;;
esac
`;
