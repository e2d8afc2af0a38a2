-- wrk script for bench/run-http.sh: cycles through the request paths in
-- the file $POLSEARCH_HTTP_PATHS (one a line, already URL-encoded), each
-- wrk thread from its own starting point, and prints one machine-readable
-- line at the end:
--   result requests=N seconds=S rps=R p50_ms=A p90_ms=B p99_ms=C errors=E non2xx=F
local paths = {}
local f = assert(io.open(os.getenv("POLSEARCH_HTTP_PATHS"), "r"))
for line in f:lines() do
  if #line > 0 then paths[#paths + 1] = line end
end
f:close()
assert(#paths > 0, "no request paths")

local counter = 0
function setup(thread)
  thread:set("start", counter * 97)
  counter = counter + 1
end

local i = nil
function request()
  if i == nil then i = (tonumber(start) or 0) % #paths end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function done(summary, latency, requests)
  local e = summary.errors
  local s = summary.duration / 1e6
  io.write(string.format(
    "result requests=%d seconds=%.2f rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f errors=%d non2xx=%d\n",
    summary.requests, s, summary.requests / s,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000,
    e.connect + e.read + e.write + e.timeout, e.status))
end
