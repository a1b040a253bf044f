using System.Runtime.InteropServices;

namespace Acms.Bench;

/// <summary>What the figures were measured on.</summary>
public sealed record MachineInfo(int Cores, double MemoryGb, string CpuModel, string Os, string DotNet, string PostgreSql)
{
    public static MachineInfo Describe(string postgresVersion)
    {
        var cpu = "unknown";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo")
                .FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }

        double memoryGb = 0;
        if (File.Exists("/proc/meminfo"))
        {
            var total = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (total is not null && long.TryParse(total.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb))
            {
                memoryGb = Math.Round(kb / 1024.0 / 1024.0, 1);
            }
        }
        else
        {
            memoryGb = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024.0 / 1024.0, 1);
        }

        return new MachineInfo(Environment.ProcessorCount, memoryGb, cpu, RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription, postgresVersion);
    }

    public override string ToString() =>
        $"{Cores} cores, {MemoryGb} GB RAM, {CpuModel}; {Os}; {DotNet}; {PostgreSql}";
}
