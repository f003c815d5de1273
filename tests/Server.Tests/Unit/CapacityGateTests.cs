using GrpcLoadLab.Server.Hosting;
using GrpcLoadLab.Server.Work;

namespace GrpcLoadLab.Server.Tests.Unit;

public class CapacityGateTests
{
    [Fact]
    public async Task An_unlimited_gate_admits_every_call_without_a_lease()
    {
        using var gate = new CapacityGate(new ServerOptions { Capacity = 0 });

        for (var i = 0; i < 1_000; i++)
        {
            Assert.Null(await gate.EnterAsync(CancellationToken.None));
        }

        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task A_full_gate_queues_up_to_its_limit_then_throws()
    {
        using var gate = new CapacityGate(new ServerOptions { Capacity = 1, QueueLimit = 1 });
        var working = await gate.EnterAsync(CancellationToken.None);

        var queued = gate.EnterAsync(CancellationToken.None);

        Assert.False(queued.IsCompleted);
        Assert.Equal(1, gate.Queued);
        await Assert.ThrowsAsync<CapacityExceededException>(() => gate.EnterAsync(CancellationToken.None).AsTask());
        working!.Dispose();
        using var admitted = await queued;
        Assert.NotNull(admitted);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task A_full_gate_with_no_queue_throws_at_once()
    {
        using var gate = new CapacityGate(new ServerOptions { Capacity = 1, QueueLimit = 0 });
        using var working = await gate.EnterAsync(CancellationToken.None);

        await Assert.ThrowsAsync<CapacityExceededException>(() => gate.EnterAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_queue()
    {
        using var gate = new CapacityGate(new ServerOptions { Capacity = 1, QueueLimit = 1 });
        using var working = await gate.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var queued = gate.EnterAsync(cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.Equal(0, gate.Queued);
    }
}
