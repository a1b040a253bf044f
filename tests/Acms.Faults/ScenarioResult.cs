namespace Acms.Faults;

/// <summary>One scenario × job: how many faults landed, what broke (must be nothing), and its figures.</summary>
public sealed class ScenarioResult(string scenario, string job)
{
    public string Scenario { get; } = scenario;
    public string Job { get; } = job;
    public int Injections { get; set; }
    public List<string> Violations { get; } = [];
    public Dictionary<string, object?> Figures { get; } = [];
    public List<string> Notes { get; } = [];
}
