-- wrk script for bench/submit: replays prepared requests round-robin, counts non-2xx answers and
-- keeps a few of their bodies, then prints one machine-readable result line.
--
-- Environment (read in every wrk thread):
--   BENCH_DATA  file with one request per line: "<token>\t<JSON body>" (submit, floor) or
--               "<token>\t<path>" (read)
--   BENCH_MODE  "submit" (POST /api/v1/applications with a fresh Idempotency-Key), "floor" (POST the
--               body to BENCH_FLOOR_PATH) or "read" (GET <path>)
--   BENCH_RUN   a tag unique to this run, so Idempotency-Keys never repeat across runs
--   BENCH_FLOOR_PATH  the floor endpoint (bench/submit_lib/floor_urls.py)

local data_file = os.getenv("BENCH_DATA")
local mode = os.getenv("BENCH_MODE")
local run_tag = os.getenv("BENCH_RUN") or "run"
local floor_path = os.getenv("BENCH_FLOOR_PATH") or "/api/bench/floor"

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("thread_id", next_id)
   table.insert(threads, thread)
   next_id = next_id + 1
end

function init(args)
   tokens, payloads = {}, {}
   for line in io.lines(data_file) do
      local token, rest = line:match("^([^\t]+)\t(.+)$")
      if token then
         tokens[#tokens + 1] = "Bearer " .. token
         payloads[#payloads + 1] = rest
      end
   end
   count = #tokens
   -- Threads start at different places so they do not send the same user's requests in step.
   position = ((thread_id - 1) * math.floor(count / 2 + 1)) % count
   sent = 0
   non2xx = 0
   sampled = 0
   samples = ""
   headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
end

function request()
   position = position % count + 1
   sent = sent + 1
   headers["Authorization"] = tokens[position]
   if mode == "submit" then
      headers["Idempotency-Key"] = string.format("%s-%d-%d", run_tag, thread_id, sent)
      return wrk.format("POST", "/api/v1/applications", headers, payloads[position])
   elseif mode == "floor" then
      return wrk.format("POST", floor_path, headers, payloads[position])
   end
   return wrk.format("GET", payloads[position], headers, nil)
end

function response(status, resp_headers, body)
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
      if sampled < 3 then
         sampled = sampled + 1
         samples = samples .. "HTTP " .. status .. " " .. string.sub(body or "", 1, 400):gsub("[\r\n\t]", " ") .. "\n"
      end
   end
end

function done(summary, latency, requests)
   local bad, bodies = 0, ""
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("non2xx") or 0)
      bodies = bodies .. (thread:get("samples") or "")
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f "
         .. "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean, bad, e.connect, e.read, e.write, e.timeout))
   for sample in bodies:gmatch("[^\n]+") do
      io.write("BENCH_ERROR " .. sample .. "\n")
   end
end
