#!/usr/bin/env bash
# Rewrites tests/MetaLearn.PublicApi.Tests/approved/*.txt from the libraries as they are now. Run it after a deliberate
# change to a public API, review the diff (git diff tests/MetaLearn.PublicApi.Tests/approved) and commit it with the change.
set -euo pipefail
cd "$(dirname "$0")/.."
METALEARN_UPDATE_PUBLIC_API=1 dotnet test tests/MetaLearn.PublicApi.Tests -c Release --filter "FullyQualifiedName~PublicApiIsTheApprovedOne" "$@"
git status --short tests/MetaLearn.PublicApi.Tests/approved
