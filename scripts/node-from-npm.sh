#!/usr/bin/env bash
# Prints the path of a Node.js binary of the given version, fetched once from
# the npm registry (Node's own binaries, repackaged there as node-<os>-<cpu>) into
# .cache/. The runner starts this action with node24 (action.yml), and CI and
# this project's machines may only reach the npm registry, not nodejs.org.
# Usage: scripts/node-from-npm.sh [VERSION]   (default: the Node 24 pinned below,
# which .ci/run and the benchmark's main run use)
set -euo pipefail
version="${1:-24.21.0}"
case "$(uname -s)" in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  *) echo "node-from-npm: no npm build of Node.js for $(uname -s)" >&2; exit 1 ;;
esac
case "$(uname -m)" in
  x86_64 | amd64) cpu=x64 ;;
  aarch64 | arm64) cpu=arm64 ;;
  *) echo "node-from-npm: no npm build of Node.js for $(uname -m)" >&2; exit 1 ;;
esac
root="$(cd "$(dirname "$0")/.." && pwd)"
dir="$root/.cache/node-$os-$cpu-$version"
if [ ! -x "$dir/bin/node" ]; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && npm pack --silent "node-$os-$cpu@$version" >/dev/null && tar xzf ./*.tgz)
  mkdir -p "$root/.cache"
  rm -rf "$dir"
  mv "$work/package" "$dir"
fi
"$dir/bin/node" --version >/dev/null
echo "$dir/bin/node"
