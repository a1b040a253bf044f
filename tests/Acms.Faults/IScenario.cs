namespace Acms.Faults;

/// <summary>One fault scenario, run once per job.</summary>
public interface IScenario
{
    string Key { get; }
    string Title { get; }
    Task RunAsync(FaultRun run, string job, ScenarioResult result, CancellationToken ct);
}
