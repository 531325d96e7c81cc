-- wrk reporter for bench/run.py: done() prints one line, "BENCH_JSON {...}", with the figures.
-- Latencies come from wrk's histogram (latency:percentile, microseconds) and are given in ms.
-- "non_2xx_3xx" is wrk's errors.status: responses with a status of 400 or more.

done = function(summary, latency, requests)
  local e = summary.errors
  local seconds = summary.duration / 1e6
  local function ms(us) return us / 1000.0 end
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_s": %.3f, "rps": %.2f, "bytes": %d, '
      .. '"mean_ms": %.3f, "p50_ms": %.3f, "p90_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, '
      .. '"max_ms": %.3f, "non_2xx_3xx": %d, "connect_errors": %d, "read_errors": %d, '
      .. '"write_errors": %d, "timeouts": %d}\n',
    summary.requests, seconds, summary.requests / seconds, summary.bytes,
    ms(latency.mean), ms(latency:percentile(50)), ms(latency:percentile(90)),
    ms(latency:percentile(95)), ms(latency:percentile(99)), ms(latency.max),
    e.status, e.connect, e.read, e.write, e.timeout))
end
