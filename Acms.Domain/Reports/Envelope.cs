namespace Acms.Domain.Reports;

public sealed record Envelope<T>(T Data);
