import { CHART_REPOSITORY_SHELL_FUNCTIONS } from '../chartRepository';

/** Where the target cluster's kubeconfig and the release's values are mounted. */
export const DEPLOY_FILES_DIR = '/devops/deploy';

/**
 * Runs in the helm image with the task's fields as positional parameters, never pasted
 * into the script text: `$1` release, `$2` chart, `$3` version, `$4` namespace,
 * `$5` repository type (oci or chartmuseum), `$6` repository URL. helm talks to the
 * target cluster through the mounted kubeconfig, not the cluster the pod runs on.
 * `--create-namespace`: a first release into a new namespace needs no manual step.
 * `--wait`: the task succeeds only when the release's workloads are ready (helm's own
 * 5-minute limit), so a later stage never tests a deployment that is still rolling out
 * and a crash-looping release fails the run here.
 */
export const DEPLOY_CHART_SCRIPT = `set -eu
release=$1 chart=$2 version=$3 namespace=$4 repository_type=$5 repository_url=$6
${CHART_REPOSITORY_SHELL_FUNCTIONS}
set -- upgrade --install "$release" --version "$version" --namespace "$namespace" --create-namespace --wait --kubeconfig ${DEPLOY_FILES_DIR}/kubeconfig --values ${DEPLOY_FILES_DIR}/values.yaml
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
