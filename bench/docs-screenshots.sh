#!/usr/bin/env bash
# Rewrites docs/report-1400.png, docs/report-400.png and docs/page-brightness-contrast.png from the bundled samples and
# model, in headless Chromium (apt-get install chromium): the opt-in tests of tests/Nuclei.Tests/Docs/DocsScreenshots.cs.
set -euo pipefail
cd "$(dirname "$0")/.."
NUCLEI_SCREENSHOTS=docs dotnet test tests/Nuclei.Tests -c Release --filter "FullyQualifiedName~DocsScreenshots" "$@"
ls -l docs/report-1400.png docs/report-400.png docs/page-brightness-contrast.png
