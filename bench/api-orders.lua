-- bench/api-orders.lua: wrk script for `npm run bench -- api` (bench/api.ts writes the request
-- file and runs wrk with this script against perpx and against the bare node:http peer).
--
-- Environment (set by bench/api.ts):
--   PERPX_WRK_ORDERS   request file: a first line "perpx-orders <count>", then one line per
--                      request "<account index 0|1> <signed form body>", in send order
--   PERPX_WRK_THREADS  wrk's -t (each thread takes a disjoint contiguous slice of the file)
--   PERPX_WRK_HOST     Host header value (127.0.0.1:<port>)
--   PERPX_WRK_KEY0, PERPX_WRK_KEY1   the two accounts' API keys (X-MBX-APIKEY)
--
-- Every request is pre-signed and distinct (the server's replay guard rejects a repeated
-- signature), so each is sent at most once; request() returns the next pre-formatted raw
-- HTTP/1.1 request of this thread's slice. Should a slice run out, it starts over (`wraps`
-- counts that; against perpx every wrapped request is a replay and answers -1021).

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local requests = {}
local count = 0
local position = 0
local skip_verify = false
wraps = 0
sent = 0

function init(args)
  local file = assert(os.getenv("PERPX_WRK_ORDERS"), "PERPX_WRK_ORDERS not set")
  local nthreads = tonumber(os.getenv("PERPX_WRK_THREADS") or "1")
  local host = assert(os.getenv("PERPX_WRK_HOST"), "PERPX_WRK_HOST not set")
  local heads = {}
  for k = 0, 1 do
    local key = assert(os.getenv("PERPX_WRK_KEY" .. k), "PERPX_WRK_KEY" .. k .. " not set")
    heads[tostring(k)] = "POST /fapi/v1/order HTTP/1.1\r\nHost: " .. host .. "\r\nX-MBX-APIKEY: " .. key ..
      "\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
  end
  local input = assert(io.open(file, "r"))
  local total = tonumber(input:read("*l"):match("^perpx%-orders (%d+)$"))
  -- Contiguous slices, starting on a multiple of 4 so each thread keeps the 4-step account/side cycle.
  local per = math.floor(total / nthreads / 4) * 4
  local from = id * per
  local to = (id == nthreads - 1) and total or from + per
  local index = 0
  for line in input:lines() do
    if index >= to then break end
    if index >= from then
      local who, body = line:sub(1, 1), line:sub(3)
      count = count + 1
      requests[count] = heads[who] .. #body .. "\r\n\r\n" .. body
    end
    index = index + 1
  end
  input:close()
  -- wrk calls request() once on thread 0 right after init to check the request parses; that call
  -- must not use up a request, or the cycle would start one step late.
  skip_verify = (id == 0)
  io.stderr:write("perpx-wrk ready " .. id .. " " .. count .. "\n")
end

function request()
  if skip_verify then
    skip_verify = false
    return requests[1]
  end
  position = position + 1
  if position > count then
    position = 1
    wraps = wraps + 1
  end
  sent = sent + 1
  return requests[position]
end

function done(summary, latency, reqs)
  local total_sent, total_wraps = 0, 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    total_wraps = total_wraps + thread:get("wraps")
  end
  io.stdout:write(string.format("perpx-wrk done sent=%d wraps=%d p50us=%d p90us=%d p99us=%d maxus=%d\n",
    total_sent, total_wraps, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
