#!/usr/bin/env bash
# Builds the lab's two container images with the .NET SDK's own container support (dotnet publish
# -t:PublishContainer, no Dockerfile): grpc-load-lab/server (on mcr.microsoft.com/dotnet/aspnet:10.0) and
# grpc-load-lab/loadgen (on mcr.microsoft.com/dotnet/runtime:10.0, which has the /bin/sh the Jobs' commands use).
#
#   deploy/kubernetes/build-images.sh [--tag TAG] [--registry HOST] [--archive DIR]
#
# Without --registry or --archive the images go to the local Docker or Podman engine; --registry pushes them there,
# --archive writes DIR/server.tar.gz and DIR/loadgen.tar.gz for `docker load` or a registry tool. Every way pulls the
# base images from mcr.microsoft.com.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

usage() { echo "usage: $0 [--tag TAG] [--registry HOST] [--archive DIR]" >&2; exit 2; }
tag=dev registry='' archive=''
while (($#)); do
  case $1 in
    --tag | --registry | --archive) (($# >= 2)) || usage ;;&
    --tag) tag=$2; shift 2 ;;
    --registry) registry=$2; shift 2 ;;
    --archive) archive=$2; shift 2 ;;
    *) echo "$0: unknown option '$1'" >&2; usage ;;
  esac
done

# publish PROJECT NAME BASE-IMAGE: one image, grpc-load-lab/NAME:TAG.
publish() {
  local project=$1 name=$2 base=$3
  local where=()
  [[ -n $registry ]] && where+=("-p:ContainerRegistry=$registry")
  [[ -n $archive ]] && where+=("-p:ContainerArchiveOutputPath=$archive/$name.tar.gz")
  dotnet publish "$ROOT/$project" -c Release --nologo -t:PublishContainer \
    -p:EnableSdkContainerSupport=true \
    -p:ContainerBaseImage="$base" \
    -p:ContainerRepository="grpc-load-lab/$name" \
    -p:ContainerImageTag="$tag" \
    "${where[@]}"
}

publish src/Server/Server.csproj server mcr.microsoft.com/dotnet/aspnet:10.0
publish src/LoadGen/LoadGen.csproj loadgen mcr.microsoft.com/dotnet/runtime:10.0
