using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace GrpcLoadLab.Balancer.Policies;

/// <summary>
/// The picker of a channel in transient failure, whose INTERNAL "Unknown error." (grpc-dotnet's stand-in when it had
/// no status to report) becomes UNAVAILABLE; every other result is passed on as it is.
/// </summary>
internal sealed class UnreachableAsUnavailablePicker(SubchannelPicker picker) : SubchannelPicker
{
    /// <summary>The detail of the status that <see cref="SubchannelsLoadBalancer"/> makes up for that case.</summary>
    private const string UnknownErrorDetail = "Unknown error.";

    private static readonly PickResult Unreachable = PickResult.ForFailure(new Status(
        StatusCode.Unavailable, "No instance is reachable: every connection failed (grpc-dotnet's balancer said INTERNAL \"Unknown error.\")."));

    public override PickResult Pick(PickContext context)
    {
        var result = picker.Pick(context);
        return result.Type == PickResultType.Fail && result.Status is { StatusCode: StatusCode.Internal, Detail: UnknownErrorDetail }
            ? Unreachable
            : result;
    }
}
