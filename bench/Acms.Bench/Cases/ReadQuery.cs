namespace Acms.Bench.Cases;

/// <summary>One read API's query, called repeatedly through the domain's own service.</summary>
public sealed record ReadQuery(string Name, string Api, double? MaxP95Ms, Func<IServiceProvider, ReadContext, CancellationToken, Task> CallAsync);
