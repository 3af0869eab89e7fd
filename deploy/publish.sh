#!/usr/bin/env bash
# Publishes the central server (framework-dependent, needs the ASP.NET Core 10 runtime) and packs the sitesync tool:
#   deploy/publish.sh [OUTPUT]    (default: artifacts/)
# then copy OUTPUT/central to /opt/sitesync/central (deploy/systemd/) and install the tool with
#   dotnet tool install --global SiteSync.Cli --add-source OUTPUT/packages
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(realpath -m "${1:-artifacts}")
dotnet publish src/SiteSync.Central/SiteSync.Central.csproj -c Release -o "$out/central"
dotnet pack src/SiteSync.Cli/SiteSync.Cli.csproj -c Release -o "$out/packages"
echo "publish.sh: central in $out/central, sitesync tool package in $out/packages"
