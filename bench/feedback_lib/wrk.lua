-- wrk script for bench/feedback: ratings through the API, each case rated once, and the window's
-- 评价器 (invite, then rate). Prints one machine-readable result line.
--
-- Environment (read in every wrk thread):
--   BENCH_DATA  one line per request
--                 "<token>\t<path>\t<JSON body>"  (mode "rate": POST the body to the path; each thread
--                                                   a block of lines of its own, so no case is rated twice)
--                 "<token>\t<JSON body>"          (mode "tablet": thread i is the clerk of line i; the
--                                                   bodies of all lines are the ratings it sends)
--   BENCH_MODE  "rate" or "tablet"
--   BENCH_THREADS  wrk's -t
-- Mode "tablet" needs one connection per thread (-c = -t): a thread's requests alternate between the
-- clerk's invitation and the rating of it, and the rating names the invitation the answer gave.

local data_file = os.getenv("BENCH_DATA")
local mode = os.getenv("BENCH_MODE")

local threads = {}
local next_id = 1

function setup(thread)
   thread:set("thread_id", next_id)
   table.insert(threads, thread)
   next_id = next_id + 1
end

function init(args)
   thread_count = tonumber(os.getenv("BENCH_THREADS") or "1")  -- each thread has a Lua state of its own
   tokens, paths, bodies = {}, {}, {}
   local lines = 0
   for _ in io.lines(data_file) do lines = lines + 1 end
   -- mode "rate": thread i takes the i-th of thread_count contiguous blocks of lines
   first = math.floor(lines * (thread_id - 1) / thread_count)
   last = math.floor(lines * thread_id / thread_count)
   local index = 0
   for line in io.lines(data_file) do
      local token, rest = line:match("^([^\t]+)\t(.+)$")
      if token then
         index = index + 1
         if mode == "rate" then
            local path, body = rest:match("^([^\t]+)\t(.+)$")
            if index > first and index <= last then
               tokens[#tokens + 1] = "Bearer " .. token
               paths[#paths + 1] = path
               bodies[#bodies + 1] = body
            end
         else
            if index == thread_id then
               clerk = "Bearer " .. token
            end
            bodies[#bodies + 1] = rest
         end
      end
   end
   count = #bodies
   position = 0
   if mode == "tablet" then
      position = ((thread_id - 1) * 7) % count  -- threads start at different ratings
   end
   invitation = nil
   exhausted, rated, invited, non2xx, sampled, samples = 0, 0, 0, 0, 0, ""
   headers = { ["Content-Type"] = "application/json", ["Accept"] = "application/json" }
end

function request()
   if mode == "rate" then
      position = position + 1
      if position > count then
         exhausted = exhausted + 1
         position = 1
      end
      headers["Authorization"] = tokens[position]
      return wrk.format("POST", paths[position], headers, bodies[position])
   end
   headers["Authorization"] = clerk
   if invitation == nil then
      return wrk.format("POST", "/api/v1/rating-invitations", headers, "{}")
   end
   position = position % count + 1
   return wrk.format("POST", "/api/v1/rating-invitations/" .. invitation .. "/rating", headers, bodies[position])
end

function response(status, resp_headers, body)
   local ok = status >= 200 and status <= 299
   if mode == "tablet" then
      if invitation == nil then
         invitation = ok and (body or ""):match('"id"%s*:%s*(%d+)') or nil
         if invitation then invited = invited + 1 end
      else
         invitation = nil
         if ok then rated = rated + 1 end
      end
   elseif ok then
      rated = rated + 1
   end
   if not ok then
      non2xx = non2xx + 1
      if sampled < 3 then
         sampled = sampled + 1
         samples = samples .. "HTTP " .. status .. " " .. string.sub(body or "", 1, 300):gsub("[\r\n\t]", " ") .. "\n"
      end
   end
end

function done(summary, latency, requests)
   local bad, ratings, invitations, wrapped, bodies_ = 0, 0, 0, 0, ""
   for _, thread in ipairs(threads) do
      bad = bad + (thread:get("non2xx") or 0)
      ratings = ratings + (thread:get("rated") or 0)
      invitations = invitations + (thread:get("invited") or 0)
      wrapped = wrapped + (thread:get("exhausted") or 0)
      bodies_ = bodies_ .. (thread:get("samples") or "")
   end
   local e = summary.errors
   io.write(string.format(
      "BENCH requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.0f "
         .. "non2xx=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d "
         .. "rated=%d invited=%d exhausted=%d\n",
      summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
      latency:percentile(99), latency.max, latency.mean, bad, e.connect, e.read, e.write, e.timeout,
      ratings, invitations, wrapped))
   for sample in bodies_:gmatch("[^\n]+") do
      io.write("BENCH_ERROR " .. sample .. "\n")
   end
end
