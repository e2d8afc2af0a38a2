#!/bin/sh
# Golden test of the analyzer: text in, terms out.
exec sh "$(dirname "$0")/run-golden" analyze analyzer
