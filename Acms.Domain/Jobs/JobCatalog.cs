namespace Acms.Domain.Jobs;

/// <summary>The jobs this process knows, by name.</summary>
public sealed class JobCatalog(IEnumerable<JobRegistration> registrations)
{
    private readonly Dictionary<string, JobRegistration> _byName =
        registrations.ToDictionary(r => r.Definition.Name, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<JobRegistration> All => _byName.Values;

    public bool TryGet(string? name, out JobRegistration registration)
    {
        registration = null!;
        return name is not null && _byName.TryGetValue(name, out registration!);
    }

    public IReadOnlyList<string> Names => [.. _byName.Keys.Order(StringComparer.Ordinal)];
}
