namespace Acms.Domain.Jobs.TopicExtraction;

/// <summary>
/// What one run may still spend on the LLM, shared by the run's concurrent calls. A call first reserves its estimated
/// cost: the calls made and in flight, and the spend charged plus the estimates reserved, stay within the caps at every
/// reservation. A finished call is charged what the client reports it cost (or the estimate when it reports no usage);
/// a failed call gives its reservation back. Only the gap between an estimate and what a call in flight then costs can
/// take the spend past <see cref="MaxCostUsd"/>, so the run's concurrency bounds the overrun.
/// </summary>
public sealed class LlmBudget(int maxCalls, double maxCostUsd)
{
    private readonly Lock _gate = new();
    private int _calls;
    private int _reservedCalls;
    private double _spentUsd;
    private double _reservedUsd;
    private int _failures;

    public int MaxCalls { get; } = maxCalls;

    public double MaxCostUsd { get; } = maxCostUsd;

    /// <summary>Calls that returned, charged to the budget.</summary>
    public int Calls
    {
        get { lock (_gate) { return _calls; } }
    }

    public double SpentUsd
    {
        get { lock (_gate) { return _spentUsd; } }
    }

    public int Failures
    {
        get { lock (_gate) { return _failures; } }
    }

    /// <summary>Whether no further call can be reserved (every call the cap allows was made or is in flight).</summary>
    public bool Exhausted
    {
        get { lock (_gate) { return _calls + _reservedCalls >= MaxCalls; } }
    }

    /// <summary>Reserves one call at <paramref name="estimatedUsd"/>; false when that would pass either cap.</summary>
    internal bool TryReserve(double estimatedUsd)
    {
        lock (_gate)
        {
            if (_calls + _reservedCalls >= MaxCalls || _spentUsd + _reservedUsd + estimatedUsd > MaxCostUsd)
            {
                return false;
            }

            _reservedCalls++;
            _reservedUsd += estimatedUsd;
            return true;
        }
    }

    /// <summary>Charges a reserved call what it cost.</summary>
    internal void Charge(double estimatedUsd, double usd)
    {
        lock (_gate)
        {
            Release(estimatedUsd);
            _calls++;
            _spentUsd += usd;
        }
    }

    /// <summary>Gives a failed call's reservation back and counts the failure.</summary>
    internal void Fail(double estimatedUsd)
    {
        lock (_gate)
        {
            Release(estimatedUsd);
            _failures++;
        }
    }

    private void Release(double estimatedUsd)
    {
        _reservedCalls--;
        _reservedUsd = Math.Max(0, _reservedUsd - estimatedUsd);
    }
}
