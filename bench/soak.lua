-- wrk script for bench/run-soak.sh: cycles through the request paths in
-- $POLSEARCH_HTTP_PATHS and counts every answer by status class, so a
-- single 5xx during the soak is seen. Prints one line at the end:
--   soak requests=N rps=R p50_ms=A p99_ms=B s2xx=.. s4xx=.. s5xx=.. errors=E
local paths = {}
local f = assert(io.open(os.getenv("POLSEARCH_HTTP_PATHS"), "r"))
for line in f:lines() do
  if #line > 0 then paths[#paths + 1] = line end
end
f:close()

local threads = {}
local counter = 0
function setup(thread)
  thread:set("start", counter * 131)
  counter = counter + 1
  table.insert(threads, thread)
end

local i = nil
s2xx, s4xx, s5xx = 0, 0, 0
function request()
  if i == nil then i = (tonumber(start) or 0) % #paths end
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end

function response(status, headers, body)
  if status >= 500 then s5xx = s5xx + 1
  elseif status >= 400 then s4xx = s4xx + 1
  else s2xx = s2xx + 1 end
end

function done(summary, latency, requests)
  local a, b, c = 0, 0, 0
  for _, t in ipairs(threads) do
    a = a + t:get("s2xx"); b = b + t:get("s4xx"); c = c + t:get("s5xx")
  end
  local e = summary.errors
  local s = summary.duration / 1e6
  io.write(string.format(
    "soak requests=%d rps=%.1f p50_ms=%.2f p99_ms=%.2f s2xx=%d s4xx=%d s5xx=%d errors=%d\n",
    summary.requests, summary.requests / s, latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, a, b, c, e.connect + e.read + e.write + e.timeout))
end
