#!/usr/bin/env bash
# docs/images/make-images.sh - redraws the chart the README shows, from the bundled fixtures,
# with the perfgate built in build/ (run from anywhere; writes docs/images/spectrum.svg).
set -euo pipefail
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
./build/perfgate report --charts "$tmp" --markdown "$tmp/report.md" \
	vu5=fixtures/k6/limited-vu5/out.json.gz vu20=fixtures/k6/limited-vu20/out.json.gz \
	vu60=fixtures/k6/limited-vu60/out.json.gz >/dev/null
cp "$tmp/spectrum.svg" docs/images/spectrum.svg
echo "wrote docs/images/spectrum.svg"
