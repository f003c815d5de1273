# Sourced by every script that starts loadgen, which runs it as `env "${LOADGEN_GC_ENV[@]}" dotnet loadgen.dll ...`:
# the generator's GC settings that only the environment can set (the runtime reads neither from runtimeconfig.json,
# so the project file cannot); a value the caller set is kept.
# - DOTNET_GCgen0size: the gen0 budget fixed at 32 MiB. Left to itself, server GC on this machine paused loadgen
#   about 60 ms in every second of a closed loop of 64 calls; with 32 MiB about 25 ms (docs/benchmarks.md, "GC
#   configuration").
# - DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION: the shared ArrayPool keeps up to 4,096 arrays of a
#   size per core, not 32. The HTTP/2 client holds a pooled 16 KiB block for every stream with a message not yet read:
#   with thousands of streams, the pool ran dry, each message took a new block and dropped it, and the GC paused
#   loadgen 16-29 % of the time at 20,000 streams; with 4,096, 6 % (docs/benchmarks.md, "The shared array pool").
# result.json records both (environment.gc); loadgen does not pass them on to the servers it starts.
# shellcheck disable=SC2034 # used by the scripts that source this file
LOADGEN_GC_ENV=(
  "DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x2000000}"
  "DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION=${DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION:-4096}"
)
