-- Respondents for wrk (benchmarks/questionnaire_load.py --client wrk): each wrk
-- thread has one connection and plays its share of the respondents, one after
-- the other: GET the form, take its nonce, POST the answers with it. Respondent
-- n starts at start + n / rate (no earlier; at once when the thread is behind),
-- so the rate is the target's, as with the Python client, at a fraction of its CPU.
--
-- wrk -s questionnaire_load.lua -t T -c T … URL -- rate total start_ms out_dir bodies_file T
--   start_ms: CLOCK_MONOTONIC in ms when respondent 0 starts (Python's time.monotonic)
--   out_dir: one line per respondent in out_dir/thread-<id> (get_ms post_ms
--            respondent_ms get_status post_status), and out_dir/done-<id> when the
--            thread has played all its respondents
--   bodies_file: answers, urlencoded, one set a line (the nonce is added here)
-- Each respondent sends its own X-Forwarded-For address: the server trusts one
-- proxy (LEERBRUG_TRUSTED_PROXIES=1), so the rate limit counts per phone.

local ffi = require("ffi")
ffi.cdef([[
typedef struct { long tv_sec; long tv_nsec; } leerbrug_timespec;
int clock_gettime(int clock, leerbrug_timespec *now);
]])
local clock = ffi.new("leerbrug_timespec")
local function now_ms()
  ffi.C.clock_gettime(1, clock) -- CLOCK_MONOTONIC, as Python's time.monotonic
  return tonumber(clock.tv_sec) * 1000 + tonumber(clock.tv_nsec) / 1e6
end

local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  threads[#threads + 1] = thread
  next_id = next_id + 1
end

local rate, total, start, out_dir, thread_count
local bodies = {}
local out
local number, scheduled -- the respondent this thread plays now, and when it was due
local nonce, sent_at, get_ms, get_status
local finished = false

local function encode(text)
  return (text:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", c:byte())
  end))
end

local function finish_if_done()
  if number >= total and not finished then
    finished = true
    out:close()
    assert(io.open(out_dir .. "/done-" .. id, "w")):close()
  end
end

local function advance()
  number = number + thread_count
  scheduled = start + number * 1000 / rate
  nonce = nil
  finish_if_done()
end

function init(args)
  rate, total, start, out_dir = tonumber(args[1]), tonumber(args[2]), tonumber(args[3]), args[4]
  thread_count = tonumber(args[6])
  for line in io.lines(args[5]) do
    bodies[#bodies + 1] = line
  end
  out = assert(io.open(out_dir .. "/thread-" .. id, "w"))
  number = id
  scheduled = start + number * 1000 / rate
  finish_if_done()
end

function delay()
  if finished then
    return 3600000 -- nothing more to do: wait for the others (Python stops wrk)
  end
  if nonce then
    return 0
  end
  return math.max(0, scheduled - now_ms())
end

local function address()
  return string.format("10.%d.%d.%d", 1 + math.floor(number / 65536) % 254,
    math.floor(number / 256) % 256, number % 256)
end

function request()
  sent_at = now_ms()
  local headers = {
    ["Host"] = "127.0.0.1",
    ["X-Forwarded-Proto"] = "https",
    ["X-Forwarded-For"] = address(),
  }
  if nonce then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "nonce=" .. encode(nonce) .. "&lang=nl&" .. bodies[number % #bodies + 1]
    return wrk.format("POST", wrk.path, headers, body)
  end
  return wrk.format("GET", wrk.path, headers)
end

function response(status, headers, body)
  if finished then
    return
  end
  local took = now_ms() - sent_at
  if nonce == nil then
    get_ms, get_status = took, status
    local found = status == 200 and body:match('name="nonce" value="([^"]+)"')
    if found then
      nonce = found
    else
      out:write(string.format("%.3f - - %d -\n", get_ms, get_status))
      out:flush()
      advance()
    end
    return
  end
  out:write(string.format("%.3f %.3f %.3f %d %d\n", get_ms, took, now_ms() - scheduled, get_status,
    status))
  out:flush()
  advance()
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("wrk: requests %d, connect %d, read %d, write %d, timeout %d, status %d\n",
    summary.requests, e.connect, e.read, e.write, e.timeout, e.status))
end
