using GrpcLoadLab.Balancer.Tracking;

namespace GrpcLoadLab.Balancer.Tests.Unit;

public class EndpointRegistryTests
{
    [Fact]
    public void Added_grows_with_each_new_endpoint_and_not_with_one_seen_before()
    {
        var registry = new EndpointRegistry();
        Assert.Equal(0, registry.Added);

        registry.For("127.0.0.1:7001");
        // The same endpoint again: by its address, and by host and port as a pick names it.
        registry.For("127.0.0.1:7001");
        registry.For("127.0.0.1", 7001);
        Assert.Equal(1, registry.Added);

        registry.For("127.0.0.1", 7002);
        Assert.Equal(2, registry.Added);
        Assert.Equal(["127.0.0.1:7001", "127.0.0.1:7002"], registry.Snapshot().Select(e => e.Address));
    }
}
