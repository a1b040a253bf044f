using Acms.Faults;

if (args.Length > 0 && args[0] == JobProcess.Mode)
{
    return await JobProcess.RunChildAsync(args);
}

FaultOptions options;
try
{
    options = FaultOptions.Parse(args);
}
catch (HelpRequestedException)
{
    Console.WriteLine(FaultOptions.Usage);
    return 0;
}
catch (Exception ex) when (ex is ArgumentException or FormatException or OverflowException)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(FaultOptions.Usage);
    return 64;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

return await FaultSuite.RunAsync(options, Console.Out, cancel.Token);
