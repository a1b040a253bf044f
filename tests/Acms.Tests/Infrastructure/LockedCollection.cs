using System.Collections;

namespace Acms.Tests.Infrastructure;

/// <summary>
/// A list an OpenTelemetry in-memory exporter can add to while the test reads it. The tracer listens to the
/// process-wide Npgsql source, so tests running in parallel keep exporting their SQL spans here from other threads
/// after this test's flush; a plain <see cref="List{T}"/> then throws "Collection was modified" mid-assertion.
/// Tests read <see cref="Snapshot"/>, a copy taken under the same lock the exporter adds under.
/// </summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> _items = [];
    private readonly Lock _gate = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public IReadOnlyList<T> Snapshot()
    {
        lock (_gate)
        {
            return [.. _items];
        }
    }

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (_gate)
        {
            return _items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (_gate)
        {
            _items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (_gate)
        {
            return _items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
