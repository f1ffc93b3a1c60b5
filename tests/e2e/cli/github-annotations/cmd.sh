# with GITHUB_ACTIONS=true, errors also become ::error annotation lines
GITHUB_ACTIONS=true "$PERFGATE" show missing.json "$FIXTURES/autocannon/fast-c10-d3.json" >/dev/null
