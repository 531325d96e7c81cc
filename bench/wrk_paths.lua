-- wrk script for bench/run.py: cycles through the request paths listed in a file (one a line),
-- so that every request asks something different (no cache can answer it), and reports like
-- wrk_report.lua.   wrk ... -s bench/wrk_paths.lua http://127.0.0.1:PORT -- PATHS_FILE
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "wrk_report.lua")

local paths, count, at = {}, 0, 0

function init(args)
  for line in io.lines(args[1]) do
    count = count + 1
    paths[count] = line
  end
  at = math.random(count) -- threads start at different places
end

function request()
  at = at % count + 1
  return wrk.format(nil, paths[at])
end
