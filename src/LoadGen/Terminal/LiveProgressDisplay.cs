using System.Globalization;
using System.Threading.Channels;
using GrpcLoadLab.LoadGen.Results;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace GrpcLoadLab.LoadGen.Terminal;

/// <summary>Progress on a terminal: a Spectre.Console live view, redrawn in place on its own task.</summary>
internal sealed class LiveProgressDisplay : IProgressDisplay
{
    // Bars narrow enough that the view keeps to one line a row on an 80-column terminal.
    private const int ProgressBarWidth = 40;
    private const int ShareBarWidth = 20;

    // Only the newest snapshot is worth drawing: when the terminal is slow, older ones are dropped rather than
    // queued, so that the engine's ticker thread never waits on it.
    private readonly Channel<LiveSnapshot> _snapshots = Channel.CreateBounded<LiveSnapshot>(
        new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly Task _view;

    public LiveProgressDisplay(IAnsiConsole console)
    {
        var live = console.Live(new Text("starting…")).AutoClear(false).Overflow(VerticalOverflow.Ellipsis);
        _view = Task.Run(() => live.StartAsync(ShowAsync));
    }

    public void Update(LiveSnapshot snapshot) => _snapshots.Writer.TryWrite(snapshot);

    public void Complete()
    {
        _snapshots.Writer.TryComplete();
        _view.GetAwaiter().GetResult();
    }

    internal static IRenderable Render(LiveSnapshot snapshot)
    {
        var total = snapshot.Elapsed + snapshot.Remaining;
        var done = total > TimeSpan.Zero ? snapshot.Elapsed / total : 1;
        var phaseStyle = snapshot.Warmup ? "yellow" : "default";
        var failedStyle = snapshot.Failed > 0 ? "red" : "default";
        var droppedStyle = snapshot.Dropped > 0 ? "yellow" : "default";
        var lines = new List<IRenderable>
        {
            Markup.FromInterpolated($"[bold]{snapshot.Scenario}[/]  [{phaseStyle}]{TerminalFormat.Phase(snapshot)}[/]"),
            new Markup($"{Bar(done, ProgressBarWidth)}  {Clock(snapshot.Elapsed)} elapsed, {Clock(snapshot.Remaining)} left"),
            Markup.FromInterpolated(
                $"[bold]{NumberText.Rate(snapshot.CallsPerSecond)}[/] calls/s   {TerminalFormat.LastSecondLatency(snapshot)}   [grey](last second)[/]"),
            Markup.FromInterpolated(
                $"succeeded {NumberText.Count(snapshot.Succeeded)}   [{failedStyle}]failed {NumberText.Count(snapshot.Failed)}[/]   in flight {NumberText.Count(snapshot.InFlight)}   [{droppedStyle}]dropped {NumberText.Count(snapshot.Dropped)}[/]"),
        };
        if (snapshot.Servers.Count > 0)
        {
            lines.Add(ServerTable(snapshot.Servers));
        }

        return new Rows(lines);
    }

    private async Task ShowAsync(LiveDisplayContext context)
    {
        await foreach (var snapshot in _snapshots.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            context.UpdateTarget(Render(snapshot));
        }
    }

    private static Table ServerTable(IReadOnlyList<ServerShare> servers)
    {
        var table = new Table()
            .Border(TableBorder.Simple)
            .AddColumn("server")
            .AddColumn(new TableColumn("calls").RightAligned())
            .AddColumn(new TableColumn("share").RightAligned())
            .AddColumn(new TableColumn(""));
        foreach (var server in TerminalFormat.ByInstance(servers))
        {
            table.AddRow(
                new Text(server.InstanceId).Overflow(Overflow.Ellipsis),
                new Text(NumberText.Count(server.Calls)),
                new Text(NumberText.Percent(server.Share, 1)),
                new Markup(Bar(server.Share, ShareBarWidth)));
        }

        return table;
    }

    /// <summary>Filled and empty blocks, told apart by shape as well as colour so that NO_COLOR terminals show them.</summary>
    private static string Bar(double fraction, int width)
    {
        var filled = (int)Math.Round(Math.Clamp(double.IsFinite(fraction) ? fraction : 0, 0, 1) * width);
        return $"[green]{new string('█', filled)}[/][grey]{new string('░', width - filled)}[/]";
    }

    private static string Clock(TimeSpan time)
    {
        var seconds = NumberText.WholeSeconds(time);
        return seconds < 3600
            ? string.Create(CultureInfo.InvariantCulture, $"{seconds / 60}:{seconds % 60:00}")
            : string.Create(CultureInfo.InvariantCulture, $"{seconds / 3600}:{seconds / 60 % 60:00}:{seconds % 60:00}");
    }
}
