#!/usr/bin/env bash
# Builds the documentation site into docs/_site: the API reference from the XML docs of every library under src/, and
# the guides. Warnings (a broken cross-reference, a link to a missing file) are errors. `docs/build.sh --serve` also
# serves the site on http://localhost:8080.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet tool restore > /dev/null
rm -rf api/*.yml api/.manifest _site
dotnet docfx metadata docfx.json --warningsAsErrors
dotnet docfx build docfx.json --warningsAsErrors "$@"
