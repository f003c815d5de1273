# Sourced by every script that starts loadgen, which runs it as `env "${LOADGEN_GC_ENV[@]}" dotnet loadgen.dll ...`:
# the generator's gen0 budget fixed at 32 MiB unless the caller set one. Left to itself, server GC on this machine
# paused loadgen about 60 ms in every second of a closed loop of 64 calls; with 32 MiB about 25 ms (docs/benchmarks.md,
# "GC configuration"). The GC reads this setting only from the environment, never from runtimeconfig.json, so the
# project file cannot set it. result.json records it (environment.gc.gen0SizeBytes); loadgen does not pass it on to
# the servers it starts.
# shellcheck disable=SC2034 # used by the scripts that source this file
LOADGEN_GC_ENV=("DOTNET_GCgen0size=${DOTNET_GCgen0size:-0x2000000}")
