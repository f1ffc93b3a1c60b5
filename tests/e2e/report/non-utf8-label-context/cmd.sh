ln -s "$FIXTURES" fixtures
# a label that is not UTF-8 (Latin-1 'é', then 0xFF): \xE9\xFF text in the context, no key lost
"$PERFGATE" report --dump-context --markdown out/report.md $'caf\xe9\xff'=fixtures/wrk/limited-c10.txt >out/context.json
