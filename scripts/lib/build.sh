# Sourced by the scripts that run the lab's programs: builds a project in Release only when its output is missing or
# older than any of its sources (its own folder, src/Shared, the proto and the build props).
#
#   build_release_if_needed PROJECT_DIR OUTPUT_DLL LOG_FILE [EXTRA_SOURCE_DIR...]
build_release_if_needed() {
  local project_dir=$1 output=$2 log=$3
  shift 3
  local root
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  if [[ -f $output && -z $(find "$project_dir" "$@" "$root/src/Shared" "$root/protos" "$root"/Directory.*.props -newer "$output" \
    \( -name '*.cs' -o -name '*.csproj' -o -name '*.proto' -o -name '*.props' \) -not -path '*/obj/*' -not -path '*/bin/*' -print -quit) ]]; then
    return 0
  fi
  echo "building $(basename "$project_dir") (Release)..." >&2
  mkdir -p "$(dirname "$log")"
  if ! dotnet build "$project_dir" -c Release --nologo -v quiet -clp:ErrorsOnly >"$log" 2>&1; then
    cat "$log" >&2
    echo "$(basename "$project_dir") did not build (log above, also in $log)" >&2
    return 1
  fi
}
