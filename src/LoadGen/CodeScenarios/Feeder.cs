namespace GrpcLoadLab.LoadGen.CodeScenarios;

/// <summary>
/// The data a scenario's steps share: each call of <see cref="Next"/> hands out one item, in the feeder's
/// <see cref="FeederOrder"/>, safely from many steps at once. Made from a sequence in code, or from a JSON-lines file
/// with <see cref="JsonLines.Read{T}(string, System.Text.Json.JsonSerializerOptions?)"/>.
/// </summary>
public sealed class Feeder<T>
{
    private readonly T[] _items;
    private readonly Random? _random;
    private long _taken;

    /// <param name="seed">The random order's seed; only for <see cref="FeederOrder.Random"/>.</param>
    public Feeder(string name, IEnumerable<T> items, FeederOrder order, int seed = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(items);
        if (!Enum.IsDefined(order))
        {
            throw new ArgumentOutOfRangeException(nameof(order), order, "use InOrder, Circular or Random");
        }

        Name = name;
        Order = order;
        _items = [.. items];
        if (_items.Length == 0)
        {
            throw new ArgumentException($"the feeder '{name}' has no item: give it at least one", nameof(items));
        }

        _random = order == FeederOrder.Random ? new Random(seed) : null;
    }

    public string Name { get; }

    public FeederOrder Order { get; }

    public int Count => _items.Length;

    /// <summary>The next item.</summary>
    /// <exception cref="FeederExhaustedException">An in-order feeder has handed out every item.</exception>
    public T Next()
    {
        if (_random is not null)
        {
            // Random is not safe for many threads: the lock is held for one draw.
            lock (_random)
            {
                return _items[_random.Next(_items.Length)];
            }
        }

        var index = Interlocked.Increment(ref _taken) - 1;
        if (index < _items.Length)
        {
            return _items[index];
        }

        return Order == FeederOrder.Circular
            ? _items[index % _items.Length]
            : throw new FeederExhaustedException($"the feeder '{Name}' has handed out all its {_items.Length} items in order: give it more, or make it Circular");
    }
}
