#!/bin/sh
# Golden test of the query language: query in, parsed query out.
exec sh "$(dirname "$0")/run-golden" parsequery query
