-- wrk script for bench/load.py: each connection walks a list of paths in turn
-- (given after `--`), counts page-cache hits and 5xx answers, and prints one
-- line of figures the Python side parses.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = args
  n = math.random(#paths)
  hits, misses, server_errors, too_many = 0, 0, 0, 0
end

function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end

function response(status, headers, body)
  if status >= 500 then server_errors = server_errors + 1 end
  if status == 429 then too_many = too_many + 1 end
  local cache = headers["x-page-cache"] or headers["X-Page-Cache"]
  if cache == "hit" then hits = hits + 1 else misses = misses + 1 end
end

function done(summary, latency, requests)
  local h, m, e, t = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    m = m + thread:get("misses")
    e = e + thread:get("server_errors")
    t = t + thread:get("too_many")
  end
  local errors = summary.errors
  io.write(string.format(
    "CANDOR requests=%d seconds=%.3f p50=%d p95=%d p99=%d max=%d hits=%d misses=%d "
    .. "server_errors=%d too_many=%d connect=%d read=%d write=%d timeout=%d non2xx=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    h, m, e, t, errors.connect, errors.read, errors.write, errors.timeout, errors.status))
end
