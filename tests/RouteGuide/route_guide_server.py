#!/usr/bin/env python3
"""gRPC's route_guide service as a Python grpcio server: a server the lab did not write, for the tests of
bring-your-own-service (scripts/servers.sh --command, calls by schema, reflection).

  route_guide_server.py --port P [--health] [--reflection] [--workers W] [--tls-cert F --tls-key F [--client-ca F]]

--health serves grpc.health.v1 (SERVING), --reflection serves grpc.reflection.v1alpha (as grpcio-reflection does):
each on its own flag, so that every way the fleet script waits for a server is tested. --tls-cert and --tls-key
serve TLS (grpc.ssl_server_credentials), and --client-ca requires every client to present a certificate it signed. Needs Debian's python3-grpcio
and python3-grpc-tools (the messages are compiled from protos/ at start, into a folder of this process's own).
"""
import argparse
import atexit
import math
import shutil
import signal
import sys
import tempfile
import time
from concurrent import futures
from pathlib import Path

import grpc
from grpc_tools import protoc

PROTOS = Path(__file__).resolve().parent / "protos"


def compile_protos():
    """Compiles protos/ into a temporary folder and puts it on the import path (no generated code in git)."""
    out = tempfile.mkdtemp(prefix="route-guide-")
    atexit.register(shutil.rmtree, out, ignore_errors=True)
    files = ["route_guide.proto", "health.proto", "reflection.proto"]
    if protoc.main(["protoc", f"-I{PROTOS}", f"--python_out={out}", *files]) != 0:
        sys.exit(f"route_guide_server: protoc could not compile {files} in {PROTOS}")
    sys.path.insert(0, out)


compile_protos()
import health_pb2  # noqa: E402 (compiled just above)
import reflection_pb2  # noqa: E402
import route_guide_pb2 as rg  # noqa: E402

# A 10 x 10 grid of named features, one every 0.01 degree from (40.0, -74.0): points off the grid have none.
ORIGIN_LATITUDE, ORIGIN_LONGITUDE, STEP = 400_000_000, -740_000_000, 100_000
FEATURES = {
    (ORIGIN_LATITUDE + i * STEP, ORIGIN_LONGITUDE + j * STEP): f"feature {i},{j}"
    for i in range(10)
    for j in range(10)
}


def feature_at(point):
    name = FEATURES.get((point.latitude, point.longitude), "")
    return rg.Feature(name=name, location=point)


