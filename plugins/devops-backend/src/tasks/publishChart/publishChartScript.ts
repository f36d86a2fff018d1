import { CHART_REPOSITORY_SHELL_FUNCTIONS } from '../chartRepository';
import { EXPAND_KNOWN_AWK } from './expandKnownAwk';

/**
 * Runs in the helm image with the task's fields as positional parameters, never pasted
 * into the script text, so no value can change what the shell runs:
 * `$1` chart directory, `$2` chart name, `$3` version, `$4` repository type (oci or
 * chartmuseum), `$5` repository URL, `$6` the names of the run's variables.
 *
 * ChartMuseum uploads use curl when the image has it and busybox wget otherwise: the
 * alpine/helm image removes curl after installing helm, but alpine keeps wget.
 */
export const PUBLISH_CHART_SCRIPT = `set -eu
chart_dir=$1 chart=$2 version=$3 repository_type=$4 repository_url=$5 variable_names=$6
${CHART_REPOSITORY_SHELL_FUNCTIONS}
if [ ! -f "$chart_dir/Chart.yaml" ]; then
  echo "There is no Chart.yaml in $chart_dir: the chart directory must be the folder that holds the chart's Chart.yaml" >&2
  exit 1
fi

values="$chart_dir/values.yaml"
if [ -f "$values" ]; then
  work=$(mktemp -d)
  : > "$work/unknown"
  awk -v names="$variable_names" -v unknown_file="$work/unknown" '${EXPAND_KNOWN_AWK}' "$values" > "$work/values.yaml"
  cat "$work/values.yaml" > "$values"
  echo "Substituted pipeline variables in values.yaml"
  if [ -s "$work/unknown" ]; then
    echo "Left as written in values.yaml, as they are not pipeline variables: $(tr '\\n' ' ' < "$work/unknown")"
  fi
else
  echo "The chart has no values.yaml: nothing to substitute"
fi

packages=$(mktemp -d)
helm package "$chart_dir" --version "$version" --destination "$packages"
package="$packages/$chart-$version.tgz"
if [ ! -f "$package" ]; then
  echo "helm packaged $(ls "$packages"), not $chart-$version.tgz: the name in Chart.yaml must be the task's chart name \\"$chart\\"" >&2
  exit 1
fi

case "$repository_type" in
  oci)
    oci_login "$repository_url"
    helm push "$package" "$repository_url"
    ;;
  chartmuseum)
    set -- --header "Content-Type: application/octet-stream"
    if have_credentials; then
      set -- "$@" --header "Authorization: Basic $(printf '%s:%s' "$(cat "$credentials_dir/username")" "$(cat "$credentials_dir/password")" | base64 | tr -d '\\n')"
    fi
    if command -v curl >/dev/null 2>&1; then
      curl --fail-with-body --silent --show-error "$@" --data-binary "@$package" "$repository_url/api/charts"
    else
      wget -q -O - "$@" --post-file "$package" "$repository_url/api/charts"
    fi
    echo
    ;;
esac
echo "Published chart $chart $version to $repository_url"
`;
