#!/usr/bin/env bash
# validate_junit.sh SOURCE_DIR SHARED_DIR SAMPLES_DIR
#
# Validates every JUnit file the test suite produces with xmllint against the JUnit schemas
# perfgate targets (formats/junit.md), read in place from SHARED_DIR/junit-xsd (never copied):
#   - jenkins-junit.xsd          (Jenkins / JUnit 5's reference schema)
#   - xunit-plugin-junit-10.xsd  (what Jenkins' xUnit plugin checks every input against)
# The files: every *.xml under tests/e2e/**/expect/out/ and SAMPLES_DIR/*.xml (written by the
# unit test test_emit). Each file must also declare the counts it holds: tests, failures and
# skipped of every <testsuite>, and tests and failures of <testsuites>.
# Exits 77 (skipped) when SHARED_DIR/junit-xsd is absent, or when xmllint is missing (Debian
# libxml2-utils, which .ci/run installs); 1 when any file fails.
set -u
src=$1 shared=$2 samples=$3
xsd_dir=$shared/junit-xsd
schemas=(jenkins-junit.xsd xunit-plugin-junit-10.xsd)

if [ ! -d "$xsd_dir" ]; then
	echo "SKIP: $xsd_dir not found (the JUnit schemas live in shared/ beside the checkout)"
	exit 77
fi
for schema in "${schemas[@]}"; do
	if [ ! -f "$xsd_dir/$schema" ]; then
		echo "FAIL: $xsd_dir/$schema is missing"
		exit 1
	fi
done
if ! command -v xmllint >/dev/null; then
	echo "SKIP: xmllint not found; install Debian's libxml2-utils (.ci/run does)"
	exit 77
fi

files=()
while IFS= read -r f; do files+=("$f"); done < <(
	find "$src/tests/e2e" -path '*/expect/out/*' -name '*.xml' -type f | sort
	find "$samples" -maxdepth 1 -name '*.xml' -type f | sort)
if [ ${#files[@]} = 0 ]; then
	echo "FAIL: no JUnit files found (test_emit writes its samples into $samples)"
	exit 1
fi

# XPath expressions that must all be 0 for a file whose declared counts match its contents
checks=(
	'count(//testsuite[@tests != count(testcase)])'
	'count(//testsuite[@failures != count(testcase[failure])])'
	'count(//testsuite[@skipped != count(testcase[skipped])])'
	'count(/testsuites[@tests != count(//testcase)])'
	'count(/testsuites[@failures != count(//testcase[failure])])'
)

pass=0 fail=0
for f in "${files[@]}"; do
	name=${f#"$src"/}
	for schema in "${schemas[@]}"; do
		if out=$(xmllint --noout --nonet --schema "$xsd_dir/$schema" "$f" 2>&1); then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $name vs $schema:"
			echo "$out" | head -5
		fi
	done
	for check in "${checks[@]}"; do
		n=$(xmllint --nonet --xpath "$check" "$f" 2>&1)
		if [ "$n" = 0 ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $name: $check is $(echo "$n" | head -1), not 0" \
			     "(declared counts do not match the testcases)"
		fi
	done
done
echo "${#files[@]} files: $pass passed, $fail failed"
[ $fail = 0 ]