def distance_metres(start, end):
    """The haversine distance between two points, in metres."""
    factor, radius = 1e7, 6_371_000
    lat1, lat2 = math.radians(start.latitude / factor), math.radians(end.latitude / factor)
    d_lat = lat2 - lat1
    d_lon = math.radians((end.longitude - start.longitude) / factor)
    a = math.sin(d_lat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(d_lon / 2) ** 2
    return int(radius * 2 * math.atan2(math.sqrt(a), math.sqrt(1 - a)))


def get_feature(request, context):
    return feature_at(request)


def list_features(request, context):
    lo_lat, hi_lat = sorted((request.lo.latitude, request.hi.latitude))
    lo_lon, hi_lon = sorted((request.lo.longitude, request.hi.longitude))
    for (latitude, longitude), name in FEATURES.items():
        if lo_lat <= latitude <= hi_lat and lo_lon <= longitude <= hi_lon:
            yield rg.Feature(name=name, location=rg.Point(latitude=latitude, longitude=longitude))


def record_route(request_iterator, context):
    started = time.monotonic()
    points = features = distance = 0
    previous = None
    for point in request_iterator:
        points += 1
        features += (point.latitude, point.longitude) in FEATURES
        if previous is not None:
            distance += distance_metres(previous, point)
        previous = point
    return rg.RouteSummary(
        point_count=points, feature_count=features, distance=distance, elapsed_time=int(time.monotonic() - started))


def route_chat(request_iterator, context):
    # Notes are kept per stream, not per server: a load test's streams must not grow the server without bound.
    notes = {}
    for note in request_iterator:
        place = (note.location.latitude, note.location.longitude)
        earlier = notes.setdefault(place, [])
        yield from earlier
        yield note
        earlier.append(note)


def health_check(request, context):
    return health_pb2.HealthCheckResponse(status=health_pb2.HealthCheckResponse.SERVING)


def reflection_handler(services):
    files = [rg.DESCRIPTOR, health_pb2.DESCRIPTOR, reflection_pb2.DESCRIPTOR]

    def file_containing(symbol):
        for file in files:
            types = [*file.message_types_by_name.values(), *file.enum_types_by_name.values(),
                     *file.services_by_name.values()]
            if any(symbol == t.full_name or symbol.startswith(t.full_name + ".") for t in types):
                return file
        raise KeyError(symbol)

    def file_named(name):
        for file in files:
            if file.name == name:
                return file
        raise KeyError(name)

    def info(request_iterator, context):
        for request in request_iterator:
            response = reflection_pb2.ServerReflectionResponse(valid_host=request.host, original_request=request)
            kind = request.WhichOneof("message_request")
            try:
                if kind == "list_services":
                    response.list_services_response.service.extend(
                        reflection_pb2.ServiceResponse(name=name) for name in services)
                elif kind == "file_containing_symbol":
                    file = file_containing(request.file_containing_symbol)
                    response.file_descriptor_response.file_descriptor_proto.append(file.serialized_pb)
                elif kind == "file_by_filename":
                    file = file_named(request.file_by_filename)
                    response.file_descriptor_response.file_descriptor_proto.append(file.serialized_pb)
                else:
                    raise KeyError(kind)
            except KeyError:
                response.error_response.error_code = grpc.StatusCode.NOT_FOUND.value[0]
                response.error_response.error_message = f"not found: {getattr(request, kind or 'host')}"
            yield response

    return info


def tls_credentials(args):
    """The server's TLS from PEM files; with a client CA, clients must present a certificate it signed."""
    def read(path):
        try:
            return Path(path).read_bytes()
        except OSError as error:
            sys.exit(f"route_guide_server: cannot read {path}: {error.strerror}")

    pair = [(read(args.tls_key), read(args.tls_cert))]
    if args.client_ca:
        return grpc.ssl_server_credentials(pair, root_certificates=read(args.client_ca), require_client_auth=True)
    return grpc.ssl_server_credentials(pair)


def handler(service, methods):
    return grpc.method_handlers_generic_handler(service, methods)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--health", action="store_true", help="serve grpc.health.v1")
    parser.add_argument("--reflection", action="store_true", help="serve grpc.reflection.v1alpha")
    parser.add_argument("--workers", type=int, default=10, help="threads serving calls")
    parser.add_argument("--tls-cert", help="serve TLS with this PEM certificate (with --tls-key)")
    parser.add_argument("--tls-key", help="the PEM private key of --tls-cert")
    parser.add_argument("--client-ca", help="with TLS: require client certificates signed by this PEM CA (mTLS)")
    args = parser.parse_args()
    if (args.tls_cert is None) != (args.tls_key is None) or (args.client_ca and not args.tls_cert):
        parser.error("--tls-cert and --tls-key go together, and --client-ca needs them")

    def unary(behaviour, request, reply):
        return grpc.unary_unary_rpc_method_handler(behaviour, request.FromString, reply.SerializeToString)

    route_guide = {
        "GetFeature": unary(get_feature, rg.Point, rg.Feature),
        "ListFeatures": grpc.unary_stream_rpc_method_handler(
            list_features, rg.Rectangle.FromString, rg.Feature.SerializeToString),
        "RecordRoute": grpc.stream_unary_rpc_method_handler(
            record_route, rg.Point.FromString, rg.RouteSummary.SerializeToString),
        "RouteChat": grpc.stream_stream_rpc_method_handler(
            route_chat, rg.RouteNote.FromString, rg.RouteNote.SerializeToString),
    }
    handlers = [handler("routeguide.RouteGuide", route_guide)]
    services = ["routeguide.RouteGuide"]
    if args.health:
        handlers.append(handler("grpc.health.v1.Health", {
            "Check": unary(health_check, health_pb2.HealthCheckRequest, health_pb2.HealthCheckResponse)}))
        services.append("grpc.health.v1.Health")
    if args.reflection:
        services.append("grpc.reflection.v1alpha.ServerReflection")
        handlers.append(handler("grpc.reflection.v1alpha.ServerReflection", {
            "ServerReflectionInfo": grpc.stream_stream_rpc_method_handler(
                reflection_handler(services),
                reflection_pb2.ServerReflectionRequest.FromString,
                reflection_pb2.ServerReflectionResponse.SerializeToString)}))

    server = grpc.server(futures.ThreadPoolExecutor(max_workers=args.workers), handlers=handlers)
    address = f"127.0.0.1:{args.port}"
    port = server.add_secure_port(address, tls_credentials(args)) if args.tls_cert else server.add_insecure_port(address)
    if port == 0:
        sys.exit(f"route_guide_server: cannot listen on {address}")
    server.start()
    transport = "plaintext" if not args.tls_cert else "TLS, client certificates required" if args.client_ca else "TLS"
    print(f"route_guide_server: listening on {address} ({transport}, health {args.health}, reflection {args.reflection})",
          flush=True)
    # SIGTERM drains: calls in flight get 5 s to finish, as the fleet script's stop expects of a server.
    signal.signal(signal.SIGTERM, lambda *_: server.stop(5))
    server.wait_for_termination()
    print("route_guide_server: stopped", flush=True)


if __name__ == "__main__":
    main()
